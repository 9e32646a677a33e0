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
        this(task, status, status.reason() + (detail == null ? "" : "; " + detail), true);
    }

    private RejectedTaskException(final Task task, final SubmitStatus status, final String reason, final boolean ignored)
    {
        super("task " + task.id() + " of type '" + task.type() + "' rejected (" + status + "): " + reason);
        this.task = task;
        this.status = status;
    }

    /**
     * A refusal for a reason of the caller's own, which stands in place of the status's text: a layer over the
     * dispatcher (a closed hedger or batcher, a classifier that failed) answers with the nearest status, whose stock
     * advice ("call start() first", "register an agent of the task's type") would contradict its own.
     *
     * @param reason what is wrong and what to do, in words.
     */
    public static RejectedTaskException because(final Task task, final SubmitStatus status, final String reason)
    {
        return new RejectedTaskException(task, status, reason, true);
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
