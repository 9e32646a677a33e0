package dev.ringmaster.remote.internal;

import dev.ringmaster.spi.Completion;
import dev.ringmaster.spi.TaskView;

/**
 * One attempt sent (or about to be sent) to a host: what a completion from the host must find to be accepted;
 * written once by the worker that creates it, then handed over through {@link PendingAttempts}' ordered stores.
 */
public final class Attempt
{
    final long correlationId;
    final HostLink link;
    final int agentIndex;
    final TaskView view;
    final Completion completion;
    final long taskId;
    /** When the poller gives the attempt up if the host has still not answered. */
    final long answerDeadlineNanos;
    /**
     * True if that deadline is the task's own timeout (plus a grace), shorter than the answer timeout: by then the
     * dispatcher has timed the attempt out itself, and the poller only tells the host and releases it.
     */
    final boolean pastTaskTimeout;
    /**
     * When the dispatcher times the attempt out by its task's own timeout, if the task has one: a TASK still in the
     * backlog then is not sent, as the dispatcher has retried the task already.
     */
    final long taskTimeoutAtNanos;
    final boolean hasTaskTimeout;

    Attempt(final long correlationId, final HostLink link, final int agentIndex, final TaskView view,
            final Completion completion, final long answerDeadlineNanos, final boolean pastTaskTimeout,
            final long startNanos)
    {
        final long timeout = view.task().timeoutNanos();
        this.hasTaskTimeout = timeout > 0;
        this.taskTimeoutAtNanos = startNanos + timeout;
        this.answerDeadlineNanos = answerDeadlineNanos;
        this.pastTaskTimeout = pastTaskTimeout;
        this.correlationId = correlationId;
        this.link = link;
        this.agentIndex = agentIndex;
        this.view = view;
        this.completion = completion;
        this.taskId = view.task().id();
    }
}
