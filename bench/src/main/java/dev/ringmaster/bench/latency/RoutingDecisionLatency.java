package dev.ringmaster.bench.latency;

import dev.ringmaster.bench.BenchDefaults;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Priority;
import dev.ringmaster.model.Task;
import dev.ringmaster.routing.RoutingStrategies;
import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.Candidates;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.RoutingStrategy;
import dev.ringmaster.spi.TaskView;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Average time of one routing decision alone, {@link RoutingStrategy#select}, with every agent of the pool eligible
 * and fixed pseudo-random loads, for each built-in strategy (looked up by name through {@code ServiceLoader}, as the
 * dispatcher does). Per-thread state: each JMH thread has its own strategy, as each dispatcher's router does.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RoutingDecisionLatency extends BenchDefaults
{
    @Param({"least-connections", "round-robin", "random"})
    public String strategy;

    /** Agents in the pool, all eligible. */
    @Param({"16", "1024"})
    public int agents;

    private RoutingStrategy router;
    private FakeCandidates candidates;
    private FakeTask task;
    private final RoutingDecision decision = new RoutingDecision();

    @Setup(Level.Trial)
    public void setUp()
    {
        router = RoutingStrategies.create(strategy, RoutingDecisionLatency.class.getClassLoader());
        final SplittableRandom random = new SplittableRandom(7);
        final FakeAgent[] pool = new FakeAgent[agents];
        for (int i = 0; i < agents; i++)
        {
            final int capacity = 64;
            pool[i] = new FakeAgent(i, AgentSpec.builder("agent-" + i, "bench").capacity(capacity).build(),
                random.nextInt(capacity)); // in flight < capacity: every agent has room
        }
        candidates = new FakeCandidates(pool);
        task = new FakeTask(Task.builder("bench").build());
    }

    @Benchmark
    public int select()
    {
        decision.reset();
        return router.select(task, candidates, decision);
    }

    /**
     * A fixed candidate list, the whole pool in pool order, laid out like the dispatcher's own candidate set (agents
     * and pool positions in arrays, a bounds check in {@code get}) so that the JIT cannot fold the positions away;
     * single-threaded like the router's.
     */
    static final class FakeCandidates implements Candidates
    {
        private final FakeAgent[] pool;
        private final AgentView[] items;
        private final int[] positions;
        private final int size;

        FakeCandidates(final FakeAgent[] pool)
        {
            this.pool = pool;
            this.size = pool.length;
            this.items = pool.clone();
            this.positions = new int[pool.length];
            for (int i = 0; i < pool.length; i++)
            {
                positions[i] = i;
            }
        }

        @Override
        public int size()
        {
            return size;
        }

        @Override
        public AgentView get(final int i)
        {
            if (i < 0 || i >= size)
            {
                throw new IndexOutOfBoundsException("candidate " + i + " of " + size);
            }
            return items[i];
        }

        @Override
        public int candidateIndexOf(final int poolPosition)
        {
            // every agent is eligible in this benchmark
            return poolPosition;
        }

        @Override
        public int poolPosition(final int i)
        {
            return positions[i];
        }

        @Override
        public int poolSize()
        {
            return pool.length;
        }

        @Override
        public AgentView poolAgent(final int i)
        {
            return pool[i];
        }
    }

    /** An agent with a fixed load; immutable after construction. */
    static final class FakeAgent implements AgentView
    {
        private final int index;
        private final AgentSpec spec;
        private final int inFlight;

        FakeAgent(final int index, final AgentSpec spec, final int inFlight)
        {
            this.index = index;
            this.spec = spec;
            this.inFlight = inFlight;
        }

        @Override
        public int index()
        {
            return index;
        }

        @Override
        public AgentSpec spec()
        {
            return spec;
        }

        @Override
        public int capacity()
        {
            return spec.capacity(); // AgentState reads the spec too
        }

        @Override
        public double proficiency(final int skillId)
        {
            return 0;
        }

        @Override
        public int inFlight()
        {
            return inFlight;
        }

        @Override
        public int queued()
        {
            return 0;
        }

        @Override
        public long tokensInFlight()
        {
            return 0;
        }

        @Override
        public double peakEwmaLatencyNanos()
        {
            return 0;
        }

        @Override
        public dev.ringmaster.spi.Bidder bidder()
        {
            return null;
        }

        @Override
        public double ewmaLatencyNanos()
        {
            return 1_000;
        }

        @Override
        public double contextUtilization()
        {
            return 0;
        }

        @Override
        public double recentQuality()
        {
            return 1;
        }

        @Override
        public long tokenBudgetLeft()
        {
            return Long.MAX_VALUE;
        }

        @Override
        public long completedCount()
        {
            return 0;
        }
    }

    /** A task on its first attempt; immutable. */
    static final class FakeTask implements TaskView
    {
        private final Task task;

        FakeTask(final Task task)
        {
            this.task = task;
        }

        @Override
        public Task task()
        {
            return task;
        }

        @Override
        public Priority priority()
        {
            return task.priority();
        }

        @Override
        public int attempt()
        {
            return 1;
        }

        @Override
        public long acceptedNanos()
        {
            return 0;
        }

        @Override
        public long sequence()
        {
            return 1;
        }
    }
}
