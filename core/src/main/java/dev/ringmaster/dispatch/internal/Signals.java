package dev.ringmaster.dispatch.internal;

import org.jctools.queues.MpscArrayQueue;

/**
 * Finished attempts on their way back to the routing role: many producers (workers and adapter threads), one consumer
 * at a time (the role's holder); lock-free. Offering requests the role, so a completing thread usually folds its own
 * completion in at once instead of waking another thread.
 */
final class Signals
{
    private final MpscArrayQueue<TaskRecord> queue;
    private RoutingRole role;
    private Delivery delivery;

    Signals(final int capacity)
    {
        this.queue = new MpscArrayQueue<>(capacity);
    }

    /** Called once while the engine is built, before any thread starts (Thread.start publishes them). */
    void attach(final RoutingRole role, final Delivery delivery)
    {
        this.role = role;
        this.delivery = delivery;
    }

    /**
     * The thread whose completion won an attempt's claim, before offering it: hands a success to the embedder at
     * once ({@link Delivery}); without a dispatcher (tests driving a slot alone) the role would deliver it.
     */
    void delivered(final TaskRecord record, final long nowNanos)
    {
        final Delivery attached = delivery;
        if (attached != null)
        {
            attached.completed(record, nowNanos);
        }
    }

    void offer(final TaskRecord record)
    {
        // capacity covers every record that can be in flight at once; failing here would mean a sizing bug
        while (!queue.offer(record))
        {
            requestRole();
            Thread.onSpinWait();
        }
        requestRole();
    }

    /**
     * Offers without requesting the role: for the worker's own synchronous completions, which it requests once per
     * duty cycle for all of them instead of once each.
     */
    void offerDeferred(final TaskRecord record)
    {
        while (!queue.offer(record))
        {
            requestRole();
            Thread.onSpinWait();
        }
    }

    /** Requests the role for completions offered with {@link #offerDeferred}. */
    void requestRole()
    {
        final RoutingRole attached = role;
        if (attached != null) // null only in tests that drive a slot without a dispatcher
        {
            attached.request();
        }
    }

    boolean isEmpty()
    {
        return queue.isEmpty();
    }

    /** Role holder only. */
    TaskRecord poll()
    {
        return queue.relaxedPoll();
    }
}
