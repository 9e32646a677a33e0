package dev.ringmaster.metrics;

import org.slf4j.Logger;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the faults of one kind from one source (a listener's callback, the routing strategy, the result handler, an
 * agent's adapter) and logs at most one line per interval, with how many were not logged since; any thread.
 *
 * <p>Why: a plugin that throws on every task would otherwise log a stack trace per task (150,000 a second were seen),
 * which costs more than the dispatch itself and buries everything else in the log. Public: the dispatcher, pre-routing and
 * plugins that contain faults of their own log them the same way.
 */
public final class FaultLog
{
    /** At most one line per source and kind in this interval. */
    static final long INTERVAL_NANOS = 10_000_000_000L;

    private final Logger log;
    private final String source;
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong nextLogNanos = new AtomicLong(Long.MIN_VALUE);
    private final boolean warning;
    private long countAtLastLog;

    /** @param source what failed, the start of every line, e.g. "routing strategy 'p2c'". */
    public FaultLog(final Logger log, final String source)
    {
        this(log, source, false);
    }

    private FaultLog(final Logger log, final String source, final boolean warning)
    {
        this.log = log;
        this.source = source;
        this.warning = warning;
    }

    /**
     * @return a log of a kind that may be the machine's doing rather than a fault (a slow decision: a GC pause or a
     * descheduled thread makes one too), logged at WARN instead of ERROR, rate-limited the same way.
     */
    public static FaultLog warnings(final Logger log, final String source)
    {
        return new FaultLog(log, source, true);
    }

    /**
     * @param what    what went wrong and what the dispatcher did about it, e.g. "threw from onAssigned; the event is
     *                dropped for it".
     * @param failure the throwable, logged with its stack trace on the lines that are logged.
     */
    public void report(final String what, final Throwable failure)
    {
        final long count = total.incrementAndGet();
        final long now = System.nanoTime();
        final long next = nextLogNanos.get();
        if ((next == Long.MIN_VALUE || now - next >= 0) && nextLogNanos.compareAndSet(next, now + INTERVAL_NANOS))
        {
            final long unlogged = count - 1 - countAtLastLog;
            countAtLastLog = count;
            try
            {
                if (unlogged > 0)
                {
                    emit("{} {} ({} more like it not logged in the last {} s; {} in all)", source, what, unlogged,
                        INTERVAL_NANOS / 1_000_000_000L, count, failure);
                }
                else
                {
                    emit("{} {} ({} in all; further ones are logged at most every {} s)", source, what, count,
                        INTERVAL_NANOS / 1_000_000_000L, failure);
                }
            }
            catch (final Throwable unprintable)
            {
                // printing the stack trace asks the failure for its message, which may throw (a message built lazily
                // that fails): thrown from here it would escape the containment that reports it and lose the task
                emit("{} {} ({} in all): {}", source, what, count, describe(failure));
            }
        }
    }

    private void emit(final String format, final Object... args)
    {
        if (warning)
        {
            log.warn(format, args);
        }
        else
        {
            log.error(format, args);
        }
    }

    /**
     * @return the throwable's {@code toString()}, or its class name if even that throws; for reasons and log lines
     *     about a plugin's failure, which must not throw themselves.
     */
    public static String describe(final Throwable t)
    {
        try
        {
            return String.valueOf(t);
        }
        catch (final Throwable unprintable)
        {
            return t.getClass().getName() + " (its message could not be read: " + unprintable.getClass().getName() + ")";
        }
    }

    /** @return faults reported so far (any thread). */
    public long total()
    {
        return total.get();
    }
}
