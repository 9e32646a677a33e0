package dev.ringmaster.bench.latency;

import dev.ringmaster.bench.BenchDefaults;
import dev.ringmaster.bench.NoopFleet;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

import java.util.concurrent.TimeUnit;

/**
 * The distribution ({@link Mode#SampleTime}) of one task's round trip, submit to result handler, through an idle
 * dispatcher with no-op agents: it includes waking the router and a worker from their idle strategies. Exactly one
 * JMH thread ({@code @Threads(1)}) drives it; the dispatcher's router and workers are the other threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
public class SubmitRoundTripLatency extends BenchDefaults
{
    @Param("4")
    public int agents;

    @Param("64")
    public int capacity;

    @Param("2")
    public int workers;

    @Param("least-connections")
    public String strategy;

    private NoopFleet fleet;
    private int next;

    @Setup(Level.Trial)
    public void setUp()
    {
        fleet = new NoopFleet(agents, capacity, workers, strategy, 64);
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        fleet.close();
    }

    @Benchmark
    public void submitAndAwait()
    {
        final NoopFleet f = fleet;
        f.submit(next);
        next = (next + 1) & 63;
        f.awaitTerminal();
    }
}
