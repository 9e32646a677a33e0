package dev.ringmaster.dispatch.internal;

import org.jctools.queues.MpscArrayQueue;
import org.jctools.queues.SpscArrayQueue;

/**
 * Finished attempts on their way back to the routing role: many producers (workers and adapter threads), one consumer
 * at a time (the role's holder); lock-free. A worker's own synchronous completions go to a single-producer queue of
 * its own, everything else (adapters completing on threads of their own) to one shared multi-producer queue.
 *
 * <p>Why a queue per worker: with one shared queue, every completion was a compare-and-set on its producer index,
 * which the workers took turns pulling to their cores; it was the workers' hottest spot under load.
 */
final class Signals
{
    /** Slots of a worker's own queue; a completion that finds it full goes to the shared queue. */
    static final int WORKER_QUEUE_CAPACITY = 1 << 14;

    /**
     * Completions that came after their attempt already had its outcome (answered, or timed out): the dispatcher's
     * count, not a slot's, so it survives the agent's removal. Any thread; contended only by misbehaving adapters.
     */
    final java.util.concurrent.atomic.AtomicLong ignoredCompletions = new java.util.concurrent.atomic.AtomicLong();
    private final MpscArrayQueue<TaskRecord> queue;
    /**
     * One per worker, by index; replaced (copy on write) by the routing role when a worker is added, before that
     * worker's thread starts. Volatile: the role's next holder and {@link #isEmpty()} callers see the new array whole.
     */
    private volatile SpscArrayQueue<TaskRecord>[] own;
    /** The role holder's next queue to poll, so that no queue's completions wait behind another's. */
    private int cursor;
    private RoutingRole role;
    private Delivery delivery;

    @SuppressWarnings("unchecked")
    Signals(final int capacity, final int workers)
    {
        this.queue = new MpscArrayQueue<>(capacity);
        final SpscArrayQueue<TaskRecord>[] own = new SpscArrayQueue[workers];
        for (int w = 0; w < workers; w++)
        {
            own[w] = new SpscArrayQueue<>(WORKER_QUEUE_CAPACITY);
        }
        this.own = own;
    }

    /** Routing role only, before worker {@code own.length} runs: gives the worker being added its own queue. */
    void addWorkerQueue()
    {
        final SpscArrayQueue<TaskRecord>[] grown = java.util.Arrays.copyOf(own, own.length + 1);
        grown[own.length] = new SpscArrayQueue<>(WORKER_QUEUE_CAPACITY);
        own = grown;
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
        offerShared(record);
        requestRole();
    }

    /**
     * Worker {@code worker}'s own thread only: offers without requesting the role, for the worker's synchronous
     * completions, which it requests once per duty cycle (or leaves to the role's next holder) instead of once each.
     */
    void offerDeferred(final TaskRecord record, final int worker)
    {
        final SpscArrayQueue<TaskRecord>[] own = this.own;
        if (worker >= own.length || !own[worker].offer(record))
        {
            offerShared(record);
            requestRole(); // the worker watches only its own queue for a holder to fold this in
        }
    }

    private void offerShared(final TaskRecord record)
    {
        // capacity covers every record that can be in flight at once; failing here would mean a sizing bug
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

    /** Any thread; racy. */
    boolean isEmpty()
    {
        for (final SpscArrayQueue<TaskRecord> q : own)
        {
            if (!q.isEmpty())
            {
                return false;
            }
        }
        return queue.isEmpty();
    }

    /** @return true if worker {@code worker}'s own completions have all been taken by a role holder; racy. */
    boolean isEmpty(final int worker)
    {
        final SpscArrayQueue<TaskRecord>[] own = this.own;
        return worker >= own.length || own[worker].isEmpty();
    }

    /** Role holder only: the next completion, taking the queues in turn. */
    TaskRecord poll()
    {
        final SpscArrayQueue<TaskRecord>[] own = this.own;
        final int n = own.length;
        for (int k = 0; k <= n; k++)
        {
            final int at = cursor;
            cursor = at >= n ? 0 : at + 1;
            final TaskRecord r = at >= n ? queue.relaxedPoll() : own[at].relaxedPoll();
            if (r != null)
            {
                cursor = at; // stay on a queue while it has completions: one cache line of it brings several
                return r;
            }
        }
        return null;
    }
}
