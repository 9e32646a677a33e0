package dev.ringmaster.dispatch;

import dev.ringmaster.model.Task;

/** Thrown (or used to fail a future) when a submission is refused; immutable. */
public final class RejectedTaskException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final transient Task task;
    private final SubmitStatus status;
    private final String detail;

    public RejectedTaskException(final Task task, final SubmitStatus status, final String detail)
    {
        this(task, status, status.reason() + (detail == null ? "" : "; " + detail), detail);
    }

    private RejectedTaskException(final Task task, final SubmitStatus status, final String reason, final String detail)
    {
        super("task " + task.id() + " of type '" + task.type() + "' rejected (" + status + "): " + reason);
        this.task = task;
        this.status = status;
        this.detail = detail;
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
        return new RejectedTaskException(task, status, reason, reason);
    }

    /**
     * @return what this refusal adds to its status's general reason (the constraint no agent meets, the state the
     *     dispatcher is in, a layer's own reason), or null: for a caller that words the status for its own users, as
     *     the admin endpoint does for HTTP clients, to whom "call start() first" means nothing.
     */
    public String detail()
    {
        return detail;
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
