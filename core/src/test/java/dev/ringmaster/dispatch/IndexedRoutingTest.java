package dev.ringmaster.dispatch;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentPool;
import dev.ringmaster.spi.Candidates;
import dev.ringmaster.spi.IndexedRoutingStrategy;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.TaskView;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Routing SPI version 2 in the real dispatcher: the strategy is told of each pool before it routes for it, of every
 * assignment and release, and of telemetry; it routes by pool position over per-agent eligibility; and its faults, in
 * a decision or in a callback, Errors included, cost no task.
 */
class IndexedRoutingTest
{
    static final int TASKS = 3_000;

    /** The least-loaded eligible agent by a scan of the pool, counting the events the dispatcher sends it. */
    static class Recording implements IndexedRoutingStrategy
    {
        volatile int poolChanges;
        volatile long assigned;
        volatile long released;
        volatile long telemetry;
        volatile long routes;
        final Set<Integer> poolIds = new HashSet<>();
        volatile String problem;

        @Override
        public String name()
        {
            return "recording";
        }

        @Override
        public int select(final TaskView task, final Candidates candidates, final RoutingDecision decision)
        {
            throw new AssertionError("a version 2 strategy gets no candidate list");
        }

        @Override
        public int route(final TaskView task, final AgentPool pool, final RoutingDecision decision)
        {
            routes++;
            if (!poolIds.contains(pool.id()))
            {
                problem = "routed for pool " + pool.id() + " before it was announced";
            }
            int best = -1;
            for (int p = pool.nextEligible(0); p >= 0; p = p + 1 < pool.size() ? pool.nextEligible(p + 1) : -1)
            {
                if (!pool.agent(p).spec().type().equals(task.task().type()))
                {
                    problem = "pool " + pool.type() + " holds an agent of another type";
                }
                if (best < 0 || pool.agent(p).inFlight() < pool.agent(best).inFlight())
                {
                    best = p;
                }
            }
            return best < 0 ? DECLINE : best;
        }

        @Override
        public void onPoolChanged(final AgentPool pool)
        {
            poolChanges++;
            poolIds.add(pool.id());
        }

        @Override
        public void onAssigned(final AgentPool pool, final int position, final TaskView task)
        {
            assigned++;
            if (pool.agent(position).inFlight() < 1)
            {
                problem = "told of an assignment to " + pool.agent(position).id() + " before its load counted it";
            }
        }

        @Override
        public void onReleased(final AgentPool pool, final int position, final TaskView task)
        {
            released++;
        }

        @Override
        public void onTelemetry(final AgentPool pool, final int position)
        {
            telemetry++;
        }
    }

    @Test
    void theStrategyHearsOfEveryPoolAssignmentAndRelease() throws Exception
    {
        final Recording strategy = new Recording();
        final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        final Dispatcher d = twoTypes(strategy, timer);
        try
        {
            submitAll(d);
            assertThat(d.drain(Duration.ofSeconds(60))).as(d::describe).isTrue();
            assertThat(strategy.problem).isNull();
            assertThat(strategy.poolIds).as("one pool id per agent type").containsExactlyInAnyOrder(0, 1);
            assertThat(strategy.assigned).isEqualTo(TASKS);
            assertThat(strategy.released).as("every assignment released once").isEqualTo(TASKS);
            assertThat(strategy.telemetry).as("one telemetry event per result").isEqualTo(TASKS);
            assertThat(d.metrics().completed()).isEqualTo(TASKS);
            assertThat(d.metrics().strategyFaults()).isZero();
        }
        finally
        {
            d.shutdownNow();
            timer.shutdownNow();
        }
    }

    @Test
    void faultsInCallbacksAndAnswersCostNoTaskAndReannounceThePool() throws Exception
    {
        final Recording strategy = new Recording()
        {
            @Override
            public int route(final TaskView task, final AgentPool pool, final RoutingDecision decision)
            {
                final int p = super.route(task, pool, decision);
                return routes % 5 == 0 ? pool.size() + 7 : p; // out of range now and then: the dispatcher picks
            }

            @Override
            public void onAssigned(final AgentPool pool, final int position, final TaskView task)
            {
                super.onAssigned(pool, position, task);
                if (assigned % 7 == 0)
                {
                    throw new StackOverflowError("index bug");
                }
            }
        };
        final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        final Dispatcher d = twoTypes(strategy, timer);
        try
        {
            submitAll(d);
            assertThat(d.drain(Duration.ofSeconds(60))).as(d::describe).isTrue();
            assertThat(d.metrics().completed()).isEqualTo(TASKS);
            assertThat(d.metrics().strategyFaults()).isPositive();
            // the report tells a wrong answer (the task went to the fallback's choice) from a callback's fault
            assertThat(d.metrics().strategyCallbackFaults()).as("onAssigned threw").isPositive()
                .isLessThan(d.metrics().strategyFaults());
            assertThat(strategy.poolChanges).as("pools announced again after a callback threw").isGreaterThan(2);
        }
        finally
        {
            d.shutdownNow();
            timer.shutdownNow();
        }
    }

    @Test
    void aPositionBeyondThePoolIsReportedAsOutOfRange() throws Exception
    {
        final Recording strategy = new Recording()
        {
            @Override
            public int route(final TaskView task, final AgentPool pool, final RoutingDecision decision)
            {
                return pool.size() + 3;
            }
        };
        final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        final Dispatcher d = twoTypes(strategy, timer);
        final String logs;
        try
        {
            logs = dev.ringmaster.testing.StderrLogs.of(() ->
            {
                submitAll(d);
                assertThat(d.drain(Duration.ofSeconds(60))).as(d::describe).isTrue();
            });
        }
        finally
        {
            d.shutdownNow();
            timer.shutdownNow();
        }
        assertThat(d.metrics().strategyCallbackFaults()).isZero();
        assertThat(logs).contains("which is out of range (pool of").doesNotContain("not eligible");
    }

    private static Dispatcher twoTypes(final IndexedRoutingStrategy strategy, final ScheduledExecutorService timer)
    {
        final Dispatcher.Builder b = Dispatcher.builder().strategy(strategy).seed(7);
        for (int i = 0; i < 3; i++)
        {
            b.agent(AgentSpec.builder("a" + i, "alpha").capacity(2).build(), (t, c, tel) ->
                timer.schedule(() -> c.succeed("ok"), 100, TimeUnit.MICROSECONDS));
            b.agent(AgentSpec.builder("b" + i, "beta").capacity(1).build(), (t, c, tel) -> c.succeed("ok"));
        }
        return b.build().start();
    }

    private static void submitAll(final Dispatcher d)
    {
        for (int i = 0; i < TASKS; i++)
        {
            final Task.Builder t = Task.builder(i % 2 == 0 ? "alpha" : "beta");
            if (i % 11 == 0)
            {
                t.targetAgent(i % 2 == 0 ? "a1" : "b2");
            }
            assertThat(d.submit(t.build(), Duration.ofSeconds(10))).isEqualTo(SubmitStatus.ACCEPTED);
        }
    }
}
