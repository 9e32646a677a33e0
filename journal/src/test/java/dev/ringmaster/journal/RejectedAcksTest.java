package dev.ringmaster.journal;

import dev.ringmaster.dispatch.RejectedTaskException;
import dev.ringmaster.dispatch.SubmitStatus;
import dev.ringmaster.journal.internal.JournalWriter;
import dev.ringmaster.model.Task;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A redispatch's acknowledgements count as refused only when the dispatcher refused the task: a task accepted whose
 * ACCEPTED record a failed writer never wrote runs, and its outcome is counted, so calling it refused made recover's
 * lost figure negative.
 */
class RejectedAcksTest
{
    @Test
    void anAcceptedTaskTheFailedWriterCouldNotAcknowledgeIsNotCountedAsRefused()
    {
        final Task task = Task.builder("work").build();
        final List<CompletableFuture<Long>> acks = List.of(
            CompletableFuture.completedFuture(7L),
            CompletableFuture.failedFuture(new RejectedTaskException(task, SubmitStatus.QUEUE_FULL, null)),
            CompletableFuture.failedFuture(JournalWriter.notDurable(new IOException("disk full"))));
        assertThat(RecoveryPlan.rejected(acks)).isEqualTo(1);
    }
}
