package dev.ringmaster.bench.baseline;

import dev.ringmaster.bench.BenchDefaults;
import org.jctools.queues.MpscArrayQueue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The per-priority queue hop, one offer then one poll on the same thread, which is how the router uses a lane queue:
 * JCTools {@link MpscArrayQueue} (the lane queue; {@code poll} and the router's {@code relaxedPoll}) against the JDK
 * {@link ArrayBlockingQueue} (a lock per call) as the baseline, in one run. Per-thread state: each JMH thread has its
 * own queues, so nothing is contended.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class QueueHopBaseline extends BenchDefaults
{
    /** Queue capacity; 65536 is the dispatcher's default queueCapacity per type and priority. */
    @Param("65536")
    public int capacity;

    /** Elements already queued when the hop happens (0: the router's usual empty-queue hop). */
    @Param("0")
    public int backlog;

    private final Object element = new Object();
    private MpscArrayQueue<Object> mpsc;
    private ArrayBlockingQueue<Object> abq;

    @Setup(Level.Trial)
    public void setUp()
    {
        mpsc = new MpscArrayQueue<>(capacity);
        abq = new ArrayBlockingQueue<>(capacity);
        for (int i = 0; i < backlog; i++)
        {
            mpsc.offer(new Object());
            abq.offer(new Object());
        }
    }

    @Benchmark
    public Object mpscArrayQueue()
    {
        mpsc.offer(element);
        return mpsc.poll();
    }

    @Benchmark
    public Object mpscArrayQueueRelaxedPoll()
    {
        mpsc.offer(element);
        return mpsc.relaxedPoll();
    }

    @Benchmark
    public Object arrayBlockingQueue()
    {
        abq.offer(element);
        return abq.poll();
    }
}
