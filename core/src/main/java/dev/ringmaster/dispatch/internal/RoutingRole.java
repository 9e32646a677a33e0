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
 * bounded number of cycles; past that it hands the role, still held, to the router thread, so a producer under
 * sustained load is not turned into a router.
 *
 * <p>The atomic increment and decrement on {@code wip} order one holder's writes before the next holder's reads, so
 * routing state stays plain fields with one writer at a time.
 */
final class RoutingRole
{
    private static final Logger LOG = LoggerFactory.getLogger(RoutingRole.class);
    /** Duty cycles a submitter or worker may run before handing the role to the router thread. */
    static final int GUEST_CYCLES = 4;

    private final PaddedAtomicLong wip = new PaddedAtomicLong();
    private final Router router;
    private final ParkingIdleStrategy routerIdle;
    /** Set by a guest holder that hands the (still held) role over; cleared by the router thread that takes it. */
    private volatile boolean handedOver;
    /** The requests the handing-over guest had counted and not yet subtracted; written before {@link #handedOver}. */
    private long handedMissed;
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

    /** Router thread: takes the role if it was handed over or is free and timed work is due. @return work done. */
    int routerCycle(final long nowNanos)
    {
        if (handedOver)
        {
            handedOver = false;
            return hold(Integer.MAX_VALUE, handedMissed);
        }
        // only when nobody holds the role: a holder does timed work in its own cycles, and every published task,
        // completion or command already requested the role; this is the path for timers and the safety net
        if ((nowNanos - wakeAtNanos >= 0 || router.workPending()) && wip.get() == 0 && wip.compareAndSet(0, 1))
        {
            return hold(Integer.MAX_VALUE, 1);
        }
        return 0;
    }

    /** @return true if the router thread should not park: the role was handed to it. */
    boolean routerHasWork()
    {
        return handedOver;
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
                if (cycles >= maxCycles && (router.morePending() || wip.get() != missed))
                {
                    // sustained load: the router thread takes over the role as it is (still held, wip unchanged)
                    handedMissed = missed;
                    handedOver = true; // volatile store: publishes handedMissed and the routing state to the router
                    routerIdle.wake();
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
