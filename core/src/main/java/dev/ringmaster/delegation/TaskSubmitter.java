package dev.ringmaster.delegation;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.dispatch.TaskResult;
import dev.ringmaster.model.Task;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Anything that takes a task and answers with a stage of its result: the dispatcher itself or a delegation model
 * layered on it, so that models compose (e.g. classify, then hedge); {@link #submitAsync} may be called from any
 * thread.
 */
@FunctionalInterface
public interface TaskSubmitter
{
    /**
     * @param task the task to run.
     * @return a stage completed with a COMPLETED result, or exceptionally with the reason it was refused or failed.
     */
    CompletableFuture<TaskResult> submitAsync(Task task);

    /**
     * @return a submitter that hands tasks straight to the dispatcher; note that {@link Dispatcher#submitAsync}
     *     completes normally with every terminal state, not only COMPLETED.
     */
    static TaskSubmitter of(final Dispatcher dispatcher)
    {
        Objects.requireNonNull(dispatcher, "dispatcher must not be null");
        return dispatcher::submitAsync;
    }
}
