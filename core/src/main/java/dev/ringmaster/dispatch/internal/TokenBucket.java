package dev.ringmaster.dispatch.internal;

import dev.ringmaster.dispatch.RateLimit;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The router's token buckets for one {@link RateLimit}: one for tasks, one for estimated tokens. Router thread only
 * (plain fields, no CAS), except the wait counter that metrics readers read.
 */
final class TokenBucket
{
    final RateLimit limit;
    private final double tasksPerNano;
    private final double tokensPerNano;
    private double tasks;
    private double tokens;
    private long lastRefillNanos;
    private long throttledSinceNanos;
    /** Time work waited because of this limit (a streak starts at the first refusal, ends at the next allow). */
    final AtomicLong throttledNanos = new AtomicLong();

    TokenBucket(final RateLimit limit, final long nowNanos)
    {
        this.limit = limit;
        this.tasksPerNano = limit.tasksPerSecond() / 1e9;
        this.tokensPerNano = limit.tokensPerMinute() / 60e9;
        this.tasks = limit.taskBurst();
        this.tokens = limit.tokenBurst();
        this.lastRefillNanos = nowNanos;
    }

    /** @return the throttled time so far, including a streak still in progress (any thread; approximate). */
    long throttledNanosTotal(final long nowNanos)
    {
        final long since = throttledSinceNanos;
        return throttledNanos.get() + (since != 0 ? Math.max(0, nowNanos - since) : 0);
    }

    /**
     * @return true if a task of this cost may start now (nothing is taken yet). A task dearer than the whole burst
     *     starts on a full bucket and leaves it in debt, repaid before anything else starts, so it neither waits
     *     forever nor raises the rate.
     */
    boolean allows(final long cost, final long nowNanos)
    {
        refill(nowNanos);
        final boolean ok = (tasksPerNano == 0 || tasks >= 1) && (tokensPerNano == 0 || tokens >= affordable(cost));
        if (!ok)
        {
            if (throttledSinceNanos == 0)
            {
                throttledSinceNanos = nowNanos;
            }
        }
        else if (throttledSinceNanos != 0)
        {
            throttledNanos.lazySet(throttledNanos.get() + (nowNanos - throttledSinceNanos));
            throttledSinceNanos = 0;
        }
        return ok;
    }

    /** @return nanoseconds until a task of this cost would be allowed (call after a refusal, same instant). */
    long nanosUntilAllowed(final long cost)
    {
        double wait = 0;
        if (tasksPerNano != 0 && tasks < 1)
        {
            wait = (1 - tasks) / tasksPerNano;
        }
        if (tokensPerNano != 0 && tokens < affordable(cost))
        {
            wait = Math.max(wait, (affordable(cost) - tokens) / tokensPerNano);
        }
        return (long)Math.ceil(wait);
    }

    private double affordable(final long cost)
    {
        return Math.min(cost, limit.tokenBurst());
    }

    /** Takes one task and its cost; call after {@link #allows} said yes for the same decision. */
    void take(final long cost)
    {
        if (tasksPerNano != 0)
        {
            tasks -= 1;
        }
        if (tokensPerNano != 0)
        {
            tokens -= cost;
        }
    }

    private void refill(final long nowNanos)
    {
        final long elapsed = nowNanos - lastRefillNanos;
        if (elapsed > 0)
        {
            lastRefillNanos = nowNanos;
            if (tasksPerNano != 0)
            {
                tasks = Math.min(limit.taskBurst(), tasks + elapsed * tasksPerNano);
            }
            if (tokensPerNano != 0)
            {
                tokens = Math.min(limit.tokenBurst(), tokens + elapsed * tokensPerNano);
            }
        }
    }
}
