package dev.ringmaster.workflow;

/** How a workflow run ended; immutable. */
public enum WorkflowStatus
{
    /** Every step completed, some perhaps through their fallbacks. */
    SUCCEEDED,
    /** A step failed with no fallback left; the result names it and why. */
    FAILED,
    /** {@link WorkflowRun#cancel()} was called, or the supervisor closed, before the last step completed. */
    CANCELLED
}
