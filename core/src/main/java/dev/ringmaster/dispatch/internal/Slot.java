package dev.ringmaster.dispatch.internal;

import dev.ringmaster.spi.Completion;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One execution slot of an agent (an agent has {@code capacity} of them) and the {@link Completion}s handed to the
 * adapter for the attempts running in it (returned by {@link #start}); completion may come from any thread, the router may time
 * the attempt out concurrently, and a CAS on {@link #state} decides which of them owns the outcome.
 *
 * <p>Each attempt gets one of {@value #HANDLES} handles in turn, stamped with the attempt's generation, so a second
 * completion of an attempt that comes while one of the next {@value #HANDLES} - 1 attempts runs in the slot is told
 * apart from that attempt's own and ignored, instead of completing another task; handles are reused rather than
 * allocated per attempt (no allocation per task). The handle of an attempt whose adapter threw is never reused
 * ({@link #retire}), so a callback it left behind is ignored however late; only an adapter that answers one attempt twice,
 * the second time {@value #HANDLES} or more attempts later, is still mistaken.
 *
 * <p>State layout, one long so that a CAS also checks the attempt (no ABA across reuse of the slot):
 * <pre>
 *   63                                  2 1 0
 *   +------------------------------------+---+
 *   |        generation (attempts)       |phase|   phase: FREE, RUNNING, COMPLETING, ABANDONED
 *   +------------------------------------+---+
 * </pre>
 * FREE -&gt; RUNNING (owning worker) -&gt; COMPLETING (adapter) -&gt; FREE; or RUNNING -&gt; ABANDONED (router timeout)
 * -&gt; FREE (the late completion, whenever it comes: a hung agent keeps its slot, as it would in reality). An agent
 * being removed does not wait for an ABANDONED slot ({@link AgentState#runsNothingLive}): its task went on in a copy,
 * and the adapter's {@code stop()}, called once the agent is removed, may be what lets the hung call return. Such a
 * late completion only frees the slot of the removed agent, which never runs another task; it touches no record.
 */
final class Slot
{
    static final long FREE = 0;
    static final long RUNNING = 1;
    static final long COMPLETING = 2;
    static final long ABANDONED = 3;
    private static final long PHASE_MASK = 3;
    /** Handles per slot, a power of two: how many attempts later a stray completion is still caught. */
    static final int HANDLES = 4;

    private static final VarHandle STATE;

    static
    {
        try
        {
            STATE = MethodHandles.lookup().findVarHandle(Slot.class, "state", long.class);
        }
        catch (final ReflectiveOperationException e)
        {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final AgentState agent;
    private final Signals signals;
    @SuppressWarnings("unused") // accessed through STATE
    private volatile long state;
    /** By generation modulo {@link #HANDLES}; made on first use, so a slot that runs one task at a time keeps one. */
    private final Attempt[] handles = new Attempt[HANDLES];
    /** Written by the worker before the RUNNING store, read by the completer and the router after reading RUNNING. */
    TaskRecord record;
    long deadlineNanos;
    /**
     * The worker that started the attempt, written before the RUNNING store: a completion on that worker's own thread
     * goes to its own queue. Not always the agent's home worker: the lead starts a lent worker's tasks.
     */
    Worker starter;

    Slot(final AgentState agent, final Signals signals)
    {
        this.agent = agent;
        this.signals = signals;
    }

    static long phase(final long state)
    {
        return state & PHASE_MASK;
    }

    long stateVolatile()
    {
        return (long)STATE.getVolatile(this);
    }

    boolean isFree()
    {
        return phase(stateVolatile()) == FREE;
    }

    /**
     * Owning worker only, on a FREE slot.
     *
     * @return the completion to hand the adapter for this attempt, and for nothing after it
     */
    Attempt start(final TaskRecord record, final long nowNanos)
    {
        this.record = record;
        final long timeout = record.task.timeoutNanos();
        this.deadlineNanos = timeout == 0 ? Long.MAX_VALUE : nowNanos + timeout;
        final long generation = (stateVolatile() >>> 2) + 1;
        final int h = (int)generation & (HANDLES - 1);
        Attempt handle = handles[h];
        if (handle == null)
        {
            handle = new Attempt(this);
            handles[h] = handle;
        }
        handle.generation = generation;
        STATE.setRelease(this, (generation << 2) | RUNNING); // publishes record, deadline and handle to completer and router
        return handle;
    }

    /**
     * Owning worker only (the thread that started the attempt, still holding the agent's start guard): the adapter
     * threw, so it may still hold this handle somewhere (a callback it scheduled before throwing) and answer with it
     * any time later. The handle is never reused; the slot makes a new one the next time its turn comes, an allocation
     * on this fault path only. Without this, an answer {@value #HANDLES} attempts later completed another task.
     */
    void retire(final Attempt handle)
    {
        final int h = (int)handle.generation & (HANDLES - 1);
        if (handles[h] == handle)
        {
            handles[h] = null;
        }
    }

    /**
     * Router only: takes the attempt away from the adapter if it is still the one observed.
     *
     * @return true if the router now owns the record's outcome.
     */
    boolean abandon(final long observedState)
    {
        return STATE.compareAndSet(this, observedState, (observedState & ~PHASE_MASK) | ABANDONED);
    }

    private void succeed(final long generation, final Object result, final long tokensUsed, final double quality)
    {
        final TaskRecord r = claim(generation);
        if (r != null)
        {
            r.outcome = TaskRecord.OUTCOME_SUCCEEDED;
            r.result = result;
            r.tokensUsed = tokensUsed;
            r.quality = quality;
            final long now = System.nanoTime();
            // before the slot is freed and the record offered: until then nobody else touches the record
            signals.delivered(r, now);
            finish(r, now);
        }
    }

    /**
     * @param generation the attempt's
     * @return true if this call failed the attempt, false if it was already completed, timed out or not the one running.
     */
    private boolean failOwned(final long generation, final Throwable cause)
    {
        final TaskRecord r = claim(generation);
        if (r == null)
        {
            return false;
        }
        r.outcome = TaskRecord.OUTCOME_FAILED;
        r.error = cause != null ? cause : new IllegalStateException("adapter failed the task without a cause");
        finish(r, System.nanoTime());
        return true;
    }

    /**
     * @param generation the attempt the caller completes
     * @return the record if this completion owns the attempt; null if the router abandoned it (timeout), or if the
     * attempt was already completed or is not the one running (ignored).
     */
    private TaskRecord claim(final long generation)
    {
        while (true)
        {
            final long s = stateVolatile();
            final long phase = phase(s);
            if (s >>> 2 != generation)
            {
                // a handle of an earlier attempt: that attempt already has its outcome, and this slot runs another
                signals.ignoredCompletions.incrementAndGet();
                return null;
            }
            if (phase == RUNNING)
            {
                if (STATE.compareAndSet(this, s, (s & ~PHASE_MASK) | COMPLETING))
                {
                    return record;
                }
            }
            else if (phase == ABANDONED)
            {
                // no write to 'record' after this CAS: the owning worker may already be reusing the slot
                if (STATE.compareAndSet(this, s, s & ~PHASE_MASK))
                {
                    agent.releaseSlot();
                    signals.ignoredCompletions.incrementAndGet(); // the timeout had the outcome
                    return null;
                }
            }
            else
            {
                // A second completion of one attempt, or one after the slot was freed: ignored and counted, never thrown.
                // The contract (issue 9) is that the first completion (or the router's timeout) owns the outcome and
                // later ones are dropped; an exception would land in the adapter, often on a thread of its own (an
                // HTTP callback, a timer) where nobody catches it. The count keeps a buggy adapter visible.
                signals.ignoredCompletions.incrementAndGet();
                return null;
            }
        }
    }

    private void finish(final TaskRecord r, final long nowNanos)
    {
        r.finishNanos = nowNanos;
        record = null;
        STATE.setRelease(this, stateVolatile() & ~PHASE_MASK); // slot reusable before the router hears of it
        agent.releaseSlot();
        final Worker worker = starter;
        if (worker != null && worker.isCurrentThread())
        {
            // a synchronous completion inside the worker's duty cycle: one request of the role for the whole cycle,
            // so the routing state is not pulled to this core once per task
            signals.offerDeferred(r, worker.index());
            worker.completionsDeferred = true;
        }
        else
        {
            signals.offer(r);
        }
    }

    /**
     * The {@link Completion} of one attempt: completes the slot only while that attempt is the one running in it;
     * callable from any thread, as the slot is.
     */
    static final class Attempt implements Completion
    {
        private final Slot slot;
        /** Written by the owning worker before the RUNNING store that publishes it. */
        long generation;

        Attempt(final Slot slot)
        {
            this.slot = slot;
        }

        @Override
        public void succeed(final Object result, final long tokensUsed, final double quality)
        {
            slot.succeed(generation, result, tokensUsed, quality);
        }

        @Override
        public void fail(final Throwable cause)
        {
            failOwned(cause);
        }

        /** @return true if this call failed its attempt, false if it was already completed, timed out or not current. */
        boolean failOwned(final Throwable cause)
        {
            return slot.failOwned(generation, cause);
        }
    }
}
