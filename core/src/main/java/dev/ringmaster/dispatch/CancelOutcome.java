package dev.ringmaster.dispatch;

/** The answer to {@link Dispatcher#cancel}; immutable. */
public enum CancelOutcome
{
    /** The task had not started; it is now CANCELLED (its terminal state). */
    CANCELLED("cancelled before it started"),
    /** The task is running; it runs to its end (agents cannot be preempted) and keeps its own terminal state. */
    RUNNING("already running: it will finish on its own; ignore its result if you no longer want it"),
    /** No accepted, unfinished task has this id. */
    NOT_FOUND("no waiting or running task has this id; it may have finished already");

    private final String reason;

    CancelOutcome(final String reason)
    {
        this.reason = reason;
    }

    /** @return a sentence for operators. */
    public String reason()
    {
        return reason;
    }
}
