package dev.ringmaster.journal.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Acknowledgements waiting for their task's ACCEPTED record to reach the queue, by task id; submitters register from
 * any thread, the journal writer completes. Never touched by the router thread, so the dispatch path stays lock-free.
 *
 * <p>A task submitted again while an earlier acknowledgement for the same id is pending queues behind it: each
 * appended ACCEPTED record of that id completes the oldest waiter.
 */
public final class PendingAcks
{
    private final ConcurrentHashMap<Long, Waiter> waiting = new ConcurrentHashMap<>();

    /** @return a future completed with the queue index of the task's next appended ACCEPTED record. */
    public CompletableFuture<Long> register(final long taskId)
    {
        final Waiter w = new Waiter();
        waiting.merge(taskId, w, (old, added) -> old.append(added));
        return w.future;
    }

    /** Withdraws {@code future} (its submission was rejected, so no record will come). */
    public void withdraw(final long taskId, final CompletableFuture<Long> future)
    {
        waiting.computeIfPresent(taskId, (id, head) -> head.remove(future));
    }

    /** @return true if nobody waits; the writer's fast path. */
    public boolean isEmpty()
    {
        return waiting.isEmpty();
    }

    /** Completes the oldest waiter for {@code taskId}, if any, with the record's queue index. */
    public void appended(final long taskId, final long index)
    {
        final Waiter[] done = new Waiter[1];
        waiting.computeIfPresent(taskId, (id, head) ->
        {
            done[0] = head;
            return head.next;
        });
        if (done[0] != null)
        {
            // outside the map's bin lock: dependent stages run here, on the writer thread
            done[0].future.complete(index);
        }
    }

    /** Fails every waiter, e.g. when the writer stops. */
    public void failAll(final Throwable cause)
    {
        for (final Long id : waiting.keySet())
        {
            Waiter w = waiting.remove(id);
            while (w != null)
            {
                w.future.completeExceptionally(cause);
                w = w.next;
            }
        }
    }

    /** One waiter in a per-id chain; the chain is only changed inside the map's atomic remapping functions. */
    private static final class Waiter
    {
        final CompletableFuture<Long> future = new CompletableFuture<>();
        Waiter next;

        Waiter append(final Waiter w)
        {
            Waiter tail = this;
            while (tail.next != null)
            {
                tail = tail.next;
            }
            tail.next = w;
            return this;
        }

        Waiter remove(final CompletableFuture<Long> f)
        {
            if (future == f)
            {
                return next;
            }
            Waiter prev = this;
            while (prev.next != null && prev.next.future != f)
            {
                prev = prev.next;
            }
            if (prev.next != null)
            {
                prev.next = prev.next.next;
            }
            return this;
        }
    }
}
