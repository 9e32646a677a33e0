package dev.ringmaster.dispatch;

import dev.ringmaster.model.Task;

/** Thrown (or used to fail a future) when a submission is refused; immutable. */
public final class RejectedTaskException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final transient Task task;
    private final SubmitStatus status;

    public RejectedTaskException(final Task task, final SubmitStatus status, final String detail)
    {
        super("task " + task.id() + " of type '" + task.type() + "' rejected (" + status + "): " + status.reason() +
            (detail == null ? "" : "; " + detail));
        this.task = task;
        this.status = status;
    }

    public Task task()
    {
        return task;
    }

    public SubmitStatus status()
    {
        return status;
    }
}
