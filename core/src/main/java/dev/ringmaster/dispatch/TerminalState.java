package dev.ringmaster.dispatch;

/** The one final state every accepted task reaches; immutable. */
public enum TerminalState
{
    /** An agent finished the task. */
    COMPLETED,
    /** Every attempt failed; the task is in the dead letters with the last reason. */
    DEAD_LETTERED,
    /** Its time to live passed before it could start; also listed in the dead letters. */
    EXPIRED,
    /**
     * Cancelled: by {@code cancel(id)} before it started, or by the dispatcher's shutdown (before it started, or an
     * attempt still running past {@code shutdownNow}'s grace).
     */
    CANCELLED
}
