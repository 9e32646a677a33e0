package dev.ringmaster.bench.throughput;

import dev.ringmaster.bench.BenchDefaults;
import dev.ringmaster.bench.NoopFleet;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

import java.util.concurrent.TimeUnit;

/**
 * Tasks per second through the whole dispatcher (ring, lane, routing, inbox, worker, completion, result handler)
 * with no-op agents: one producer submits a batch of {@value #BATCH} pre-built tasks and waits until all are
 * terminal; the score is per task. Exactly one JMH thread ({@code @Threads(1)}) drives it; the dispatcher's router and
 * workers are the other threads. Run with {@code -prof gc} for the steady-state bytes allocated per task.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
public class SubmitToCompletionThroughput extends BenchDefaults
{
    /** Tasks per invocation; well below the 4096 task records the router preallocates. */
    public static final int BATCH = 1024;

    /** Agents of the one type. */
    @Param("4")
    public int agents;

    /** Tasks each agent runs at once. */
    @Param("64")
    public int capacity;

    /** Dispatcher worker threads; the producer and the router compete with them for the cores. */
    @Param({"1", "2"})
    public int workers;

    @Param("least-connections")
    public String strategy;

    /** A shadow strategy deciding alongside, "none" for none: what shadowing costs end to end. */
    @Param("none")
    public String shadow = "none";

    private NoopFleet fleet;

    @Setup(Level.Trial)
    public void setUp()
    {
        fleet = new NoopFleet(agents, capacity, workers, strategy, shadow, BATCH);
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        fleet.close();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void submitBatchAndAwait()
    {
        final NoopFleet f = fleet;
        for (int i = 0; i < BATCH; i++)
        {
            f.submit(i);
        }
        f.awaitTerminal();
    }
}
