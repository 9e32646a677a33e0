package dev.ringmaster.remote.internal;

import org.slf4j.Logger;

/**
 * A poller's lines about single bad messages or events a host repeats, at most one a second so that such a host
 * cannot flood the log; not thread-safe, each poller thread owns its own.
 */
public final class ThrottledLog
{
    private static final long INTERVAL_NANOS = 1_000_000_000L;

    private final Logger log;
    private long nextNanos = System.nanoTime();
    private final long intervalNanos;
    private long heldBack;
    /** Whether a warning is among the lines held back: the summary then says so at warn, else at info. */
    private boolean heldBackWarn;

    public ThrottledLog(final Logger log)
    {
        this(log, INTERVAL_NANOS);
    }

    /** @param intervalNanos at most one line per this long; for tests, which cannot wait a second per line. */
    ThrottledLog(final Logger log, final long intervalNanos)
    {
        this.log = log;
        this.intervalNanos = intervalNanos;
    }

    /** Logs at warn level unless another line went out less than a second ago; a trailing Throwable is traced. */
    public void warn(final String format, final Object... args)
    {
        if (due(true))
        {
            log.warn(format, args);
        }
    }

    /** Logs at info level unless another line went out less than a second ago. */
    public void info(final String format, final Object... args)
    {
        if (due(false))
        {
            log.info(format, args);
        }
    }

    private boolean due(final boolean warn)
    {
        final long now = System.nanoTime();
        if (now - nextNanos < 0)
        {
            heldBack++;
            heldBackWarn |= warn;
            return false;
        }
        nextNanos = now + intervalNanos;
        if (heldBack > 0)
        {
            // at the level of what was held back: held-back INFO lines raise no warning
            if (heldBackWarn)
            {
                log.warn("{} similar line(s) held back since the last one", heldBack);
            }
            else
            {
                log.info("{} similar line(s) held back since the last one", heldBack);
            }
            heldBack = 0;
            heldBackWarn = false;
        }
        return true;
    }
}
