package dev.ringmaster.plugins.routing;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.plugins.routing.index.ScoreIndex;
import dev.ringmaster.routing.RoutingStrategies;
import dev.ringmaster.spi.AgentView;
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
 * One indexed strategy instance serving two pools (ids 0 and 1) whose agents join and leave mid-sequence (positions
 * shift, each change announced), with latency, speed-dependent and context telemetry: every indexed decision scores
 * as the scan's on the pool as it is then.
 */
class PoolChurnIndexTest
{
    static final String[] SKILLS = {"java", "sql", "docs"};

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"skill-based", "expected-completion", "least-connections", "least-tokens",
        "resource-adaptive", "shortest-expected-delay"})
    void indexedDecisionsMatchTheScanThroughPoolChanges(final String name)
    {
        for (long seed = 1; seed <= 6; seed++)
        {
            run(name, seed);
        }
    }

    /** @param ids the next free agent id, advanced: agents that join get ids never used before */
    private static AgentSpec spec(final SplittableRandom random, final int[] ids)
    {
        final AgentSpec.Builder b = AgentSpec.builder("a-" + ids[0]++, "worker").capacity(1 + random.nextInt(4))
            .speed(new double[]{0.25, 0.5, 1, 2, 4}[random.nextInt(5)]).weight(1 + random.nextInt(3));
        for (final String skill : SKILLS)
        {
            if (random.nextInt(2) == 0)
            {
                b.skill(skill, 0.1 + 0.9 * random.nextDouble());
            }
        }
        return b.build();
    }

    /** One pool as it is now, and the tasks its agents hold. */
    private static final class Side
    {
        FakeAgentPool pool;
        final List<Object[]> running = new ArrayList<>(); // {agent id, cost}
    }

    /** @return the pool after about one agent in six left and new ones joined at random positions, up to target */
    private static FakeAgentPool churn(final SplittableRandom random, final int[] ids, final FakeAgentPool old,
                                       final int id, final int target)
    {
        final List<Integer> keep = new ArrayList<>();
        for (int i = 0; i < old.size(); i++)
        {
            if (random.nextInt(6) != 0)
            {
                keep.add(i);
            }
        }
        final List<AgentSpec> specs = new ArrayList<>();
        final List<Integer> from = new ArrayList<>();
        for (final int i : keep)
        {
            specs.add(old.fake.specs[i]);
            from.add(i);
        }
        while (specs.size() < target)
        {
            final int at = random.nextInt(specs.size() + 1);
            specs.add(at, spec(random, ids));
            from.add(at, -1);
        }
        final FakeAgentPool pool = new FakeAgentPool(new FakePool(specs.toArray(new AgentSpec[0])), id);
        pool.prefetch = old.prefetch;
        for (int i = 0; i < specs.size(); i++)
        {
            final int o = from.get(i);
            if (o >= 0)
            {
                pool.fake.inFlight[i] = old.fake.inFlight[o];
                pool.fake.tokensInFlight[i] = old.fake.tokensInFlight[o];
                pool.fake.ewmaLatencyNanos[i] = old.fake.ewmaLatencyNanos[o];
                pool.fake.peakEwmaLatencyNanos[i] = old.fake.peakEwmaLatencyNanos[o];
                pool.fake.completed[i] = old.fake.completed[o];
                pool.fake.contextUtilization[i] = old.fake.contextUtilization[o];
                pool.fake.recentQuality[i] = old.fake.recentQuality[o];
            }
        }
        return pool;
    }

    private static void run(final String name, final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final IndexedRoutingStrategy indexed = (IndexedRoutingStrategy)RoutingStrategies.create(name,
            IndexedStrategyContractTest.loader());
        final RoutingStrategy scan = RoutingStrategies.create(name, IndexedStrategyContractTest.loader());
        final Side[] sides = {new Side(), new Side()};
        final int[] ids = {0};
        for (int s = 0; s < 2; s++)
        {
            final AgentSpec[] specs = new AgentSpec[ScoreIndex.SCAN_LIMIT + 1 + random.nextInt(40)];
            for (int i = 0; i < specs.length; i++)
            {
                specs[i] = spec(random, ids);
            }
            sides[s].pool = new FakeAgentPool(new FakePool(specs), s);
            sides[s].pool.prefetch = (int)(seed % 2);
            indexed.onPoolChanged(sides[s].pool);
        }
        final RoutingDecision d1 = new RoutingDecision();
        final RoutingDecision d2 = new RoutingDecision();
        long sequence = 0;
        for (int step = 0; step < 4_000; step++)
        {
            final Side side = sides[random.nextInt(2)];
            final FakeAgentPool pool = side.pool;
            final FakePool fake = pool.fake;
            final int n = pool.size();
            final int event = random.nextInt(100);
            final String where = name + " seed " + seed + " step " + step;
            if (event < 55)
            {
                final long cost = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(5_000);
                final Task.Builder b = Task.builder("worker").costTokens(cost);
                if (random.nextInt(2) == 0)
                {
                    b.requiredSkills(SKILLS[random.nextInt(SKILLS.length)]);
                }
                final TaskView task = FakePool.view(b.build(), 0, ++sequence);
                pool.syncFull();
                if (pool.routing(task).nextEligible(0) < 0)
                {
                    continue;
                }
                final int expected = fake.pick(scan, task, d1);
                d2.reset();
                final int p = indexed.route(task, pool.routing(task), d2);
                assertThat(p == RoutingStrategy.DECLINE).as("%s: declines as the scan", where).isEqualTo(expected < 0);
                if (p < 0)
                {
                    continue;
                }
                assertThat(pool.isEligible(p)).as("%s: eligible", where).isTrue();
                assertThat(d2.score()).as("%s: score of the indexed pick", where)
                    .isCloseTo(d1.score(), within(Math.max(1e-9, Math.abs(d1.score()) * 1e-9)));
                fake.inFlight[p]++;
                fake.tokensInFlight[p] += cost;
                side.running.add(new Object[]{fake.specs[p].id(), cost});
                indexed.onAssigned(pool.routing(null), p, task);
            }
            else if (event < 85 && !side.running.isEmpty())
            {
                final Object[] done = side.running.remove(random.nextInt(side.running.size()));
                final int p = pool.positionOf((String)done[0]);
                fake.inFlight[p]--;
                fake.tokensInFlight[p] -= (Long)done[1];
                indexed.onReleased(pool.routing(null), p, null);
            }
            else if (event < 97)
            {
                final int p = random.nextInt(n);
                fake.completed[p] += 1 + random.nextInt(AgentView.WARM_RESULTS);
                fake.ewmaLatencyNanos[p] = 1e9 / fake.specs[p].speed() * (0.5 + random.nextDouble());
                fake.peakEwmaLatencyNanos[p] = fake.ewmaLatencyNanos[p] * (1 + random.nextDouble());
                fake.contextUtilization[p] = random.nextDouble();
                fake.recentQuality[p] = random.nextDouble();
                indexed.onTelemetry(pool.routing(null), p);
            }
            else
            {
                // agents leave and join: positions shift; sometimes exactly SCAN_LIMIT + 1, sometimes scanned
                final int target = random.nextInt(3) == 0 ? ScoreIndex.SCAN_LIMIT + 1 :
                    ScoreIndex.SCAN_LIMIT - 5 + random.nextInt(60);
                side.pool = churn(random, ids, pool, pool.id(), target);
                side.running.removeIf(r -> side.pool.positionOf((String)r[0]) < 0);
                indexed.onPoolChanged(side.pool);
            }
        }
    }
}
