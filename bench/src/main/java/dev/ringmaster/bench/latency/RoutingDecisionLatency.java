package dev.ringmaster.bench.latency;

import dev.ringmaster.bench.BenchDefaults;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Skills;
import dev.ringmaster.model.Task;
import dev.ringmaster.routing.RoutingStrategies;
import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.Bidder;
import dev.ringmaster.spi.Candidates;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.RoutingStrategy;
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
 * Average time of one routing decision alone, {@link RoutingStrategy#select}, for every strategy that
 * {@code ServiceLoader} finds (the {@code @Param} list; {@code RoutingDecisionParamsTest} fails the build when a
 * strategy is added without it), at 16 and 1,024 agents, all eligible.
 *
 * <p>The fake is built so that the JIT cannot fold the decision away: agents have varied capacities, weights, loads,
 * token loads, latencies, skills with varied proficiency, context use, quality and (for half of them) a bidder; each
 * call routes the next of {@value #TASKS} pre-built tasks (varied affinity keys, some null, required skills, token
 * costs, a target agent for one in four); and the chosen agent's load then changes as the router's would (one more
 * in flight, wrapping below its capacity), so every decision sees a different pool. Per-thread state: each JMH thread
 * has its own strategy, as each dispatcher's router does.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RoutingDecisionLatency extends BenchDefaults
{
    /** Pre-built tasks cycled through, a power of two. */
    static final int TASKS = 64;
    /** Skill names the fake agents and tasks use. */
    static final String[] SKILLS = {"java", "sql", "review", "docs"};

    @Param({"auction", "bounded-load-hash", "consistent-hash", "direct", "expected-completion", "least-connections",
        "least-tokens", "p2c", "p3c", "peak-ewma", "random", "resource-adaptive", "round-robin", "shortest-expected-delay",
        "skill-based", "sticky", "weighted-round-robin"})
    public String strategy;

    /** Agents in the pool, all eligible. */
    @Param({"16", "1024"})
    public int agents;

    private RoutingStrategy router;
    private FakeCandidates candidates;
    private FakeAgent[] pool;
    private FirstAttemptTask[] tasks;
    private int next;
    private final RoutingDecision decision = new RoutingDecision();

    @Setup(Level.Trial)
    public void setUp()
    {
        router = RoutingStrategies.create(strategy, RoutingDecisionLatency.class.getClassLoader());
        final SplittableRandom random = new SplittableRandom(7);
        pool = new FakeAgent[agents];
        for (int i = 0; i < agents; i++)
        {
            final int capacity = 8 + random.nextInt(57);
            final AgentSpec.Builder spec = AgentSpec.builder("agent-" + i, "bench").capacity(capacity)
                .weight(1 + random.nextInt(8));
            for (final String skill : SKILLS)
            {
                spec.skill(skill, 0.2 + 0.8 * random.nextDouble()); // every agent has every skill: all eligible
            }
            pool[i] = new FakeAgent(i, spec.build(), random.nextInt(capacity), random);
        }
        candidates = new FakeCandidates(pool);
        tasks = new FirstAttemptTask[TASKS];
        for (int i = 0; i < TASKS; i++)
        {
            final Task.Builder t = Task.builder("bench").costTokens(100 + random.nextInt(4_000));
            if (i % 8 != 0)
            {
                t.affinityKey("session-" + random.nextInt(32)); // one in eight has none
            }
            if (i % 3 == 0)
            {
                t.requiredSkills(SKILLS[i % SKILLS.length], SKILLS[(i + 1) % SKILLS.length]);
            }
            if (i % 4 == 1)
            {
                t.targetAgent("agent-" + random.nextInt(agents));
            }
            tasks[i] = new FirstAttemptTask(t.build(), i);
        }
    }

    @Benchmark
    public int select()
    {
        final FirstAttemptTask task = tasks[next++ & (TASKS - 1)];
        decision.reset();
        final int chosen = router.select(task, candidates, decision);
        if (chosen >= 0)
        {
            candidates.get(chosen).assigned(); // the router's bookkeeping: the next decision sees a changed pool
        }
        return chosen;
    }

    /**
     * A fixed candidate list, the whole pool in pool order, laid out like the dispatcher's own candidate set (agents
     * and pool positions in arrays, a bounds check in {@code get}) so that the JIT cannot fold the positions away;
     * single-threaded like the router's.
     */
    static final class FakeCandidates implements Candidates
    {
        private final FakeAgent[] pool;
        private final FakeAgent[] items;
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
        public FakeAgent get(final int i)
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

    /**
     * An agent with varied, pseudo-random load and telemetry; its load changes on {@link #assigned()}. Confined to
     * the benchmark thread.
     */
    static final class FakeAgent implements AgentView
    {
        private final int index;
        private final AgentSpec spec;
        private final double[] proficiency;
        private final double ewma;
        private final double peakEwma;
        private final double context;
        private final double quality;
        private final Bidder bidder;
        private int inFlight;
        private long tokens;
        private long completed;

        FakeAgent(final int index, final AgentSpec spec, final int inFlight, final SplittableRandom random)
        {
            this.index = index;
            this.spec = spec;
            this.inFlight = inFlight;
            this.tokens = inFlight * 500L;
            this.proficiency = new double[64];
            spec.proficiency().forEach((skill, p) -> proficiency[Skills.id(skill)] = p);
            this.ewma = 200_000 + random.nextInt(2_000_000);
            this.peakEwma = ewma * (1 + random.nextDouble());
            this.context = random.nextDouble();
            this.quality = 0.5 + 0.5 * random.nextDouble();
            // half the agents bid their expected finish time; the others leave the auction to its default
            this.bidder = index % 2 == 0 ? (task, agent) -> (agent.inFlight() + 1) * ewma : null;
        }

        /** The router placed a task here: one more in flight, wrapping below capacity so every agent keeps room. */
        void assigned()
        {
            inFlight = inFlight + 1 >= spec.capacity() ? 0 : inFlight + 1;
            tokens = inFlight * 500L;
            completed++;
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
            return proficiency[skillId];
        }

        @Override
        public int inFlight()
        {
            return inFlight;
        }

        @Override
        public int queued()
        {
            return inFlight > 1 ? 1 : 0;
        }

        @Override
        public long tokensInFlight()
        {
            return tokens;
        }

        @Override
        public double peakEwmaLatencyNanos()
        {
            return peakEwma;
        }

        @Override
        public Bidder bidder()
        {
            return bidder;
        }

        @Override
        public double ewmaLatencyNanos()
        {
            return ewma;
        }

        @Override
        public double contextUtilization()
        {
            return context;
        }

        @Override
        public double recentQuality()
        {
            return quality;
        }

        @Override
        public long tokenBudgetLeft()
        {
            return Long.MAX_VALUE;
        }

        @Override
        public long completedCount()
        {
            return completed;
        }
    }
}
