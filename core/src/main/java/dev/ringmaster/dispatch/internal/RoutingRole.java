package dev.ringmaster.dispatch.internal;

import org.jctools.util.PaddedAtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.invoke.VarHandle;

/**
 * The right to write routing state, taken by whichever thread has routing work to do when nobody holds it: a
 * submitter, a worker that finished tasks, or the router thread. Taken with a compare-and-set on a padded word and
 * never waited for, so it is not a lock: a thread that finds the role held just leaves, and the holder, which checks
 * for published work again after it lets go, does that work. Any thread may call {@link #request()}.
 *
 * <p>Why: a parked router costs a wake-up per task (microseconds, milliseconds on a busy 2-core machine). With the
 * role, an idle dispatcher routes a submitted task on the submitting thread and a finished one on the completing
 * thread, so the common path crosses threads once, submitter to worker. A submitter or worker holds the role for a
 * bounded number of cycles, so a submit never turns into routing for ever; past that it lets go and leaves what is
 * left to the next request, with the router thread woken as a backstop.
 *
 * <p>No work is stranded: a requester publishes its work, fences, then reads the word; a holder clears the word,
 * fences, then looks for published work (Dekker): either the requester sees the role free and takes it, or the holder
 * sees the work and takes the role back. The compare-and-set that takes the role and the volatile store that clears
 * it order one holder's writes before the next holder's reads, so routing state stays plain fields with one writer
 * at a time. Why not a counter incremented per request (the classic queue-drain loop): with a submitter and two
 * workers requesting once per task, that one contended read-modify-write was the hottest spot of the whole path.
 */
final class RoutingRole
{
    private static final Logger LOG = LoggerFactory.getLogger(RoutingRole.class);
    /** Duty cycles a submitter or worker may run per hold before it lets go. */
    static final int GUEST_CYCLES = 8;
    /** The router thread's budget per hold: it lets go now and then too, so that its idle strategy sees the time. */
    static final int ROUTER_CYCLES = 64;

    static final boolean ROUTER_TAKES_OVER = !Boolean.getBoolean("ringmaster.noRouterTakeover");
    private static final long FREE = 0;
    private static final long HELD = 1;

    private final PaddedAtomicLong state = new PaddedAtomicLong();
    private final Router router;
    private final ParkingIdleStrategy routerIdle;
    /** Set by a guest that let go of the role over budget with work left; the router thread takes that work. */
    private volatile boolean backstopWanted;
    /**
     * Set when guests could not keep up (one ran out of budget with work left): the router thread alone routes, on
     * one core with the state in its cache, until it runs out of work and is about to park. Why: a submitter and two
     * workers taking turns pull the routing state from core to core on every hold, which capped throughput at a
     * third of a dedicated router's in the closed-loop benchmark.
     */
    private volatile boolean routerOwns;
    /** Read by the router thread's idle strategy: when timed work (retries, rate limits, watchdog) falls due. */
    private volatile long wakeAtNanos = Long.MAX_VALUE;
    /**
     * The thread holding the role, written by that thread only and cleared before it lets go: a thread reads itself
     * here only while it holds the role (it always sees its own last write; no other thread writes it as the value).
     */
    private Thread holder;
    /** The timed part of {@link #wakeAtNanos} (retries, refills, watchdog), written by holders only. */
    private long timedAtNanos = Long.MAX_VALUE;

    RoutingRole(final Router router, final ParkingIdleStrategy routerIdle)
    {
        this.router = router;
        this.routerIdle = routerIdle;
    }

    /**
     * Any thread, after publishing routing work (a task, completions, a command): does it here if nobody routes now,
     * else leaves it to the holder.
     */
    void request()
    {
        VarHandle.fullFence(); // StoreLoad: our published work is visible before we read the role's state
        if (routerOwns)
        {
            return; // under sustained load the router thread routes; it is awake and will see the work
        }
        if (state.get() == FREE && state.compareAndSet(FREE, HELD))
        {
            hold(GUEST_CYCLES);
        }
    }

    /** Any thread: @return true if the calling thread holds the role (it is inside a callback the holder runs). */
    boolean heldByCurrentThread()
    {
        return holder == Thread.currentThread();
    }

    /** Router thread: takes the role if it is free and a guest left work, timed work is due, or work waits. @return work done. */
    int routerCycle(final long nowNanos)
    {
        final boolean wanted = backstopWanted;
        if (wanted)
        {
            backstopWanted = false;
        }
        final long wakeAt = wakeAtNanos;
        // only when nobody holds the role: a holder does timed work in its own cycles, and every published task,
        // completion or command already requested the role; this is the path for timers and the backstop. Published
        // work alone is taken only while the router thread owns routing: otherwise submitters and workers route it,
        // and a router thread that took it would keep itself awake (each task it routes restarts its spin and yield),
        // a fourth runnable thread on two cores at light load
        if ((wanted || (wakeAt != Long.MAX_VALUE && nowNanos - wakeAt >= 0) || (routerOwns && router.workPending())) &&
            state.get() == FREE && state.compareAndSet(FREE, HELD))
        {
            return hold(ROUTER_CYCLES);
        }
        return 0;
    }

    /** @return true if the router thread should not park: a guest left work behind for it. */
    boolean routerHasWork()
    {
        if (backstopWanted)
        {
            return true;
        }
        if (routerOwns)
        {
            // about to park: give routing back to submitters and workers, unless work came in meanwhile (Dekker
            // with request(): it publishes, fences, reads routerOwns; we clear it, fence, look for work)
            routerOwns = false;
            VarHandle.fullFence();
            if (router.workPending())
            {
                routerOwns = true;
                return true;
            }
        }
        return false;
    }

    /** Router thread, as it exits: routing is nobody's own any more, so late requests route themselves. */
    void routerExited()
    {
        routerOwns = false;
    }

    /** @return when the router thread must next look at timed work, Long.MAX_VALUE if nothing is timed. */
    long wakeAtNanos()
    {
        return wakeAtNanos;
    }

    /** Runs duty cycles while work is published, at most {@code maxCycles}, then lets go. @return work done. */
    private int hold(final int maxCycles)
    {
        int cycles = 0;
        int work = 0;
        boolean released = false;
        final long phase = router.enterRole();
        try
        {
            while (true)
            {
                holder = Thread.currentThread();
                work += cycle();
                cycles++;
                final boolean more = router.morePending() || router.workPending();
                if (more && cycles < maxCycles)
                {
                    continue;
                }
                final long previousTimedAt = timedAtNanos;
                final long nextTimedAt = router.nextTimedWorkNanos();
                timedAtNanos = nextTimedAt;
                wakeAtNanos = Math.min(nextTimedAt, router.safetyNetNanos()); // before letting go: then it is another's
                released = true;
                holder = null;
                state.set(FREE); // volatile store: the next holder's compare-and-set reads it, and sees our writes
                VarHandle.fullFence(); // StoreLoad: the other half of the Dekker pair in request()
                // only timed work wakes it early: waking it for the safety net would add an unpark per task at light load
                if (nextTimedAt != Long.MAX_VALUE && (previousTimedAt == Long.MAX_VALUE || nextTimedAt - previousTimedAt < 0))
                {
                    routerIdle.wake(); // the router thread's park was sized for the later alarm
                }
                if (more)
                {
                    // over budget with work left: leave it to the next request from any thread, and wake the router
                    // thread as the backstop in case none comes (handing the role over instead would stall every
                    // submitter and worker until the router thread is scheduled)
                    if (maxCycles == GUEST_CYCLES && ROUTER_TAKES_OVER)
                    {
                        routerOwns = true;
                    }
                    backstopWanted = true;
                    routerIdle.wake();
                    return work;
                }
                if (!router.workPending() || !state.compareAndSet(FREE, HELD))
                {
                    return work; // nothing was published meanwhile, or its publisher took the role
                }
                released = false;
            }
        }
        finally
        {
            router.exitRole(phase);
            if (!released)
            {
                // only on a throwable outside the duty cycle (which contains its own): never leave the role held
                holder = null;
                state.set(FREE);
                backstopWanted = true;
                routerIdle.wake();
            }
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
