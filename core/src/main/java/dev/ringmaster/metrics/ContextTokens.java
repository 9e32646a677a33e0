package dev.ringmaster.metrics;

import java.util.Map;
import java.util.WeakHashMap;

/**
 * Context tokens each agent's adapter reported loading and using (through
 * {@link dev.ringmaster.spi.AgentTelemetry#contextTokens}), for the context waste ratio; thread-safe, any thread.
 *
 * <p>Kept beside the agents, by the identity of their telemetry handle and weakly, so that a removed agent's counts
 * go with it: the per-agent state that would hold them belongs to the dispatch internals. The map's monitor is taken
 * once per report by an adapter, never by the router or a routing decision.
 */
public final class ContextTokens
{
    private static final Map<Object, long[]> BY_AGENT = new WeakHashMap<>();

    private ContextTokens()
    {
    }

    /**
     * Adds one attempt's figures to an agent's totals.
     *
     * @param agent  the agent's telemetry handle.
     * @param loaded context tokens put in front of the model for the attempt.
     * @param used   of those, the tokens the attempt actually needed (at most {@code loaded}).
     */
    public static void record(final Object agent, final long loaded, final long used)
    {
        if (loaded < 0 || used < 0 || used > loaded)
        {
            throw new IllegalArgumentException("context tokens must satisfy 0 <= used <= loaded, got loaded " + loaded +
                ", used " + used);
        }
        synchronized (BY_AGENT)
        {
            final long[] totals = BY_AGENT.computeIfAbsent(agent, k -> new long[2]);
            totals[0] += loaded;
            totals[1] += used;
        }
    }

    /** @return the agent's totals so far: {loaded, used}, zeros if it reported none. */
    public static long[] of(final Object agent)
    {
        synchronized (BY_AGENT)
        {
            final long[] totals = BY_AGENT.get(agent);
            return totals == null ? new long[2] : totals.clone();
        }
    }
}
