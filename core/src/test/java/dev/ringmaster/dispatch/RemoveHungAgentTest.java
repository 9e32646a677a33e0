package dev.ringmaster.dispatch;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.AgentTelemetry;
import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.Completion;
import dev.ringmaster.spi.TaskView;
import dev.ringmaster.testing.Await;
import dev.ringmaster.testing.TestStrategies;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Removing an agent whose backend hung on a task that has since timed out (and ended elsewhere): the removal must not
 * wait for the hung call, which may only return once the adapter is stopped, and the late answer must change nothing.
 */
class RemoveHungAgentTest
{
    private static final String TYPE = "worker";

    /**
     * Hangs in every call until {@link #stop()} (or the test's cleanup) lets it go, then answers late. Synchronous: the
     * worker's thread is held inside {@code execute}; asynchronous: a thread of its own holds the completion.
     */
    private static final class HangsUntilStopped implements AgentAdapter
    {
        final boolean synchronous;
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch letGo = new CountDownLatch(1);
        final CountDownLatch answeredLate = new CountDownLatch(1);
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger stops = new AtomicInteger();
        /** The task the adapter's view showed when it answered late: a recycled record would show another, or none. */
        final AtomicReference<Task> seenWhenAnswering = new AtomicReference<>();

        HangsUntilStopped(final boolean synchronous)
        {
            this.synchronous = synchronous;
        }

        @Override
        public void execute(final TaskView task, final Completion completion, final AgentTelemetry telemetry)
            throws InterruptedException
        {
            calls.incrementAndGet();
            entered.countDown();
            if (synchronous)
            {
                hangThenAnswer(task, completion);
            }
            else
            {
                final Thread backend = new Thread(() ->
                {
                    try
                    {
                        hangThenAnswer(task, completion);
                    }
                    catch (final InterruptedException e)
                    {
                        Thread.currentThread().interrupt();
                    }
                }, "hung-backend");
                backend.setDaemon(true);
                backend.start();
            }
        }

        private void hangThenAnswer(final TaskView task, final Completion completion) throws InterruptedException
        {
            letGo.await(30, TimeUnit.SECONDS); // bounded, should the test's cleanup never run
            seenWhenAnswering.set(task.task());
            completion.succeed("late answer");
            answeredLate.countDown();
        }

        @Override
        public void stop()
        {
            stops.incrementAndGet();
            letGo.countDown(); // what a real adapter does: closing its connection unblocks the call
        }
    }

    @ParameterizedTest(name = "synchronous adapter: {0}")
    @ValueSource(booleans = {true, false})
    void removingAnAgentWhoseCallHungPastItsTimeoutCompletesAndStopsItsAdapter(final boolean synchronous)
        throws Exception
    {
        final HangsUntilStopped hangs = new HangsUntilStopped(synchronous);
        final EventLog log = new EventLog();
        final Dispatcher d = Dispatcher.builder()
            .agent(AgentSpec.builder("hung", TYPE).capacity(1).build(), hangs)
            .agent(AgentSpec.builder("healthy", TYPE).capacity(1).build(), AgentAdapter.sync(t -> "ok"))
            .strategy(TestStrategies.first()).prefetch(0).workers(2)
            .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(2)).watchdogInterval(Duration.ofMillis(5))
            .listener(log).build().start();
        try
        {
            final Task hungTask = Task.builder(TYPE).timeout(Duration.ofMillis(50)).maxRetries(1).build();
            final CompletableFuture<TaskResult> hungResult = d.submitAsync(hungTask);
            assertThat(hangs.entered.await(5, TimeUnit.SECONDS)).as("the hung agent got the first task").isTrue();
            final TaskResult retried = hungResult.get(5, TimeUnit.SECONDS);
            assertThat(retried.state()).isEqualTo(TerminalState.COMPLETED);
            assertThat(retried.agentId()).as("retried elsewhere after its timeout").isEqualTo("healthy");
            assertThat(retried.attempts()).isEqualTo(2);

            // tasks that come meanwhile: the first one may well be placed on the hung agent, which now has room again
            final List<CompletableFuture<TaskResult>> others = new ArrayList<>();
            for (int i = 0; i < 20; i++)
            {
                others.add(d.submitAsync(Task.builder(TYPE).build()));
            }
            final CompletableFuture<AgentView> removal = d.removeAgent("hung");

            // no task of the agent is live any more: only the abandoned call, which stop() is there to unblock
            assertThat(removal.get(5, TimeUnit.SECONDS).id()).as(d::describe).isEqualTo("hung");
            assertThat(hangs.stops.get()).as("the adapter was stopped").isEqualTo(1);
            assertThat(hangs.answeredLate.await(5, TimeUnit.SECONDS)).as("stop() let the hung call answer").isTrue();
            assertThat(hangs.seenWhenAnswering.get()).as("the hung call's view was not recycled").isSameAs(hungTask);
            for (final CompletableFuture<TaskResult> other : others)
            {
                final TaskResult r = other.get(5, TimeUnit.SECONDS);
                assertThat(r.state()).isEqualTo(TerminalState.COMPLETED);
                assertThat(r.agentId()).isEqualTo("healthy");
            }
            Await.routerPass(d); // the late answer, if it were taken for anything, would be folded in by now
            assertThat(hangs.calls.get()).as("nothing else started on the hung agent").isEqualTo(1);
            assertThat(d.agents()).extracting(AgentView::id).containsExactly("healthy");

            // an agent added under the same id runs in slots of its own, not in the removed agent's
            d.addAgent(AgentSpec.builder("hung", TYPE).capacity(1).build(), AgentAdapter.sync(t -> "fresh"))
                .get(5, TimeUnit.SECONDS);
            final TaskResult fresh = d.submitAsync(Task.builder(TYPE).targetAgent("hung").build())
                .get(5, TimeUnit.SECONDS);
            assertThat(fresh.state()).isEqualTo(TerminalState.COMPLETED);
            assertThat(fresh.result()).isEqualTo("fresh");

            assertThat(d.drain(Duration.ofSeconds(5))).as(d::describe).isTrue();
            assertThat(log.duplicates).as("no task ended twice").isEmpty();
            assertThat(log.accepted.get()).isEqualTo(22);
            assertThat(log.terminalByTask).hasSize(22).containsEntry(hungTask.id(), "COMPLETED");
            assertThat(log.completed.get()).isEqualTo(22);
            assertThat(hangs.calls.get()).isEqualTo(1);
        }
        finally
        {
            hangs.letGo.countDown();
            d.shutdownNow();
        }
    }
}
