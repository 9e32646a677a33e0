package dev.ringmaster.dispatch;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentAdapter;
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
 * changes that send no request (a late answer to a timed-out attempt, a strategy that declined for now) and
 * callbacks that read metrics on the role's own thread must not strand anything. Found in review.
 */
class RoutingRoleLivenessTest
{
    @Test
    void removingAnAgentDoesNotWaitForItsTimedOutAttemptAndIgnoresItsLateAnswer() throws Exception
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
        // its abandoned attempt holds a slot until it answers, if ever, but no task: the removal does not wait for it
        assertThat(d.removeAgent("hung").get(10, TimeUnit.SECONDS).id()).isEqualTo("hung");
        hung.get().succeed("late"); // frees the removed agent's slot; no task, no completion, no request follows
        assertThat(d.submitAsync(Task.builder("w").build()).get(10, TimeUnit.SECONDS).agentId()).isEqualTo("ok");
        assertThat(d.drain(Duration.ofSeconds(10))).isTrue();
        assertThat(d.metrics().completed()).isEqualTo(1);
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

    @Test
    void aStormOfCommandsDoesNotStopPlacement() throws Exception
    {
        // each task takes a millisecond on one agent of capacity 1, so 200 of them queue; meanwhile a caller asks
        // where a queued task is as fast as it can, with up to 10,000 questions outstanding: the command queue never
        // empties, and each question costs a pass over the queue (a hedger re-asking for hundreds of queued tasks)
        final Dispatcher d = Dispatcher.builder()
            .agent(AgentSpec.builder("a", "w").capacity(1).build(), AgentAdapter.async(t ->
                CompletableFuture.supplyAsync(() -> "ok", CompletableFuture.delayedExecutor(1, TimeUnit.MILLISECONDS))))
            .strategy(TestStrategies.first()).workers(1).build().start();
        final java.util.List<CompletableFuture<TaskResult>> results = new java.util.ArrayList<>();
        long lastId = 0;
        for (int i = 0; i < 200; i++)
        {
            final Task t = Task.builder("w").build();
            lastId = t.id();
            results.add(d.submitAsync(t));
        }
        final long asked = lastId;
        final java.util.concurrent.Semaphore outstanding = new java.util.concurrent.Semaphore(10_000);
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicInteger answers = new AtomicInteger();
        final Runnable ask = () ->
        {
            while (!stop.get())
            {
                if (outstanding.tryAcquire())
                {
                    d.whereIs(asked).whenComplete((where, error) ->
                    {
                        answers.incrementAndGet();
                        outstanding.release();
                    });
                }
                else
                {
                    Thread.onSpinWait();
                }
            }
        };
        // two callers: while one of them holds the routing role (a caller may route), the other keeps asking
        final Thread[] storm = {new Thread(ask, "command-storm-1"), new Thread(ask, "command-storm-2")};
        for (final Thread t : storm)
        {
            t.start();
        }
        try
        {
            Await.until("every task completes while the questions keep coming", Duration.ofSeconds(20),
                () -> results.stream().allMatch(CompletableFuture::isDone));
            assertThat(answers.get()).as("the questions were answered meanwhile").isPositive();
        }
        finally
        {
            stop.set(true);
            for (final Thread t : storm)
            {
                t.join(10_000);
            }
        }
        assertThat(results).allSatisfy(r -> assertThat(r.get().state()).isEqualTo(TerminalState.COMPLETED));
        assertThat(d.drain(Duration.ofSeconds(10))).isTrue();
    }
}
