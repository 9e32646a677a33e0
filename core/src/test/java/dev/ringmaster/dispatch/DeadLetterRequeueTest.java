package dev.ringmaster.dispatch;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.DispatchListener;
import dev.ringmaster.spi.TaskView;
import dev.ringmaster.testing.Await;
import dev.ringmaster.testing.TestStrategies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** An operator requeues a dead letter once it can succeed, or purges the list; every acceptance still ends once. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DeadLetterRequeueTest
{
    /** Counts acceptances and terminal events: each acceptance, a requeue's included, must end exactly once. */
    private static final class Ends implements DispatchListener
    {
        final AtomicLong accepted = new AtomicLong();
        final AtomicLong terminal = new AtomicLong();
        final AtomicLong completed = new AtomicLong();

        @Override
        public void onAccepted(final TaskView task, final long nanos)
        {
            accepted.incrementAndGet();
        }

        @Override
        public void onCompleted(final TaskView task, final dev.ringmaster.spi.AgentView agent, final long tokens,
                                final long nanos)
        {
            terminal.incrementAndGet();
            completed.incrementAndGet();
        }

        @Override
        public void onDeadLettered(final TaskView task, final String reason, final long nanos)
        {
            terminal.incrementAndGet();
        }
    }

    @Test
    void aRequeuedDeadLetterRunsAgainWithItsIdAndLeavesTheList() throws Exception
    {
        final AtomicBoolean broken = new AtomicBoolean(true);
        final AgentAdapter flaky = (view, completion, telemetry) ->
        {
            if (broken.get())
            {
                completion.fail(new IllegalStateException("downstream is down (test)"));
            }
            else
            {
                completion.succeed("ok");
            }
        };
        final Ends ends = new Ends();
        final Dispatcher d = Dispatcher.builder().strategy(TestStrategies.first()).listener(ends)
            .agent(AgentSpec.builder("a", "coder").capacity(1).build(), flaky).build().start();
        final Task task = Task.builder("coder").maxRetries(0).build();
        d.submitOrThrow(task);
        Await.until("the task is dead-lettered", () -> d.deadLetters().size() == 1);

        broken.set(false);
        assertThat(d.requeueDeadLetter(task.id())).isEqualTo(SubmitStatus.ACCEPTED);
        assertThat(d.deadLetters()).isEmpty();
        Await.until("the requeued task completes", () -> ends.completed.get() == 1);
        assertThatThrownBy(() -> d.requeueDeadLetter(task.id())).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("no dead letter has task id " + task.id());

        assertThat(d.drain(Duration.ofSeconds(5))).isTrue();
        assertThat(ends.accepted.get()).isEqualTo(2);
        assertThat(ends.terminal.get()).isEqualTo(2);
        assertThat(d.metrics().deadLettered()).as("the first end still counts").isEqualTo(1);
    }

    @Test
    void aRequeueGivenAFutureCompletesItWithTheTasksNewEndOrFailsItWithTheRefusal() throws Exception
    {
        // an embedder that follows its tasks by their futures (the admin endpoint) must be able to follow a requeue too
        final AtomicBoolean broken = new AtomicBoolean(true);
        final AgentAdapter flaky = (view, completion, telemetry) ->
        {
            if (broken.get())
            {
                completion.fail(new IllegalStateException("downstream is down (test)"));
            }
            else
            {
                completion.succeed("ok");
            }
        };
        final Dispatcher d = Dispatcher.builder().strategy(TestStrategies.first())
            .agent(AgentSpec.builder("a", "coder").capacity(1).build(), flaky).build().start();
        final Task task = Task.builder("coder").maxRetries(0).build();
        final Task other = Task.builder("coder").maxRetries(0).build();
        d.submitOrThrow(task);
        d.submitOrThrow(other);
        Await.until("both are dead-lettered", () -> d.deadLetters().size() == 2);

        broken.set(false);
        final CompletableFuture<TaskResult> end = new CompletableFuture<>();
        assertThat(d.requeueDeadLetter(task.id(), end)).isEqualTo(SubmitStatus.ACCEPTED);
        final TaskResult result = end.get(10, TimeUnit.SECONDS);
        assertThat(result.task().id()).isEqualTo(task.id());
        assertThat(result.state()).isEqualTo(TerminalState.COMPLETED);
        assertThat(result.result()).isEqualTo("ok");

        assertThat(d.drain(Duration.ofSeconds(5))).isTrue();
        final CompletableFuture<TaskResult> refused = new CompletableFuture<>();
        assertThat(d.requeueDeadLetter(other.id(), refused)).isEqualTo(SubmitStatus.NOT_RUNNING);
        assertThatThrownBy(() -> refused.get(1, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
            .cause().isInstanceOf(RejectedTaskException.class).hasMessageContaining("NOT_RUNNING");
        assertThat(d.deadLetters()).as("a refused requeue keeps the letter").hasSize(1);
    }

    @Test
    void aRefusedRequeueKeepsTheLetterAndPurgeEmptiesTheList() throws Exception
    {
        final AgentAdapter failing = (view, completion, telemetry) -> completion.fail(new IllegalStateException("no"));
        final Dispatcher d = Dispatcher.builder().strategy(TestStrategies.first())
            .agent(AgentSpec.builder("a", "coder").capacity(1).build(), failing).build().start();
        final Task first = Task.builder("coder").maxRetries(0).build();
        d.submitOrThrow(first);
        d.submitOrThrow(Task.builder("coder").maxRetries(0).build());
        Await.until("both are dead-lettered", () -> d.deadLetters().size() == 2);
        assertThat(d.drain(Duration.ofSeconds(5))).isTrue();

        assertThat(d.requeueDeadLetter(first.id())).isEqualTo(SubmitStatus.NOT_RUNNING);
        assertThat(d.deadLetters()).hasSize(2);
        assertThat(d.purgeDeadLetters()).isEqualTo(2);
        assertThat(d.deadLetters()).isEmpty();
        assertThat(d.purgeDeadLetters()).isZero();
    }
}
