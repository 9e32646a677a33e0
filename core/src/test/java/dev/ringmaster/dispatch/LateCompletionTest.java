package dev.ringmaster.dispatch;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.Completion;
import dev.ringmaster.testing.Await;
import dev.ringmaster.testing.TestStrategies;
import org.junit.jupiter.api.Test;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An adapter that answers an attempt again after the agent moved on to its next tasks, in the same execution slot: the
 * stray answer must not complete (or fail) the task running there now, which keeps its own outcome, and it is counted.
 */
class LateCompletionTest
{
    @Test
    void aRepeatedCompletionDuringTheSlotsNextAttemptsCompletesNothingAndIsCounted() throws Exception
    {
        final BlockingQueue<Completion> handed = new LinkedBlockingQueue<>();
        // one agent, one slot: every task runs in the same slot, one after the other; the test answers for the adapter
        final Dispatcher d = Dispatcher.builder()
            .agent(AgentSpec.builder("a1", "coder").capacity(1).build(), (task, completion, telemetry) -> handed.add(completion))
            .strategy(TestStrategies.leastLoaded()).build().start();
        try
        {
            final CompletableFuture<TaskResult> first = d.submitAsync(Task.builder("coder").build());
            final Completion firstHandle = next(handed);
            firstHandle.succeed("first");
            assertThat(first.get(10, TimeUnit.SECONDS).result()).isEqualTo("first");
            // the next three attempts in that slot each see the first attempt's handle answer again, both ways
            for (int attempt = 2; attempt <= 4; attempt++)
            {
                final CompletableFuture<TaskResult> now = d.submitAsync(Task.builder("coder").build());
                final Completion own = next(handed);
                firstHandle.succeed("stray success");
                firstHandle.fail(new IllegalStateException("stray failure"));
                assertThat(now).as("attempt %d after two stray answers of the first", attempt).isNotDone();
                own.succeed("own " + attempt);
                final TaskResult result = now.get(10, TimeUnit.SECONDS);
                assertThat(result.state()).isEqualTo(TerminalState.COMPLETED);
                assertThat(result.result()).isEqualTo("own " + attempt);
                assertThat(result.attempts()).as("not retried after the stray failure").isEqualTo(1);
            }
            Await.until("stray answers counted",
                () -> d.metrics().faults().ignoredCompletions() == 6);
            assertThat(d.drain(java.time.Duration.ofSeconds(10))).isTrue();
            assertThat(d.metrics().completed()).isEqualTo(4);
        }
        finally
        {
            d.shutdownNow();
        }
    }

    /**
     * An adapter that hands its completion to a thread of its own and then throws: the worker fails the attempt, but
     * the other thread may answer any time later. Its answer must never complete a later task in that slot, however
     * many attempts later it comes (a handle reused in turn would be mistaken once the slot came round to it again).
     */
    @Test
    void anAnswerAfterTheAdapterThrewCompletesNoLaterTaskHoweverLate() throws Exception
    {
        final BlockingQueue<Completion> handed = new LinkedBlockingQueue<>();
        final Dispatcher d = Dispatcher.builder()
            .agent(AgentSpec.builder("a1", "coder").capacity(1).build(), (task, completion, telemetry) ->
            {
                handed.add(completion);
                if ("throws".equals(task.task().payload()))
                {
                    throw new IllegalStateException("adapter threw after scheduling its answer");
                }
            })
            .strategy(TestStrategies.leastLoaded()).build().start();
        try
        {
            final CompletableFuture<TaskResult> thrower = d.submitAsync(Task.builder("coder").payload("throws").maxRetries(0).build());
            final Completion strayHandle = next(handed);
            assertThat(thrower.get(10, TimeUnit.SECONDS).state()).isEqualTo(TerminalState.DEAD_LETTERED);
            // more attempts in that slot than a rotation of reused handles would tell apart
            for (int attempt = 2; attempt <= 12; attempt++)
            {
                final CompletableFuture<TaskResult> now = d.submitAsync(Task.builder("coder").build());
                final Completion own = next(handed);
                strayHandle.succeed("stray success");
                assertThat(now).as("attempt %d after the thrower's stray answer", attempt).isNotDone();
                own.succeed("own " + attempt);
                assertThat(now.get(10, TimeUnit.SECONDS).result()).isEqualTo("own " + attempt);
            }
            assertThat(d.drain(java.time.Duration.ofSeconds(10))).isTrue();
            assertThat(d.metrics().completed()).isEqualTo(11);
        }
        finally
        {
            d.shutdownNow();
        }
    }

    /**
     * An answer after the dispatcher timed the attempt out is ignored, as Completion promises, and counted, as
     * FaultCounts promises; the count is the dispatcher's, so removing the agent later does not take it back.
     */
    @Test
    void anAnswerAfterTheTimeoutIsCountedAndStaysCountedOnceTheAgentLeaves() throws Exception
    {
        final BlockingQueue<Completion> handed = new LinkedBlockingQueue<>();
        final Dispatcher d = Dispatcher.builder()
            .agent(AgentSpec.builder("a1", "coder").capacity(1).build(), (task, completion, telemetry) -> handed.add(completion))
            .agent(AgentSpec.builder("a2", "coder").capacity(1).build(), (task, completion, telemetry) -> completion.succeed("a2"))
            .strategy(TestStrategies.first()).build().start();
        try
        {
            final CompletableFuture<TaskResult> timed = d.submitAsync(Task.builder("coder").targetAgent("a1")
                .timeout(java.time.Duration.ofMillis(50)).maxRetries(0).build());
            final Completion late = next(handed);
            assertThat(timed.get(10, TimeUnit.SECONDS).state()).isNotEqualTo(TerminalState.COMPLETED);
            late.succeed("too late");
            Await.until("the late answer counted", () -> d.metrics().faults().ignoredCompletions() == 1);

            d.removeAgent("a1").get(10, TimeUnit.SECONDS);
            assertThat(d.metrics().faults().ignoredCompletions()).as("still counted after a1 left").isEqualTo(1);
            assertThat(d.drain(java.time.Duration.ofSeconds(10))).isTrue();
        }
        finally
        {
            d.shutdownNow();
        }
    }

    private static Completion next(final BlockingQueue<Completion> handed) throws InterruptedException
    {
        final Completion c = handed.poll(10, TimeUnit.SECONDS);
        assertThat(c).as("the adapter was called within 10 s").isNotNull();
        return c;
    }
}
