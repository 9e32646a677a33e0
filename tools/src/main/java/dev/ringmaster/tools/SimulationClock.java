package dev.ringmaster.tools;

import dev.ringmaster.spi.Completion;
import org.HdrHistogram.Histogram;
import org.agrona.DeadlineTimerWheel;
import org.agrona.collections.Long2ObjectHashMap;
import org.jctools.queues.MpscArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One dedicated thread that completes simulated attempts when their simulated duration has passed; {@link #schedule}
 * may be called from any thread (lock-free), everything else about the timers is owned by the clock thread.
 *
 * <p>Why a thread of its own: a simulated agent that slept on the dispatcher's worker thread would block every other
 * agent of that worker, and on a 2-core machine there are only two workers. Here the worker only enqueues a timer
 * and returns, as a real asynchronous adapter (an HTTP call to a model) would.
 *
 * <p>How: callers publish {@link Pending} attempts through a JCTools MPSC queue; the clock thread moves them into an
 * Agrona {@link DeadlineTimerWheel} (O(1) schedule and expiry, 16 µs ticks) and calls the completion when the deadline
 * passes. Between ticks it parks for one tick rather than spinning, since a spinning clock would take one of the two
 * cores from the dispatcher it is meant to exercise; when no timer is pending it parks until a caller wakes it.
 */
public final class SimulationClock implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(SimulationClock.class);

    /** 2^14 ns = 16.4 µs: finer than the shortest simulated attempt that matters, coarse enough to park between. */
    private static final long TICK_NANOS = 1L << 14;
    /** 1024 ticks = 16.8 ms per turn; longer timers wait in their spoke for later turns, still O(1). */
    private static final int TICKS_PER_WHEEL = 1024;
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /** One attempt waiting for its simulated end; written by the scheduling thread, then owned by the clock. */
    static final class Pending
    {
        final Completion completion;
        final long deadlineNanos;
        final Object result;
        final long tokensUsed;
        final double quality;
        final Throwable failure;

        /**
         * @param failure null to succeed with result, tokens and quality; else the cause to fail with.
         */
        Pending(final Completion completion, final long deadlineNanos, final Object result, final long tokensUsed,
                final double quality, final Throwable failure)
        {
            this.completion = completion;
            this.deadlineNanos = deadlineNanos;
            this.result = result;
            this.tokensUsed = tokensUsed;
            this.quality = quality;
            this.failure = failure;
        }
    }

    private final MpscArrayQueue<Pending> incoming;
    private final DeadlineTimerWheel wheel;
    private final Long2ObjectHashMap<Pending> byTimerId = new Long2ObjectHashMap<>();
    /** How late completions fire against their deadline: the clock's own error, part of every EXECUTION figure. */
    private final Histogram lateness = new Histogram(TimeUnit.SECONDS.toNanos(60), 2);
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean sleeping;
    private long fired;
    private long completionErrors;

    /**
     * @param maxInFlight upper bound of attempts running at once (the fleet's total capacity); sizes the hand-over
     *                    queue so that a full queue means a bug, not load.
     */
    public SimulationClock(final int maxInFlight)
    {
        this.incoming = new MpscArrayQueue<>(Math.max(1024, maxInFlight * 4));
        this.wheel = new DeadlineTimerWheel(TimeUnit.NANOSECONDS, System.nanoTime(), TICK_NANOS, TICKS_PER_WHEEL);
        this.thread = new Thread(this::run, "ringmaster-sim-clock");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Any thread, lock-free: arranges for {@code completion} to be called on the clock thread at
     * {@code deadlineNanos} ({@link System#nanoTime()} base).
     *
     * @param failure null to call {@code succeed(result, tokensUsed, quality)}, else {@code fail(failure)}.
     */
    public void schedule(final Completion completion, final long deadlineNanos, final Object result,
                         final long tokensUsed, final double quality, final Throwable failure)
    {
        final Pending pending = new Pending(completion, deadlineNanos, result, tokensUsed, quality, failure);
        while (!incoming.offer(pending))
        {
            // the queue holds 4x the fleet's capacity: only a stalled clock thread gets here, so wait for it
            LockSupport.unpark(thread);
            Thread.yield();
        }
        if (sleeping)
        {
            LockSupport.unpark(thread);
        }
    }

    /**
     * Stops the clock thread and waits for it; attempts still pending are dropped (after a drain only attempts that
     * the dispatcher already timed out can be left, and their completions would be ignored). Any thread.
     */
    @Override
    public void close()
    {
        running = false;
        LockSupport.unpark(thread);
        try
        {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive())
        {
            LOG.warn("simulation clock thread did not stop within 10 s");
        }
    }

    /** @return completions fired so far; exact only after {@link #close()} (the join publishes it). */
    public long fired()
    {
        return fired;
    }

    /** @return adapter completions that threw (a completion called twice); 0 unless something is wrong. */
    public long completionErrors()
    {
        return completionErrors;
    }

    /** @return a copy of the lateness histogram, in nanoseconds; call after {@link #close()}. */
    public Histogram lateness()
    {
        return lateness.copy();
    }

    private void run()
    {
        final DeadlineTimerWheel.TimerHandler onExpiry = this::onExpiry;
        while (running)
        {
            int work = incoming.drain(this::add, 4096);
            final long now = System.nanoTime();
            if (wheel.timerCount() == 0)
            {
                wheel.currentTickTime(now); // jump over the idle ticks instead of polling through them one by one
            }
            else
            {
                // poll() advances one tick per call: catch up tick by tick until the tick that contains now is done
                while (true)
                {
                    final boolean nowInCurrentTick = now < wheel.currentTickTime();
                    work += wheel.poll(now, onExpiry, Integer.MAX_VALUE);
                    if (nowInCurrentTick)
                    {
                        break;
                    }
                }
            }
            if (work == 0)
            {
                idle();
            }
        }
        final int dropped = (int)wheel.timerCount() + incoming.size();
        if (dropped > 0)
        {
            LOG.debug("simulation clock stopped with {} attempt(s) still pending (already timed out by the dispatcher)", dropped);
        }
    }

    private void idle()
    {
        if (wheel.timerCount() > 0)
        {
            LockSupport.parkNanos(TICK_NANOS);
            return;
        }
        // nothing to fire: park until schedule() wakes us; the flag is set before the re-check so no wake-up is lost
        sleeping = true;
        if (incoming.isEmpty() && running)
        {
            LockSupport.parkNanos(IDLE_PARK_NANOS);
        }
        sleeping = false;
    }

    private void add(final Pending pending)
    {
        byTimerId.put(wheel.scheduleTimer(pending.deadlineNanos), pending);
    }

    private boolean onExpiry(final TimeUnit unit, final long now, final long timerId)
    {
        final Pending p = byTimerId.remove(timerId);
        if (p == null)
        {
            return true;
        }
        fired++;
        lateness.recordValue(Math.max(0, Math.min(now - p.deadlineNanos, lateness.getHighestTrackableValue())));
        try
        {
            if (p.failure == null)
            {
                p.completion.succeed(p.result, p.tokensUsed, p.quality);
            }
            else
            {
                p.completion.fail(p.failure);
            }
        }
        catch (final RuntimeException e)
        {
            if (completionErrors++ < 10)
            {
                LOG.error("completing a simulated attempt failed; the clock goes on", e);
            }
        }
        return true;
    }
}
