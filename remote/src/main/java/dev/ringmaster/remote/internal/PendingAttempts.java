package dev.ringmaster.remote.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;

/**
 * The attempts in flight on hosts, by correlation id: an open-addressed table of one slot per id modulo its size,
 * claimed and released with compare-and-set, so workers (which add) and the poller (which removes) never lock.
 *
 * <p>Whoever removes an attempt owns its completion: a completion from the host and the poller giving the host up
 * race for the same slot, and exactly one of them wins; the loser's message is a late completion.
 *
 * <p>An attempt's deadline, after which {@link #expire} gives it up and the poller cancels it on the host: the answer
 * timeout, or the task's own timeout if that is longer, and the attempt fails unanswered; but the task's own timeout
 * plus a grace (one heartbeat) if that is shorter than the answer timeout. The dispatcher's watchdog has then timed
 * the attempt out already and retried or ended its task; the attempt is still failed here, since the dispatcher keeps
 * the agent's slot taken until the adapter answers a timed-out attempt (as a hung local agent keeps it), and the host,
 * cancelled, never will. The dispatcher ignores that failure (it counts in {@code FaultCounts.ignoredCompletions}, as
 * the host's late answer would), so it is not counted as unanswered here.
 */
public final class PendingAttempts
{
    private final AtomicReferenceArray<Attempt> slots;
    private final int mask;
    /**
     * Starts anywhere in a range of 2^62 drawn per process, not at 1: hosts outlive a dispatcher restart and answer
     * the previous process's attempts late, and such an answer must find no attempt of this process under its id.
     */
    private final AtomicLong nextId = new AtomicLong(
        java.util.concurrent.ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE / 2));
    private final long answerTimeoutNanos;
    private final long graceNanos;
    /** The next slot {@link #expire} looks at; poller only. */
    private int expireCursor;

    /**
     * @param capacity      most attempts in flight at once, rounded up to a power of two; more wait for a free slot.
     * @param answerTimeout how long an attempt waits for its host's answer (at least the task's own timeout).
     * @param grace         how long after a shorter task timeout the attempt is cancelled on the host.
     */
    public PendingAttempts(final int capacity, final java.time.Duration answerTimeout, final java.time.Duration grace)
    {
        this.answerTimeoutNanos = answerTimeout.toNanos();
        this.graceNanos = grace.toNanos();
        final int size = Integer.highestOneBit(Math.max(64, capacity - 1) << 1);
        this.slots = new AtomicReferenceArray<>(size);
        this.mask = size - 1;
    }

    /**
     * @return the attempt, registered under a fresh correlation id; null if the table is full (so many attempts in
     *     flight that the ids wrapped round to a slot still in use), which the caller treats as a full agent.
     */
    Attempt add(final HostLink link, final int agentIndex, final dev.ringmaster.spi.TaskView view,
                final dev.ringmaster.spi.Completion completion)
    {
        final long timeout = view.task().timeoutNanos();
        // a shorter timeout of the task's own is enforced by the dispatcher, which tells nobody: the host hears of it
        // by a cancel a grace after it, once the dispatcher's timeout has surely fired
        final boolean pastTaskTimeout = timeout > 0 && timeout + graceNanos < answerTimeoutNanos;
        // the task's own timeout, when longer, is the user's word on how long it may run: the answer timeout never cuts it
        final long now = System.nanoTime();
        final long deadline = now + (pastTaskTimeout ? timeout + graceNanos
            : Math.max(answerTimeoutNanos, timeout));
        for (int tries = 0; tries < 4; tries++)
        {
            final long id = nextId.getAndIncrement();
            final Attempt attempt = new Attempt(id, link, agentIndex, view, completion, deadline, pastTaskTimeout,
                now);
            // CAS: publishes the attempt's final fields to the poller that reads the slot
            if (slots.compareAndSet((int)id & mask, null, attempt))
            {
                return attempt;
            }
        }
        return null;
    }

    /** @return the attempt with this id, now removed, or null if none (never sent, or already completed or given up). */
    public Attempt remove(final long correlationId)
    {
        final int index = (int)correlationId & mask;
        final Attempt a = slots.get(index);
        if (a != null && a.correlationId == correlationId && slots.compareAndSet(index, a, null))
        {
            return a;
        }
        return null;
    }

    /** @return whether this very attempt is still pending (not completed, given up, or replaced by another). */
    boolean holds(final Attempt attempt)
    {
        return slots.get((int)attempt.correlationId & mask) == attempt;
    }

    /** Removes every attempt sent to {@code link} and hands each to {@code action}; called by the poller. */
    public int removeAll(final HostLink link, final Consumer<Attempt> action)
    {
        int n = 0;
        for (int i = 0; i < slots.length(); i++)
        {
            final Attempt a = slots.get(i);
            if (a != null && a.link == link && slots.compareAndSet(i, a, null))
            {
                action.accept(a);
                n++;
            }
        }
        return n;
    }

    /**
     * Removes the attempts past their answer deadline among the next {@code count} slots (round the table across
     * calls, so a tick costs a fixed share of it) and hands each to {@code action}; called by the poller.
     */
    public int expire(final long nowNanos, final int count, final Consumer<Attempt> action)
    {
        int n = 0;
        for (int k = 0; k < count; k++)
        {
            final int i = expireCursor;
            expireCursor = (i + 1) & mask;
            final Attempt a = slots.get(i);
            if (a != null && nowNanos - a.answerDeadlineNanos > 0 && slots.compareAndSet(i, a, null))
            {
                action.accept(a);
                n++;
            }
        }
        return n;
    }

    /**
     * @return the failure that ends an attempt {@link #expire} gave up, counted in {@code counters} if the host left it
     *     unanswered; past its task's own timeout the dispatcher ignores it, having timed the attempt out already.
     */
    RemoteFailure expired(final Attempt a, final RemoteCounters counters)
    {
        final String where = "attempt " + a.view.attempt() + " of task " + a.taskId + " on agent '"
            + a.link.agents.get(a.agentIndex).id() + "'";
        if (a.pastTaskTimeout)
        {
            return new RemoteFailure("agent host '" + a.link.hostId + "' had not answered " + where + " within the "
                + "task's timeout of " + a.view.task().timeoutNanos() / 1_000_000 + " ms; cancelled on the host");
        }
        counters.unanswered.increment();
        return new RemoteFailure("agent host '" + a.link.hostId + "' did not answer " + where + " within "
            + answerTimeoutNanos / 1_000_000 + " ms (RemoteSettings.answerTimeout, or the task's timeout if longer); "
            + "the attempt counts as failed: give the task a timeout, or raise answerTimeout, if it may run longer");
    }
}
