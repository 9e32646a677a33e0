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
    private long heldBack;

    public ThrottledLog(final Logger log)
    {
        this.log = log;
    }

    /** Logs at warn level unless another line went out less than a second ago; a trailing Throwable is traced. */
    public void warn(final String format, final Object... args)
    {
        if (due())
        {
            log.warn(format, args);
        }
    }

    /** Logs at info level unless another line went out less than a second ago. */
    public void info(final String format, final Object... args)
    {
        if (due())
        {
            log.info(format, args);
        }
    }

    private boolean due()
    {
        final long now = System.nanoTime();
        if (now - nextNanos < 0)
        {
            heldBack++;
            return false;
        }
        nextNanos = now + INTERVAL_NANOS;
        if (heldBack > 0)
        {
            log.warn("{} similar line(s) held back since the last one", heldBack);
            heldBack = 0;
        }
        return true;
    }
}
