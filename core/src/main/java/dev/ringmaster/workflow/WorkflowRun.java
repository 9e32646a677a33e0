package dev.ringmaster.workflow;

import java.util.concurrent.CompletionStage;

/**
 * A handle on one run of a {@link Workflow}; every method may be called from any thread.
 */
public final class WorkflowRun
{
    private final RunState state;

    WorkflowRun(final RunState state)
    {
        this.state = state;
    }

    public Workflow workflow()
    {
        return state.workflow();
    }

    /**
     * @return a stage that completes normally with the run's result, whether it succeeded, failed or was cancelled;
     *     it completes on the supervisor thread, so chain heavy work with the *Async variants. Completing or
     *     cancelling the stage (or its {@code toCompletableFuture()}) does not affect the run: use {@link #cancel()}.
     */
    public CompletionStage<WorkflowResult> result()
    {
        return state.result().minimalCompletionStage();
    }

    /** @return true once the result is available. */
    public boolean isDone()
    {
        return state.result().isDone();
    }

    /**
     * Stops submitting steps and completes the run as {@link WorkflowStatus#CANCELLED}, naming its unfinished steps,
     * unless it ends first. Steps waiting in the dispatcher are cancelled there; running ones run to their end (agents
     * are not preempted); both show as {@link StepStatus#ABANDONED} and their results are ignored.
     */
    public void cancel()
    {
        state.requestCancel();
    }
}
