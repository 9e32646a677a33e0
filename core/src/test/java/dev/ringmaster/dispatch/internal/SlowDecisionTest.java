package dev.ringmaster.dispatch.internal;

import dev.ringmaster.dispatch.TaskResult;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.Candidates;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.RoutingStrategy;
import dev.ringmaster.spi.TaskView;
import dev.ringmaster.testing.TestStrategies;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A strategy that blocks is named: it holds the thread that routes every task, and before this the only trace was the
 * ROUTING stage's histogram. A quick strategy is not reported: a decision is timed
 * from just before the strategy's call to just after it.
 */
class SlowDecisionTest
{
    @Test
    void aStrategyThatBlocksInSelectIsReportedAndAQuickOneIsNot() throws Exception
    {
        final RoutingStrategy sleeper = sleeper(2); // a call out, say: at least 2 ms
        assertThat(slowDecisionsReported(sleeper)).as("slow decisions reported for a strategy sleeping 2 ms").isPositive();
        assertThat(slowDecisionsReported(TestStrategies.first())).as("slow decisions reported for a quick one").isZero();
        final RoutingStrategy thrower = new RoutingStrategy()
        {
            @Override
            public String name()
            {
                return "thrower";
            }

            @Override
            public int select(final TaskView task, final Candidates c, final RoutingDecision d)
            {
                throw new IllegalStateException("quick, but logged with its stack trace");
            }
        };
        assertThat(slowDecisionsReported(thrower)).as("slow decisions reported for one that fails fast").isZero();
    }

    @Test
    void oneDecisionInSixteenIsTimedAndItsSampleIsTheStrategysCall() throws Exception
    {
        final Engine engine = run(sleeper(1));
        final org.HdrHistogram.Histogram routing = engine.stages().intervalHistogram(Stage.ROUTING, null);
        assertThat(routing.getTotalCount()).as("ROUTING samples for %d decisions", 4 * Selection.ROUTING_SAMPLE)
            .isEqualTo(4);
        // each sample is a duration that includes the 1 ms park, not a clock reading or a share of another decision
        assertThat(routing.getMinValue()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(1) * 99 / 100);
        assertThat(routing.getMaxValue()).isLessThan(TimeUnit.SECONDS.toNanos(10));
    }

    /** @return a strategy that takes at least {@code millis} per decision, as one that calls out would. */
    private static RoutingStrategy sleeper(final long millis)
    {
        return new RoutingStrategy()
        {
            @Override
            public String name()
            {
                return "sleeper";
            }

            @Override
            public int select(final TaskView task, final Candidates c, final RoutingDecision d)
            {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(millis));
                return 0;
            }
        };
    }

    /** @return the slow decisions reported after 64 tasks (4 timed decisions), every one completed. */
    private static long slowDecisionsReported(final RoutingStrategy strategy) throws Exception
    {
        return run(strategy).router.selection.slowDecisions.total();
    }

    /** @return the engine, drained, after it ran 4 x ROUTING_SAMPLE tasks (4 timed decisions), every one completed. */
    private static Engine run(final RoutingStrategy strategy) throws Exception
    {
        final Engine engine = new Engine(List.of(AgentSpec.builder("a0", "coder").capacity(64).build()),
            List.of(AgentAdapter.sync(t -> "done")), strategy, List.of(), (task, state, result, reason) -> { },
            new EngineConfig());
        engine.start();
        try
        {
            final List<CompletableFuture<TaskResult>> futures = new ArrayList<>();
            for (int i = 0; i < 4 * Selection.ROUTING_SAMPLE; i++)
            {
                final CompletableFuture<TaskResult> f = new CompletableFuture<>();
                assertThat(engine.submit(Task.builder("coder").build(), f).name()).isEqualTo("ACCEPTED");
                futures.add(f);
            }
            for (final CompletableFuture<TaskResult> f : futures)
            {
                assertThat(f.get(10, TimeUnit.SECONDS).completed()).isTrue();
            }
            return engine;
        }
        finally
        {
            assertThat(engine.drain(10, TimeUnit.SECONDS)).isTrue();
        }
    }
}
