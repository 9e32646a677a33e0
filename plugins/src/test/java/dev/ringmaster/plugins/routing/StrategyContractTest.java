package dev.ringmaster.plugins.routing;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.routing.RoutingStrategies;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.RoutingStrategy;
import dev.ringmaster.spi.RoutingStrategyProvider;
import dev.ringmaster.spi.TaskView;
import dev.ringmaster.testing.FakePool;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** What every built-in strategy promises, checked against each: a valid answer, its cost stated, no allocation. */
class StrategyContractTest
{
    static final int AGENTS = 16;
    static final int DECISIONS = 20_000;

    static Stream<String> strategies()
    {
        return RoutingStrategies.names(StrategyContractTest.class.getClassLoader()).stream();
    }

    /** A mixed pool: capacities, weights, latencies and telemetry that differ, so every branch gets exercised. */
    static FakePool pool()
    {
        final AgentSpec[] specs = new AgentSpec[AGENTS];
        for (int i = 0; i < AGENTS; i++)
        {
            specs[i] = AgentSpec.builder("c-" + i, "worker").capacity(1 + i % 4).weight(1 + i % 3).build();
        }
        final FakePool pool = new FakePool(specs);
        for (int i = 0; i < AGENTS; i++)
        {
            pool.ewmaLatencyNanos[i] = i == 3 ? 0 : 1_000_000 * (1 + i % 5);
            pool.peakEwmaLatencyNanos[i] = pool.ewmaLatencyNanos[i] * 1.5;
            pool.tokenBudgetLeft[i] = i % 5 == 0 ? 2_000 : Long.MAX_VALUE;
        }
        return pool;
    }

    /** Tasks with and without affinity keys, targets and costs; built once, so the loop below allocates nothing itself. */
    static TaskView[] tasks()
    {
        final TaskView[] tasks = new TaskView[64];
        for (int t = 0; t < tasks.length; t++)
        {
            final Task.Builder b = Task.builder("worker").costTokens(100L * t);
            if (t % 4 != 0)
            {
                b.affinityKey("key-" + t % 24);
            }
            if (t % 3 == 0)
            {
                b.targetAgent("c-" + t % 20); // c-16 .. c-19 do not exist
            }
            tasks[t] = FakePool.view(b.build());
        }
        return tasks;
    }

    /** Runs decisions on a pool whose load and eligibility change between them. */
    static void decide(final RoutingStrategy strategy, final FakePool pool, final TaskView[] tasks,
                       final SplittableRandom random, final RoutingDecision decision, final int count)
    {
        for (int d = 0; d < count; d++)
        {
            final int agent = random.nextInt(AGENTS);
            pool.inFlight[agent] = random.nextInt(pool.specs[agent].capacity() + 1);
            pool.tokensInFlight[agent] = pool.inFlight[agent] * 700L;
            pool.contextUtilization[agent] = random.nextDouble();
            pool.full[agent] = random.nextInt(4) == 0;
            pool.full[random.nextInt(AGENTS)] = false;
            pool.full[0] = false; // never an empty candidate list
            final int pick = pool.pick(strategy, tasks[d & 63], decision);
            if (pick != RoutingStrategy.DECLINE && pool.full[pick])
            {
                // a plain check, not an assertion object per decision: the loop must not allocate by itself
                throw new AssertionError(strategy.name() + " picked agent " + pick + ", which is not a candidate");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("strategies")
    void describesItsCostPerDecision(final String name)
    {
        final RoutingStrategyProvider provider = RoutingStrategies.available(StrategyContractTest.class.getClassLoader()).get(name);
        assertThat(provider.description()).containsPattern("O\\((1|log n|n|n x k)\\)");
        assertThat(provider.create().name()).isEqualTo(name);
        assertThat(name).matches("[a-z0-9]+(-[a-z0-9]+)*");
    }

    @ParameterizedTest
    @MethodSource("strategies")
    void allocatesNothingPerDecision(final String name)
    {
        final java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "needs HotSpot's per-thread allocation counter");
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)bean;
        Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());

        final RoutingStrategy strategy = RoutingStrategies.create(name, StrategyContractTest.class.getClassLoader());
        final FakePool pool = pool();
        final TaskView[] tasks = tasks();
        final SplittableRandom random = new SplittableRandom(17);
        final RoutingDecision decision = new RoutingDecision();
        decide(strategy, pool, tasks, random, decision, DECISIONS); // warm-up: rings, maps and sessions get built

        final long thread = Thread.currentThread().getId();
        final long before = threads.getThreadAllocatedBytes(thread);
        decide(strategy, pool, tasks, random, decision, DECISIONS);
        final long allocated = threads.getThreadAllocatedBytes(thread) - before;

        // under one byte per decision on average: a single object per decision would be 16 bytes or more
        assertThat(allocated).as("bytes allocated by %d decisions of %s", DECISIONS, name).isLessThan(DECISIONS);
    }
}
