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
    /** When the poller fails the attempt if the host has still not answered. */
    final long answerDeadlineNanos;

    Attempt(final long correlationId, final HostLink link, final int agentIndex, final TaskView view,
            final Completion completion, final long answerDeadlineNanos)
    {
        this.answerDeadlineNanos = answerDeadlineNanos;
        this.correlationId = correlationId;
        this.link = link;
        this.agentIndex = agentIndex;
        this.view = view;
        this.completion = completion;
        this.taskId = view.task().id();
    }
}
