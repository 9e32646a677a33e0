package dev.ringmaster.dispatch;

import java.util.Objects;

/**
 * A token-bucket limit on what the dispatcher starts for one agent type or one tenant, in tasks per second and in
 * (estimated) tokens per minute, as LLM providers limit both; immutable. A task over the limit waits in its queue,
 * it is never dropped.
 *
 * @param scope            TYPE or TENANT.
 * @param name             the agent type or tenant name.
 * @param tasksPerSecond   sustained task rate, or 0 for no task limit.
 * @param taskBurst        tasks that may start at once after a quiet period (bucket size), at least 1.
 * @param tokensPerMinute  sustained token rate (task cost estimates), or 0 for no token limit.
 * @param tokenBurst       token bucket size; a task costing more starts when the bucket is full and leaves it in debt,
 *                         so the token rate holds on average.
 */
public record RateLimit(Scope scope, String name, double tasksPerSecond, double taskBurst, double tokensPerMinute,
                        double tokenBurst)
{
    /** What a limit applies to. */
    public enum Scope
    {
        TYPE,
        TENANT
    }

    public RateLimit
    {
        Objects.requireNonNull(scope, "scope must not be null");
        if (name == null || name.isBlank())
        {
            throw new IllegalArgumentException("a rate limit needs the agent type or tenant it applies to");
        }
        finite(name, "tasksPerSecond", tasksPerSecond);
        finite(name, "taskBurst", taskBurst);
        finite(name, "tokensPerMinute", tokensPerMinute);
        finite(name, "tokenBurst", tokenBurst);
        if (tasksPerSecond < 0 || tokensPerMinute < 0 || (tasksPerSecond == 0 && tokensPerMinute == 0))
        {
            throw new IllegalArgumentException("rate limit for " + scope + " '" + name +
                "' needs a positive tasksPerSecond and/or tokensPerMinute, got " + tasksPerSecond + " and " + tokensPerMinute);
        }
        if (tasksPerSecond > 0 && taskBurst < 1)
        {
            throw new IllegalArgumentException("task burst of the limit for '" + name + "' must be >= 1, got " + taskBurst);
        }
        if (tokensPerMinute > 0 && tokenBurst <= 0)
        {
            throw new IllegalArgumentException("token burst of the limit for '" + name + "' must be > 0, got " + tokenBurst);
        }
    }

    /** NaN passes every range check below (each comparison is false), and a NaN bucket never refills. */
    private static void finite(final String name, final String field, final double value)
    {
        if (!Double.isFinite(value))
        {
            throw new IllegalArgumentException(field + " of the rate limit for '" + name + "' must be a finite number, " +
                "got " + value + ": give a rate, or 0 for no limit of that kind");
        }
    }

    /** @return a limit of {@code perSecond} tasks for an agent type, with a burst of one second's worth (at least 1). */
    public static RateLimit tasksPerSecond(final Scope scope, final String name, final double perSecond)
    {
        return new RateLimit(scope, name, perSecond, Math.max(1, perSecond), 0, 0);
    }

    /** @return a limit of {@code perMinute} estimated tokens, with a burst of one minute's worth. */
    public static RateLimit tokensPerMinute(final Scope scope, final String name, final double perMinute)
    {
        return new RateLimit(scope, name, 0, 0, perMinute, perMinute);
    }

    /** @return this limit with a different task burst. */
    public RateLimit withTaskBurst(final double burst)
    {
        return new RateLimit(scope, name, tasksPerSecond, burst, tokensPerMinute, tokenBurst);
    }

    /** @return this limit plus a token rate (burst one minute's worth). */
    public RateLimit andTokensPerMinute(final double perMinute)
    {
        return new RateLimit(scope, name, tasksPerSecond, taskBurst, perMinute, perMinute);
    }
}
