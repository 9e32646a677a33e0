package dev.ringmaster.dispatch.internal;

/**
 * Token buckets per agent type and per tenant, and when a refused one will have refilled; routing role only.
 */
final class RateLimits extends RouterPart
{
    final java.util.Map<String, TokenBucket> typeBuckets = new java.util.HashMap<>();
    final java.util.Map<String, TokenBucket> tenantBuckets = new java.util.HashMap<>();
    /** When a rate limit will next let held-back work through; reset at each placement pass. */
    long nextThrottleWakeNanos = Long.MAX_VALUE;

    RateLimits(final Router router, final java.util.List<dev.ringmaster.dispatch.RateLimit> limits)
    {
        super(router);
        final long start = System.nanoTime();
        for (final dev.ringmaster.dispatch.RateLimit limit : limits)
        {
            final TokenBucket bucket = new TokenBucket(limit, start);
            (limit.scope() == dev.ringmaster.dispatch.RateLimit.Scope.TYPE ? typeBuckets : tenantBuckets).put(limit.name(), bucket);
        }
    }

    /** Asks a bucket, and remembers when a refused one will have refilled so the router does not sleep past it. */
    boolean allows(final TokenBucket bucket, final TaskRecord r, final long now)
    {
        if (bucket.allows(r.task.costTokens(), now))
        {
            return true;
        }
        final long at = now + bucket.nanosUntilAllowed(r.task.costTokens());
        if (at - nextThrottleWakeNanos < 0)
        {
            nextThrottleWakeNanos = at;
        }
        return false;
    }

    TokenBucket tenantBucket(final TaskRecord r)
    {
        final String tenant = r.task.tenant();
        return tenant == null || tenantBuckets.isEmpty() ? null : tenantBuckets.get(tenant);
    }

    static void takeTokens(final Lane lane, final TokenBucket tenant, final TaskRecord r)
    {
        final long cost = r.task.costTokens();
        if (lane.bucket != null)
        {
            lane.bucket.take(cost);
        }
        if (tenant != null)
        {
            tenant.take(cost);
        }
    }
}
