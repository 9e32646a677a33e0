package dev.ringmaster.plugins.routing;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.dispatch.SubmitStatus;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.RoutingStrategy;
import dev.ringmaster.spi.TaskView;
import dev.ringmaster.testing.FakePool;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** shortest-expected-delay and expected-completion: both weigh load by declared speed; the latter may wait. */
class SpeedAwareStrategiesTest
{
    private static final double MS = 1e6;

    /** Agents of the given speeds, capacity 1 each, all with four results of the latency 1 s / speed. */
    static FakePool fleet(final double... speeds)
    {
        final AgentSpec[] specs = new AgentSpec[speeds.length];
        for (int i = 0; i < speeds.length; i++)
        {
            specs[i] = AgentSpec.builder("s-" + i, "worker").speed(speeds[i]).build();
        }
        final FakePool pool = new FakePool(specs);
        for (int i = 0; i < speeds.length; i++)
        {
            pool.completed[i] = AgentView.WARM_RESULTS;
            pool.ewmaLatencyNanos[i] = 1_000 * MS / speeds[i];
        }
        return pool;
    }

    /** A task accepted at the given time, with a sequence number and a cost estimate. */
    static TaskView task(final long sequence, final long acceptedNanos, final long costTokens)
    {
        return FakePool.view(Task.builder("worker").costTokens(costTokens).build(), acceptedNanos, sequence);
    }

    /** Marks an agent busy: every slot taken and, like the router, no room left for another task. */
    static void busy(final FakePool pool, final int agent)
    {
        pool.inFlight[agent] = pool.specs[agent].capacity();
        pool.full[agent] = true;
    }

    // ------------------------------------------------------------------ shortest-expected-delay

    @Test
    void sedPrefersALoadedFastAgentToAnIdleSlowOne()
    {
        final AgentSpec slow = AgentSpec.builder("slow", "worker").capacity(2).speed(1).build();
        final AgentSpec fast = AgentSpec.builder("fast", "worker").capacity(2).speed(4).build();
        final FakePool pool = new FakePool(slow, fast);
        pool.inFlight[1] = 2; // (2 + 1) / (2 x 4) = 0.375 beats the idle slow agent's 1 / 2
        final RoutingDecision decision = new RoutingDecision();
        assertThat(pool.pick(new ShortestExpectedDelayStrategy(), FakePool.view(Task.builder("worker").build()), decision))
            .isEqualTo(1);
        assertThat(decision.score()).isEqualTo(-0.375);
        assertThat(decision.runnerUp()).isEqualTo(-0.5);
        pool.inFlight[1] = 4; // 5 / 8 = 0.625: now the idle slow agent is sooner
        assertThat(pool.pick(new ShortestExpectedDelayStrategy())).isZero();
    }

    @Test
    void sedPicksTheSmallestDelayOnSeededRandomPools()
    {
        final SplittableRandom random = new SplittableRandom(42);
        for (int round = 0; round < 500; round++)
        {
            final int n = 1 + random.nextInt(12);
            final AgentSpec[] specs = new AgentSpec[n];
            for (int i = 0; i < n; i++)
            {
                specs[i] = AgentSpec.builder("a-" + i, "worker").capacity(1 + random.nextInt(4))
                    .speed(0.25 + random.nextInt(16) / 4.0).build();
            }
            final FakePool pool = new FakePool(specs);
            for (int i = 0; i < n; i++)
            {
                pool.inFlight[i] = random.nextInt(6);
            }
            final int pick = pool.pick(new ShortestExpectedDelayStrategy());
            for (int i = 0; i < n; i++)
            {
                assertThat(ShortestExpectedDelayStrategy.delay(pool.agent(pick)))
                    .as("round %d: agent %d", round, i)
                    .isLessThanOrEqualTo(ShortestExpectedDelayStrategy.delay(pool.agent(i)));
            }
        }
    }

    @Test
    void sedTiesTakeTurns()
    {
        final FakePool pool = fleet(2, 2, 2);
        final RoutingStrategy sed = new ShortestExpectedDelayStrategy();
        final List<Integer> picks = new ArrayList<>();
        for (int i = 0; i < 6; i++)
        {
            picks.add(pool.pick(sed));
        }
        assertThat(picks).containsExactly(0, 1, 2, 0, 1, 2);
    }

    // ------------------------------------------------------------------ expected-completion

    @Test
    void ectDeclinesASlowFreeAgentWhenAFasterBusyOneFinishesSooner()
    {
        final FakePool pool = fleet(1, 8); // the slow one takes 1 s; the fast one frees in 125 ms, finishes at 250
        busy(pool, 1);
        assertThat(pool.pick(new ExpectedCompletionStrategy(), task(1, 0, 0), new RoutingDecision())).isEqualTo(-1);
    }

    @Test
    void ectTakesTheSlowAgentWhenTheFastOneIsTooFarBehind()
    {
        final FakePool pool = fleet(1, 8);
        pool.inFlight[1] = 9; // eight tasks ahead on one slot: 1 s before it frees, more than the slow agent needs
        pool.full[1] = true;
        final RoutingDecision decision = new RoutingDecision();
        assertThat(pool.pick(new ExpectedCompletionStrategy(), task(1, 0, 0), decision)).isZero();
        assertThat(decision.score()).isEqualTo(-1_000 * MS);
    }

    @Test
    void ectNeverHoldsATaskPastItsPatience()
    {
        final FakePool pool = fleet(1, 8);
        busy(pool, 1);
        final RoutingStrategy ect = new ExpectedCompletionStrategy(1.0);
        // a task accepted 2 s after the one asked about: the old one has waited longer than the slow agent's 1 s
        pool.full[1] = false;
        pool.inFlight[1] = 0;
        assertThat(pool.pick(ect, task(2, 2_000 * (long)MS, 0), new RoutingDecision())).isEqualTo(1);
        busy(pool, 1);
        assertThat(pool.pick(ect, task(1, 0, 0), new RoutingDecision())).as("waited 2 s, patience 1 x 1 s").isZero();
        assertThat(pool.pick(ect, task(3, 1_500 * (long)MS, 0), new RoutingDecision()))
            .as("waited 0.5 s: still worth holding").isEqualTo(-1);
    }

    @Test
    void ectPlacesAHeldTaskAfterItsLastDeclineWhenTheClockStops()
    {
        final FakePool pool = fleet(1, 8);
        busy(pool, 1); // the fast agent never frees (hung), and no task arrives to move the clock
        final RoutingStrategy ect = new ExpectedCompletionStrategy();
        for (int i = 0; i < ExpectedCompletionStrategy.MAX_DECLINES; i++)
        {
            assertThat(pool.pick(ect, task(1, 0, 0), new RoutingDecision())).as("retry %d", i).isEqualTo(-1);
        }
        assertThat(pool.pick(ect, task(1, 0, 0), new RoutingDecision())).isZero();
    }

    @Test
    void ectCountsTheTasksItHoldsAheadOfTheOneAskedAbout()
    {
        final FakePool pool = fleet(1, 1, 1, 1, 8);
        busy(pool, 4); // one fast slot frees every 125 ms; a slow agent takes 1 s
        final RoutingStrategy ect = new ExpectedCompletionStrategy(100);
        final List<Integer> picks = new ArrayList<>();
        for (int t = 1; t <= 12; t++)
        {
            picks.add(pool.pick(ect, task(t, 0, 0), new RoutingDecision()));
        }
        // with k tasks held ahead, a task expects the fast agent to finish it after (k + 2) x 125 ms: from k = 6 on,
        // that is no sooner than a slow agent's 1 s
        assertThat(picks.subList(0, 6)).containsOnly(-1);
        assertThat(picks.subList(6, 12)).allSatisfy(p -> assertThat(p).isBetween(0, 3));
    }

    @Test
    void ectDeclinesOnlyForAFasterAgent()
    {
        final FakePool pool = fleet(8, 1); // the fast agent is free, the slow one busy: nothing to wait for
        busy(pool, 1);
        assertThat(pool.pick(new ExpectedCompletionStrategy(), task(1, 0, 0), new RoutingDecision())).isZero();
    }

    @Test
    void ectColdStartRanksBySpeedAndDeclinesNothing()
    {
        final AgentSpec slow = AgentSpec.builder("slow", "worker").speed(1).build();
        final AgentSpec mid = AgentSpec.builder("mid", "worker").speed(2).build();
        final AgentSpec fast = AgentSpec.builder("fast", "worker").speed(8).build();
        final FakePool pool = new FakePool(slow, mid, fast); // no latency measured anywhere
        final RoutingStrategy ect = new ExpectedCompletionStrategy();
        assertThat(pool.pick(ect, task(1, 0, 0), new RoutingDecision())).isEqualTo(2);
        busy(pool, 2);
        assertThat(pool.pick(ect, task(2, 0, 0), new RoutingDecision())).as("no time to compare a wait with").isEqualTo(1);
    }

    @Test
    void ectSendsLongTasksToFastAgentsAndShortOnesToSlowOnes()
    {
        final FakePool pool = fleet(1, 4);
        pool.inFlight[1] = 1;
        pool.full[1] = true; // the fast agent frees in 250 ms
        final RoutingStrategy ect = new ExpectedCompletionStrategy();
        final long mean = 1_000;
        pool.full[0] = true; // teach it the mean estimate with tasks placed on the fast agent
        pool.full[1] = false;
        pool.inFlight[1] = 0;
        for (int i = 0; i < 10; i++)
        {
            assertThat(pool.pick(ect, task(i, 0, mean), new RoutingDecision())).isEqualTo(1);
        }
        pool.full[0] = false;
        pool.full[1] = true;
        pool.inFlight[1] = 1;
        assertThat(pool.pick(ect, task(20, 0, 4 * mean), new RoutingDecision())).as("4 s here, 1.25 s there").isEqualTo(-1);
        assertThat(pool.pick(ect, task(21, 0, mean / 10), new RoutingDecision())).as("0.1 s here: take it").isZero();
    }

    @Test
    void ectPrefersTheProficientAgentForTheTasksSkill()
    {
        final AgentSpec weak = AgentSpec.builder("weak", "worker").skill("java", 0.5).build();
        final AgentSpec strong = AgentSpec.builder("strong", "worker").skill("java", 1.0).build();
        final FakePool pool = new FakePool(weak, strong);
        for (int i = 0; i < 2; i++)
        {
            pool.completed[i] = AgentView.WARM_RESULTS;
            pool.ewmaLatencyNanos[i] = 1_000 * MS;
        }
        final TaskView java = FakePool.view(Task.builder("worker").requiredSkills("java").build());
        assertThat(pool.pick(new ExpectedCompletionStrategy(), java, new RoutingDecision())).isEqualTo(1);
        busy(pool, 1); // strong frees in 1 s and takes 1 s; weak needs 2 s: a tie is not worth holding for
        assertThat(pool.pick(new ExpectedCompletionStrategy(), java, new RoutingDecision())).isZero();
    }

    @Test
    void aDispatcherOfMixedSpeedsCompletesEveryTaskWithEitherStrategy()
    {
        for (final String name : List.of(ShortestExpectedDelayStrategy.NAME, ExpectedCompletionStrategy.NAME))
        {
            final Dispatcher.Builder b = Dispatcher.builder().strategy(name);
            for (int i = 0; i < 4; i++)
            {
                b.agent(AgentSpec.builder("a" + i, "worker").capacity(2).speed(1 << i).build(), AgentAdapter.sync(t -> "ok"));
            }
            final Dispatcher d = b.build().start();
            for (int i = 0; i < 5_000; i++)
            {
                final Task task = Task.builder("worker").costTokens(1 + i % 1_000).build();
                assertThat(d.submit(task, Duration.ofSeconds(5))).isEqualTo(SubmitStatus.ACCEPTED);
            }
            assertThat(d.drain(Duration.ofSeconds(30))).as(name).isTrue();
            assertThat(d.metrics().completed()).as(name).isEqualTo(5_000);
        }
    }
}
