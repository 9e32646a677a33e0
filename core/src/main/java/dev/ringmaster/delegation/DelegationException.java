package dev.ringmaster.delegation;

import dev.ringmaster.model.Task;

import java.util.List;

/**
 * Fails the stage of a delegated task that produced no successful result, with every reason collected (one per
 * copy, or the member's own failure); immutable.
 */
public final class DelegationException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final transient Task task;
    private final List<String> reasons;

    /**
     * @param message what failed, e.g. "broadcast of task 7 failed on every copy".
     * @param task    the task the caller submitted.
     * @param reasons one line per failed copy or cause, in the order they arrived.
     * @param cause   the underlying exception when there is exactly one, else null.
     */
    public DelegationException(final String message, final Task task, final List<String> reasons, final Throwable cause)
    {
        super(message + (reasons.isEmpty() ? "" : ": " + String.join("; ", reasons)), cause);
        this.task = task;
        this.reasons = List.copyOf(reasons);
    }

    /** @return the task the caller submitted. */
    public Task task()
    {
        return task;
    }

    /** @return one line per failed copy or cause, in arrival order. */
    public List<String> reasons()
    {
        return reasons;
    }
}
