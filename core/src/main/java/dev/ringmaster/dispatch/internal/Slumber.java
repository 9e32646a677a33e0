package dev.ringmaster.dispatch.internal;

import org.jctools.util.PaddedAtomicLong;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Lets the workers and the router thread of an idle dispatcher doze: park without their backstop wake-ups (every 1 ms
 * for a worker, 50 ms for the router thread) until a task is accepted. They doze and wake up on their own threads
 * ({@link Doze}); any thread that accepts a task calls {@link #wakeIfDozing}.
 *
 * <p>Why: a parked worker wakes at the end of every park (at most 1 ms) to serve lent agents, stuck peers and steals, a
 * backstop only a live task needs. An idle dispatcher with two workers woke about 1,600 times a second, and used a few
 * percent of a core per worker doing nothing, where an idle {@code ThreadPoolExecutor} sleeps. A worker dozes once the
 * dispatcher has accepted nothing for {@code dozeAfterNanos} (50 ms) and has nothing outstanding, so a steady
 * stream never makes one doze; the next accepted task wakes every dozing worker once, back to the usual backstop.
 * The router thread's 50 ms alarm bounds the safety net of a live task (see {@code Router.safetyNetNanos}), which
 * nobody wakes it for; dozing, it is woken by the first task after the idle spell, so that bound still holds.
 *
 * <p>No wake-up is lost (Dekker): a worker announces its doze (an atomic increment), then reads the lanes' admission
 * counts; a submitter is admitted (a compare-and-set on its lane's count), then reads the dozers' count. Either the
 * worker sees the task outstanding and does not doze, or the submitter sees the worker dozing and wakes it. A worker's
 * own agents' tasks wake it as before, dozing or not (their wakers unpark a parked worker).
 */
final class Slumber
{
    private final Engine engine;
    private final long dozeAfterNanos;
    private final long dozeNanos;
    /** Workers dozing now: read on every accepted task, so padded, and written only as workers doze off and wake. */
    private final PaddedAtomicLong dozers = new PaddedAtomicLong();

    /** The router thread's doze; null for a slumber without one (tests of a lone worker). */
    private final Doze routerDoze;

    /** @param routerIdle the router thread's idle strategy, which dozes too; null for none. */
    Slumber(final Engine engine, final EngineConfig config, final ParkingIdleStrategy routerIdle)
    {
        this.engine = engine;
        this.dozeAfterNanos = config.dozeAfterNanos;
        this.dozeNanos = config.dozeNanos;
        this.routerDoze = routerIdle == null ? null : new Doze(routerIdle);
        if (routerIdle != null)
        {
            routerIdle.doze(routerDoze);
        }
    }

    /** Any thread, after a task was admitted: wakes every dozing thread (one volatile read when none dozes). */
    void wakeIfDozing()
    {
        if (dozers.get() != 0)
        {
            if (routerDoze != null)
            {
                routerDoze.wake();
            }
            for (final Worker w : engine.workers)
            {
                w.doze.wake();
            }
        }
    }

    /** @return true while the router thread dozes (any thread; tests). */
    boolean routerDozing()
    {
        return routerDoze != null && routerDoze.dozing();
    }

    /** One thread's doze (a worker's or the router's): its idle strategy asks it before a longest park, on that thread. */
    final class Doze
    {
        private static final VarHandle DOZING;

        static
        {
            try
            {
                DOZING = MethodHandles.lookup().findVarHandle(Doze.class, "dozing", int.class);
            }
            catch (final ReflectiveOperationException e)
            {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final ParkingIdleStrategy idle;
        /** 1 while dozing; cleared once, by the thread waking or by whoever wakes it. */
        private volatile int dozing;
        private long seenAccepted = -1;
        private long seenSinceNanos;

        Doze(final ParkingIdleStrategy idle)
        {
            this.idle = idle;
        }

        /**
         * Owner thread, parked flag set and no work of its own found: @return how long to park, 0 for the usual
         * period. Dozes once the accepted count has stood still for the doze delay and nothing is outstanding.
         */
        long dozeNanos()
        {
            final long now = System.nanoTime();
            final long accepted = engine.counters.accepted.get();
            if (accepted != seenAccepted)
            {
                seenAccepted = accepted;
                seenSinceNanos = now;
                return 0;
            }
            if (now - seenSinceNanos < dozeAfterNanos)
            {
                return 0;
            }
            DOZING.setVolatile(this, 1);
            dozers.incrementAndGet(); // a full fence before the admission counts are read: the worker's half of Dekker
            if (engine.outstanding() != 0)
            {
                wokeUp();
                return 0;
            }
            return dozeNanos;
        }

        /** Owner thread, after a doze (or one called off): counts itself awake unless its waker already did. */
        void wokeUp()
        {
            if (DOZING.compareAndSet(this, 1, 0))
            {
                dozers.decrementAndGet();
            }
        }

        /** @return true while the worker dozes (any thread). */
        boolean dozing()
        {
            return dozing != 0;
        }

        /** Any thread: wakes the worker if it dozes; the first waker wins, the others do nothing. */
        void wake()
        {
            if (DOZING.compareAndSet(this, 1, 0))
            {
                dozers.decrementAndGet();
                idle.wake();
            }
        }
    }
}
