package dev.ringmaster.dispatch.internal;

import dev.ringmaster.dispatch.TaskResult;
import dev.ringmaster.model.Task;

import java.util.concurrent.CompletableFuture;

/**
 * A preallocated slot of the ingress ring: written by the producer that claimed its sequence, read by the router
 * after the sequence is published (the Disruptor's publish/poll is the hand-over).
 */
public final class IngressEvent
{
    Task task;
    Lane lane;
    long submitNanos;
    CompletableFuture<TaskResult> future;
    /** Where {@link LiveIds} holds the task's id. */
    int liveIdCell;

    void set(final Task task, final Lane lane, final long submitNanos, final CompletableFuture<TaskResult> future,
             final int liveIdCell)
    {
        this.liveIdCell = liveIdCell;
        this.task = task;
        this.lane = lane;
        this.submitNanos = submitNanos;
        this.future = future;
    }

    void clear()
    {
        task = null;
        lane = null;
        future = null;
    }
}
