package dev.ringmaster.dispatch.internal;

import org.jctools.util.PaddedAtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The right to write routing state, taken by whichever thread has routing work to do when nobody holds it: a
 * submitter, a worker that finished a task, or the router thread. Serialized by a work-in-progress counter (the
 * queue-drain pattern), never a lock: a thread that finds the role held only counts its request and returns, and the
 * holder runs one more duty cycle for it. Any thread may call {@link #request()}.
 *
 * <p>Why: a parked router costs a wake-up per task (microseconds, milliseconds on a busy 2-core machine). With the
 * role, an idle dispatcher routes a submitted task on the submitting thread and a finished one on the completing
 * thread, so the common path crosses threads once, submitter to worker. A submitter or worker holds the role for a
 * bounded number of cycles, so a submit never turns into routing for ever; past that it lets go and leaves what is
 * left to the next request, with the router thread woken as a backstop.
 *
 * <p>The atomic increment and decrement on {@code wip} order one holder's writes before the next holder's reads, so
 * routing state stays plain fields with one writer at a time.
 */
final class RoutingRole
{
    private static final Logger LOG = LoggerFactory.getLogger(RoutingRole.class);
    /** Duty cycles a submitter or worker may run before handing the role to the router thread. */
    static final int GUEST_CYCLES = 2;
    /** The router thread's budget per hold: it lets go now and then too, so that its idle strategy sees the time. */
    static final int ROUTER_CYCLES = 64;

    private final PaddedAtomicLong wip = new PaddedAtomicLong();
    private final Router router;
    private final ParkingIdleStrategy routerIdle;
    /** Set by a guest that let go of the role over budget with work left; the router thread takes that work. */
    private volatile boolean backstopWanted;
    /** Read by the router thread's idle strategy: when timed work (retries, rate limits, watchdog) falls due. */
    private volatile long wakeAtNanos = Long.MAX_VALUE;

    RoutingRole(final Router router, final ParkingIdleStrategy routerIdle)
    {
        this.router = router;
        this.routerIdle = routerIdle;
    }

    /** Any thread: routing work was published (a task, a completion, a command); run it here or have the holder run it. */
    void request()
    {
        if (wip.getAndIncrement() == 0)
        {
            hold(GUEST_CYCLES, 1);
        }
    }

    /** Router thread: takes the role if it is free and a guest left work, timed work is due, or work waits. @return work done. */
    int routerCycle(final long nowNanos)
    {
        final boolean wanted = backstopWanted;
        if (wanted)
        {
            backstopWanted = false;
        }
        // only when nobody holds the role: a holder does timed work in its own cycles, and every published task,
        // completion or command already requested the role; this is the path for timers and the backstop
        if ((wanted || nowNanos - wakeAtNanos >= 0 || router.workPending()) && wip.get() == 0 && wip.compareAndSet(0, 1))
        {
            return hold(ROUTER_CYCLES, 1);
        }
        return 0;
    }

    /** @return true if the router thread should not park: a guest left work behind for it. */
    boolean routerHasWork()
    {
        return backstopWanted;
    }

    /** @return when the router thread must next look at timed work, Long.MAX_VALUE if nothing is timed. */
    long wakeAtNanos()
    {
        return wakeAtNanos;
    }

    /** Runs duty cycles while requests keep coming, at most {@code maxCycles}. @return work done. */
    private int hold(final int maxCycles, final long initialMissed)
    {
        long missed = initialMissed;
        int cycles = 0;
        int work = 0;
        final long phase = router.enterRole();
        try
        {
            while (true)
            {
                final int done = cycle();
                work += done;
                cycles++;
                if (router.morePending() && cycles < maxCycles)
                {
                    continue; // a lane stopped at its batch cap: keep the role, more can be placed now
                }
                if (cycles >= maxCycles)
                {
                    // over budget with work left: let go of the role entirely instead of handing it to the router
                    // thread, which may be parked (a wake-up would stall every submitter and worker meanwhile). The
                    // requests counted so far are dropped, not their work: it waits in the ring, the completion queue
                    // or a lane, and the next request from any thread takes the role and does it; the router thread
                    // is woken as the backstop in case none comes
                    wakeAtNanos = router.nextTimedWorkNanos();
                    final boolean leftWork = router.morePending() || wip.get() != missed;
                    wip.set(0); // volatile store: the next holder's atomic increment reads it, and sees our writes
                    if (leftWork || router.workPending())
                    {
                        backstopWanted = true;
                        routerIdle.wake();
                    }
                    return work;
                }
                wakeAtNanos = router.nextTimedWorkNanos(); // before the release: after it, another holder owns the state
                missed = wip.addAndGet(-missed);
                if (missed == 0)
                {
                    return work;
                }
            }
        }
        finally
        {
            router.exitRole(phase);
        }
    }

    private int cycle()
    {
        try
        {
            return router.doWork();
        }
        catch (final Throwable t)
        {
            // the role must outlive any bug: every accepted task still needs its terminal state
            LOG.error("routing duty cycle failed; continuing", t);
            return 1;
        }
    }
}
