package dev.ringmaster.dispatch;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.testing.StderrLogs;
import dev.ringmaster.testing.TestStrategies;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A drain that cannot finish because some accepted tasks can never run as things stand (their type is paused, or has no
 * agent) keeps its contract (false at the timeout, the dispatcher still draining), and says why: the count per cause
 * and the fix.
 */
class DrainBlockersTest
{
    @Test
    void aDrainThatTimesOutNamesTheTasksThatCannotRunByCauseAndTheFix() throws Exception
    {
        final Dispatcher d = Dispatcher.builder().strategy(TestStrategies.leastLoaded())
            .agent(AgentSpec.builder("a1", "alpha").build(), AgentAdapter.sync(t -> "a"))
            .agent(AgentSpec.builder("b1", "beta").build(), AgentAdapter.sync(t -> "b"))
            .agent(AgentSpec.builder("c1", "gamma").build(), AgentAdapter.sync(t -> "c"))
            .build().start();
        try
        {
            d.pauseType("alpha").get(5, TimeUnit.SECONDS);
            d.removeAgent("b1").get(5, TimeUnit.SECONDS);
            final List<CompletableFuture<TaskResult>> results = new ArrayList<>();
            for (int i = 0; i < 3; i++)
            {
                results.add(d.submitAsync(Task.builder("alpha").build()));
            }
            for (int i = 0; i < 2; i++)
            {
                results.add(d.submitAsync(Task.builder("beta").build()));
            }
            results.add(d.submitAsync(Task.builder("gamma").build()));
            assertThat(results.get(5).get(5, TimeUnit.SECONDS).state()).isEqualTo(TerminalState.COMPLETED);

            assertThat(d.drain(Duration.ofMillis(200))).isFalse();
            assertThat(d.state()).as("the contract: still draining").isEqualTo(DispatcherState.DRAINING);
            assertThat(DrainBlockers.causes(d))
                .contains("paused type alpha: 3 task(s)").contains("resumeType(\"alpha\")")
                .contains("no agent of type beta: 2 task(s)").contains("addAgent")
                .contains("shutdownNow").doesNotContain("gamma");
            assertThat(DrainBlockers.of(d)).as("the same, for a caller that words it itself").containsExactlyInAnyOrder(
                new DrainBlockers.Blocker("alpha", DrainBlockers.Cause.PAUSED, 3),
                new DrainBlockers.Blocker("beta", DrainBlockers.Cause.NO_AGENT, 2));
            assertThat(DrainBlockers.timedOut(d, Duration.ofMillis(200)))
                .contains("5 task(s) still outstanding").contains("paused type alpha: 3 task(s)")
                .contains("no agent of type beta: 2 task(s)");

            // the fixes it names work during the drain
            d.resumeType("alpha").get(5, TimeUnit.SECONDS);
            d.addAgent(AgentSpec.builder("b2", "beta").build(), AgentAdapter.sync(t -> "b")).get(5, TimeUnit.SECONDS);
            assertThat(d.drain(Duration.ofSeconds(10))).as(d::describe).isTrue();
            for (final CompletableFuture<TaskResult> r : results)
            {
                assertThat(r.get(1, TimeUnit.SECONDS).state()).isEqualTo(TerminalState.COMPLETED);
            }
        }
        finally
        {
            d.shutdownNow();
            d.awaitTermination(Duration.ofSeconds(5));
        }
    }

    @Test
    void drainLogsTheTimeoutAndDrainQuietlyLeavesItToTheCaller() throws Exception
    {
        // a caller that reports the timeout itself (serve) must not have the dispatcher say it a second time
        final Dispatcher d = Dispatcher.builder().strategy(TestStrategies.leastLoaded())
            .agent(AgentSpec.builder("a1", "alpha").build(), AgentAdapter.sync(t -> "a"))
            .build().start();
        try
        {
            d.pauseType("alpha").get(5, TimeUnit.SECONDS);
            d.submitAsync(Task.builder("alpha").build());
            final boolean[] drained = new boolean[2];
            final String quiet = StderrLogs.of(() -> drained[0] = d.drainQuietly(Duration.ofMillis(100)));
            final String logged = StderrLogs.of(() -> drained[1] = d.drain(Duration.ofMillis(100)));
            assertThat(drained).containsExactly(false, false);
            assertThat(d.state()).isEqualTo(DispatcherState.DRAINING);
            assertThat(quiet).doesNotContain("drain did not finish");
            assertThat(logged).contains("drain did not finish", "paused type alpha: 1 task(s)");
        }
        finally
        {
            d.shutdownNow();
            d.awaitTermination(Duration.ofSeconds(5));
        }
    }


    @Test
    void nothingIsBlamedWhenEveryWaitingTaskHasATypeThatServes() throws Exception
    {
        final Dispatcher d = Dispatcher.builder().strategy(TestStrategies.leastLoaded())
            .agent(AgentSpec.builder("a1", "alpha").build(), AgentAdapter.sync(t -> "a"))
            .build().start();
        try
        {
            assertThat(DrainBlockers.causes(d)).isEmpty();
            assertThat(DrainBlockers.of(d)).isEmpty();
            // nothing outstanding: what a drain that times out then waits for is a thread or an adapter's stop()
            assertThat(DrainBlockers.timedOut(d, Duration.ofSeconds(1))).doesNotContain("cannot run now", "DRAINING")
                .contains("every task has ended", "adapter's stop()");
        }
        finally
        {
            assertThat(d.drain(Duration.ofSeconds(10))).isTrue();
        }
    }
}
