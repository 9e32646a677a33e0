package dev.ringmaster.admin;

import dev.ringmaster.dispatch.SubmitStatus;
import dev.ringmaster.model.Task;

import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * How {@code POST /tasks} (and {@code POST /dead-letters/{id}/requeue}) submits when a task counts as submitted
 * only once something besides the dispatcher holds it, e.g. a journal in acknowledged durability ({@code journal::submitAcknowledged}); called on one of the admin server's
 * threads, one call per request, so it must be thread-safe, and must not block: the answer waits for its stage.
 */
@FunctionalInterface
public interface TaskSubmitter
{
    /**
     * @param task     the task the client sent, or the dead letter's task being requeued (same id).
     * @param dispatch offers the task to the dispatcher and returns its status, keeping the task's end for
     *                 {@code GET /tasks/{id}}; call it at most once, and not at all to refuse the task.
     * @return a stage that completes once the task counts as submitted (then the client gets 202), or exceptionally
     *     with a {@link dev.ringmaster.dispatch.RejectedTaskException} naming why not: the dispatcher's refusal, or
     *     {@link SubmitStatus#JOURNAL_FAILED} (503 with the reason and the fix).
     */
    CompletionStage<?> submit(Task task, Function<Task, SubmitStatus> dispatch);
}
