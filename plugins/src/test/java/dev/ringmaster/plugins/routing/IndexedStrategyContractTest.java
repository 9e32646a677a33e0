package dev.ringmaster.plugins.routing;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.plugins.routing.index.ScoreIndex;
import dev.ringmaster.routing.RoutingStrategies;
import dev.ringmaster.spi.IndexedRoutingStrategy;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.RoutingStrategy;
import dev.ringmaster.spi.TaskView;
import dev.ringmaster.testing.FakePool;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The indexed (version 2) route of each score-ranked strategy against its own scan (version 1 select) on random pools
 * and random event sequences: at every decision the indexed pick scores what the scan's pick scores (ties may go to
 * another agent of equal score), and it is eligible.
 */
class IndexedStrategyContractTest
{
    static final String[] SKILLS = {"java", "sql", "docs"};

    @ParameterizedTest(name = "{0}, seed {1}")
    @ValueSource(strings = {"least-connections", "least-tokens", "skill-based", "resource-adaptive", "shortest-expected-delay"})
    void indexedPickScoresLikeTheScan(final String name)
    {
        for (long seed = 1; seed <= 8; seed++)
        {
            run(name, seed);
        }
    }

    private static void run(final String name, final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        // even seeds: pools small enough to be scanned per decision; odd seeds: pools indexed by heaps
        final int n = seed % 2 == 0 ? 4 + random.nextInt(ScoreIndex.SCAN_LIMIT - 3) : ScoreIndex.SCAN_LIMIT + 1 + random.nextInt(100);
        final FakeAgentPool pool = new FakeAgentPool(randomPool(random, n), 0);
        final FakePool fake = pool.fake;
        final IndexedRoutingStrategy indexed = (IndexedRoutingStrategy)RoutingStrategies.create(name, loader());
        final RoutingStrategy scan = RoutingStrategies.create(name, loader());
        indexed.onPoolChanged(pool);
        final List<long[]> running = new ArrayList<>(); // {position, cost}
        final RoutingDecision d1 = new RoutingDecision();
        final RoutingDecision d2 = new RoutingDecision();
        int compared = 0;
        for (int step = 0; step < 4_000; step++)
        {
            final int event = random.nextInt(10);
            if (event < 6)
            {
                final long cost = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(5_000);
                final Task.Builder b = Task.builder("worker").costTokens(cost);
                if (random.nextInt(3) == 0)
                {
                    b.requiredSkills(SKILLS[random.nextInt(SKILLS.length)]);
                }
                final TaskView task = FakePool.view(b.build());
                pool.syncFull();
                if (pool.routing(task).nextEligible(0) < 0)
                {
                    continue; // the router would not route it now
                }
                fake.pick(scan, task, d1);
                d2.reset();
                final int p = indexed.route(task, pool.routing(task), d2);
                assertThat(p).as("%s seed %d step %d", name, seed, step).isNotNegative();
                assertThat(pool.isEligible(p)).as("eligible").isTrue();
                assertThat(d2.score()).as("%s seed %d step %d: score of the indexed pick", name, seed, step)
                    .isCloseTo(d1.score(), within(1e-9));
                compared++;
                fake.inFlight[p]++;
                fake.tokensInFlight[p] += cost;
                running.add(new long[]{p, cost});
                indexed.onAssigned(pool.routing(null), p, task);
            }
            else if (event < 9 && !running.isEmpty())
            {
                final long[] done = running.remove(random.nextInt(running.size()));
                final int p = (int)done[0];
                fake.inFlight[p]--;
                fake.tokensInFlight[p] -= done[1];
                indexed.onReleased(pool.routing(null), p, null);
            }
            else
            {
                final int p = random.nextInt(n);
                fake.recentQuality[p] = random.nextDouble();
                fake.contextUtilization[p] = random.nextDouble();
                fake.tokenBudgetLeft[p] = random.nextInt(4) == 0 ? random.nextInt(10_000) : Long.MAX_VALUE;
                indexed.onTelemetry(pool.routing(null), p);
            }
        }
        assertThat(compared).isGreaterThan(1_000);
    }

    /** Every version 2 built-in: only eligible agents, a named target or nothing, and no agent starved. */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.MethodSource("indexedStrategies")
    void everyIndexedStrategyPicksOnlyEligibleAgentsAndHonoursTargets(final String name)
    {
        final SplittableRandom random = new SplittableRandom(11);
        final int n = 70; // more than one 64-agent word
        final FakeAgentPool pool = new FakeAgentPool(randomPool(random, n), 3);
        final FakePool fake = pool.fake;
        final IndexedRoutingStrategy s = (IndexedRoutingStrategy)RoutingStrategies.create(name, loader());
        s.onPoolChanged(pool);
        final int[] picks = new int[n];
        for (int step = 0; step < 5_000; step++)
        {
            final Task.Builder b = Task.builder("worker").affinityKey("k" + random.nextInt(50));
            if (step % 10 == 0)
            {
                b.targetAgent("a-" + random.nextInt(n));
            }
            if (step % 7 == 0)
            {
                b.avoidAgent("a-" + random.nextInt(n));
            }
            final TaskView task = FakePool.view(b.build());
            pool.syncFull();
            final int p = s.route(task, pool.routing(task), new RoutingDecision());
            if (p == RoutingStrategy.DECLINE)
            {
                continue;
            }
            assertThat(pool.isEligible(p)).as("%s picked %d at step %d", name, p, step).isTrue();
            if (task.task().targetAgent() != null)
            {
                assertThat(fake.specs[p].id()).isEqualTo(task.task().targetAgent());
            }
            picks[p]++;
            fake.inFlight[p]++;
            s.onAssigned(pool.routing(null), p, task);
            fake.inFlight[p]--; // done at once: every agent keeps its room
            s.onReleased(pool.routing(null), p, task);
        }
        if (!name.equals("direct") && !name.equals("skill-based"))
        {
            assertThat(java.util.Arrays.stream(picks).filter(c -> c == 0).count()).as("agents never picked by " + name)
                .isLessThan(n / 4);
        }
    }

    /** Equal agents take turns, in a pool small enough to be scanned and in one indexed by heaps alike. */
    @ParameterizedTest(name = "{0} agents")
    @ValueSource(ints = {5, ScoreIndex.SCAN_LIMIT, ScoreIndex.SCAN_LIMIT + 7})
    void equalAgentsTakeTurnsUnderLeastConnections(final int n)
    {
        final AgentSpec[] specs = new AgentSpec[n];
        for (int i = 0; i < n; i++)
        {
            specs[i] = AgentSpec.builder("e-" + i, "worker").capacity(2).build();
        }
        final FakeAgentPool pool = new FakeAgentPool(new FakePool(specs), 0);
        final FakePool fake = pool.fake;
        final IndexedRoutingStrategy s = new LeastConnectionsStrategy();
        s.onPoolChanged(pool);
        final TaskView task = FakePool.view(Task.builder("worker").build());
        final int[] picks = new int[n];
        for (int k = 0; k < 3 * n; k++)
        {
            pool.syncFull();
            final int p = s.route(task, pool.routing(task), new RoutingDecision());
            picks[p]++;
            fake.inFlight[p]++;
            s.onAssigned(pool.routing(null), p, task);
            fake.inFlight[p]--; // done at once: all agents are equal again
            s.onReleased(pool.routing(null), p, task);
        }
        assertThat(picks).as("picks per agent after three rounds").containsOnly(3);
    }

    @org.junit.jupiter.api.Test
    void strideSchedulingGivesEachAgentItsWeightPerCycle()
    {
        final AgentSpec[] specs = new AgentSpec[5];
        int total = 0;
        for (int i = 0; i < specs.length; i++)
        {
            specs[i] = AgentSpec.builder("w-" + i, "worker").capacity(4).weight(1 + i).build();
            total += 1 + i;
        }
        final FakeAgentPool pool = new FakeAgentPool(new FakePool(specs), 0);
        final IndexedRoutingStrategy s = new WeightedRoundRobinStrategy();
        s.onPoolChanged(pool);
        final int cycles = 20;
        final int[] picks = new int[specs.length];
        final TaskView task = FakePool.view(Task.builder("worker").build());
        for (int k = 0; k < cycles * total; k++)
        {
            final int p = s.route(task, pool.routing(task), new RoutingDecision());
            picks[p]++;
            s.onAssigned(pool.routing(null), p, task);
            s.onReleased(pool.routing(null), p, task);
        }
        for (int i = 0; i < specs.length; i++)
        {
            assertThat(picks[i]).as("picks of weight %d", i + 1).isBetween(cycles * (i + 1) - 1, cycles * (i + 1) + 1);
        }
    }

    static java.util.stream.Stream<String> indexedStrategies()
    {
        return RoutingStrategies.names(loader()).stream()
            .filter(n -> RoutingStrategies.create(n, loader()) instanceof IndexedRoutingStrategy);
    }

    static FakePool randomPool(final SplittableRandom random, final int n)
    {
        return randomPool(random, n, 2);
    }

    /** @param skillOdds one agent in this many has each skill */
    static FakePool randomPool(final SplittableRandom random, final int n, final int skillOdds)
    {
        final AgentSpec[] specs = new AgentSpec[n];
        for (int i = 0; i < n; i++)
        {
            final AgentSpec.Builder b = AgentSpec.builder("a-" + i, "worker").capacity(1 + random.nextInt(8))
                .weight(1 + random.nextInt(5));
            for (final String skill : SKILLS)
            {
                if (random.nextInt(skillOdds) == 0)
                {
                    b.skill(skill, 0.1 + 0.9 * random.nextDouble());
                }
            }
            specs[i] = b.build();
        }
        return new FakePool(specs);
    }

    static ClassLoader loader()
    {
        return IndexedStrategyContractTest.class.getClassLoader();
    }
}
