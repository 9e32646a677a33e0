package dev.ringmaster.dispatch;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.Candidates;
import dev.ringmaster.spi.Completion;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.RoutingStrategy;
import dev.ringmaster.spi.TaskView;
import dev.ringmaster.testing.Await;
import dev.ringmaster.testing.TestStrategies;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Work that no request announces is still done: the routing role has no dedicated thread on the common path, so
 * changes that send no request (a late answer freeing a retiring agent's last slot, a strategy that declined for
 * now) and callbacks that read metrics on the role's own thread must not strand anything. Found in review.
 */
class RoutingRoleLivenessTest
{
    @Test
    void removingAnAgentCompletesOnceItsTimedOutAttemptAnswersLate() throws Exception
    {
        final AtomicReference<Completion> hung = new AtomicReference<>();
        final Dispatcher d = Dispatcher.builder()
            .agent(AgentSpec.builder("hung", "w").capacity(1).build(), (task, c, tel) -> hung.set(c))
            .agent(AgentSpec.builder("ok", "w").capacity(1).build(), (task, c, tel) -> c.succeed("ok"))
            .strategy(TestStrategies.first()).workers(1)
            .build().start();
        final TaskResult r = d.submitAsync(Task.builder("w").targetAgent("hung").timeout(Duration.ofMillis(30))
            .maxRetries(0).build()).get(10, TimeUnit.SECONDS);
        assertThat(r.state()).isEqualTo(TerminalState.DEAD_LETTERED);
        final CompletableFuture<AgentView> removed = d.removeAgent("hung");
        assertThat(removed).as("its abandoned attempt still holds a slot").isNotDone();
        hung.get().succeed("late"); // frees the slot; no task, no completion, no request follows
        assertThat(removed.get(10, TimeUnit.SECONDS).id()).isEqualTo("hung");
        assertThat(d.drain(Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void aFutureStageThatReadsMetricsDoesNotStallTheDispatcher() throws Exception
    {
        final CountDownLatch go = new CountDownLatch(1);
        final Dispatcher d = Dispatcher.builder()
            .agent(AgentSpec.builder("a", "w").capacity(1).build(), (task, c, tel) ->
            {
                go.await(10, TimeUnit.SECONDS);
                c.succeed("ok");
            })
            .strategy(TestStrategies.first()).workers(1)
            .build().start();
        // the stage runs on the role's holder, inside the stage recorders' writer section
        final CompletableFuture<Long> seen = d.submitAsync(Task.builder("w").build())
            .thenApply(result -> d.metrics().completed());
        go.countDown();
        assertThat(seen.get(10, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(0);
        assertThat(d.submitAsync(Task.builder("w").build()).get(10, TimeUnit.SECONDS).completed()).isTrue();
        // the counters move when the routing role folds the attempts in, after the results were delivered: drain
        // returns once that is done
        assertThat(d.drain(Duration.ofSeconds(10))).isTrue();
        assertThat(d.metrics().completed()).isEqualTo(2);
    }

    @Test
    void aTaskTheStrategyDeclinedIsPlacedOnceItWouldTakeIt() throws Exception
    {
        final AtomicBoolean open = new AtomicBoolean();
        final AtomicInteger asked = new AtomicInteger();
        final Dispatcher d = Dispatcher.builder()
            .agent(AgentSpec.builder("a", "w").capacity(1).build(), (task, c, tel) -> c.succeed("ok"))
            .strategy(new RoutingStrategy()
            {
                @Override
                public String name()
                {
                    return "gate";
                }

                @Override
                public int select(final TaskView task, final Candidates c, final RoutingDecision decision)
                {
                    asked.incrementAndGet();
                    return open.get() ? 0 : DECLINE; // as a bidder with no capacity left, or a budget not yet refilled
                }
            }).workers(1)
            .build().start();
        final CompletableFuture<TaskResult> f = d.submitAsync(Task.builder("w").build());
        Await.until("the strategy declined the task", () -> asked.get() > 0);
        open.set(true); // nothing the dispatcher sees changes: no task, completion or command follows
        assertThat(f.get(10, TimeUnit.SECONDS).completed()).isTrue();
        assertThat(d.drain(Duration.ofSeconds(10))).isTrue();
    }
}
