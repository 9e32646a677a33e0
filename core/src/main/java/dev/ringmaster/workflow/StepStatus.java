package dev.ringmaster.workflow;

/** How one step of a workflow run ended; immutable. */
public enum StepStatus
{
    /** An agent completed the step. */
    COMPLETED,
    /** The step failed and its fallback (a step or a constant) supplied its result instead. */
    FALLBACK,
    /** The step failed with no fallback left, which failed the workflow. */
    FAILED,
    /**
     * The step was in the dispatcher when the run ended (failed elsewhere or cancelled): if it had not started it is
     * cancelled there, if it was running it runs to its end (agents are not preempted); either way its result is
     * ignored.
     */
    ABANDONED,
    /** The run ended before the step (or its fallback) was submitted. */
    SKIPPED;

    /** @return true if the step's result is available to its dependents. */
    public boolean hasResult()
    {
        return this == COMPLETED || this == FALLBACK;
    }
}
