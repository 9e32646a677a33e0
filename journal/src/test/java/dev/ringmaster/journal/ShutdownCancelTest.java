package dev.ringmaster.journal;

import dev.ringmaster.dispatch.CancelOutcome;
import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentAdapter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A dispatcher's shutdown cancels the tasks that never started; the journal must leave them open for recovery, as a
 * kill -9 would have, while an operator's cancel stays final.
 */
class ShutdownCancelTest
{
    @TempDir
    Path dir;

    @Test
    void tasksTheShutdownCancelledStayOpenForRecoveryAndAnOperatorsCancelStaysFinal() throws Exception
    {
        final CountDownLatch firstStarted = new CountDownLatch(1);
        final CompletableFuture<Object> firstResult = new CompletableFuture<>();
        final List<Task> cancelledByShutdown;
        try (Journal journal = Journal.open(JournalConfig.at(dir)))
        {
            final Dispatcher d = Dispatcher.builder().listener(journal.listener()).seed(7).workers(1)
                .agent(AgentSpec.builder("coder-0", "coder").capacity(1).build(), AgentAdapter.async(t ->
                {
                    firstStarted.countDown();
                    return firstResult; // holds the only slot: every later task waits
                }))
                .build().start();
            d.submit(Task.builder("coder").id(100).payload("runs").build(), Duration.ofSeconds(5));
            assertThat(firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
            d.submit(Task.builder("coder").id(200).payload("the operator cancels it").build(), Duration.ofSeconds(5));
            for (int id = 101; id <= 110; id++)
            {
                d.submit(Task.builder("coder").id(id).payload("waits " + id).build(), Duration.ofSeconds(5));
            }
            assertThat(d.cancel(200).get(10, TimeUnit.SECONDS)).isEqualTo(CancelOutcome.CANCELLED);
            cancelledByShutdown = d.shutdownNow();
            firstResult.complete("done");
            assertThat(d.awaitTermination(Duration.ofSeconds(10))).isTrue();
            d.close();
        }
        assertThat(cancelledByShutdown).extracting(Task::id).containsExactlyInAnyOrder(101L, 102L, 103L, 104L, 105L,
            106L, 107L, 108L, 109L, 110L);

        final RecoveryPlan plan = Recovery.scan(dir, PayloadCodec.standard());
        assertThat(plan.pending()).as("cancelled by the shutdown before they ran: open, as after a crash")
            .extracting(Task::id).containsExactlyInAnyOrder(101L, 102L, 103L, 104L, 105L, 106L, 107L, 108L, 109L, 110L);
        assertThat(plan.pending()).extracting(Task::payload).contains("waits 101", "waits 110");
    }

    @Test
    void aTaskWhoseLastAttemptFailsDuringTheShutdownIsDeadLetteredNotReopened() throws Exception
    {
        final CountDownLatch started = new CountDownLatch(1);
        final CompletableFuture<Object> answer = new CompletableFuture<>();
        final CompletableFuture<dev.ringmaster.dispatch.TaskResult> result;
        try (Journal journal = Journal.open(JournalConfig.at(dir)))
        {
            final Dispatcher d = Dispatcher.builder().listener(journal.listener()).seed(7).workers(1)
                .agent(AgentSpec.builder("coder-0", "coder").capacity(1).build(), AgentAdapter.async(t ->
                {
                    started.countDown();
                    return answer;
                }))
                .build().start();
            result = d.submitAsync(Task.builder("coder").id(300).maxRetries(0).payload("fails for good").build());
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(d.shutdownNow()).isEmpty();
            answer.completeExceptionally(new IllegalStateException("poison"));
            assertThat(d.awaitTermination(Duration.ofSeconds(10))).isTrue();
            d.close();
        }
        assertThat(result.get(10, TimeUnit.SECONDS).state()).as("it had no retry left: the shutdown changes nothing")
            .isEqualTo(dev.ringmaster.dispatch.TerminalState.DEAD_LETTERED);
        assertThat(Recovery.scan(dir, PayloadCodec.standard()).pending()).as("ran and failed for good: not run again")
            .isEmpty();
    }

    @Test
    void theRecordSaysTheShutdownCancelledIt()
    {
        final Task task = Task.builder("coder").id(40).payload("p").build();
        try (Journal journal = Journal.open(JournalConfig.at(dir)))
        {
            final dev.ringmaster.spi.DispatchListener listener = journal.listener();
            listener.onAccepted(dev.ringmaster.testing.FakePool.view(task, 0, 1), 1_000);
            listener.onCancelled(dev.ringmaster.testing.FakePool.view(task, 0, 1),
                "dispatcher shut down before a retry; last failure: boom", 2_000);
        }
        final List<String> records = new java.util.ArrayList<>();
        try (JournalReader reader = JournalReader.open(dir))
        {
            reader.readToEnd(r -> records.add(r.type() + (r.cancelledAtShutdown() ? " at shutdown" : "")));
        }
        assertThat(records).containsExactly("ACCEPTED", "CANCELLED at shutdown");
        try (JournalReader reader = JournalReader.open(dir))
        {
            // the event an auditor reads carries the flag too: without it the cancel reads as the task's end
            final JournalEvent cancelled = Audit.history(reader, 40).get(1);
            assertThat(cancelled.cancelledAtShutdown()).isTrue();
            assertThat(cancelled.ends()).isFalse();
            assertThat(cancelled.describe()).contains("not ended, still open for recovery");
        }
        assertThat(Recovery.scan(dir, PayloadCodec.standard()).pending()).extracting(Task::id).containsExactly(40L);
    }
}
