package dev.ringmaster.metrics;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Context tokens each agent's adapter reported loading and using (through
 * {@link dev.ringmaster.spi.AgentTelemetry#contextTokens}), for the context waste ratio; lock-free, any thread.
 *
 * <p>Kept beside the agents, by the identity of their telemetry handle and weakly, so that a removed agent's counts
 * go with it: the per-agent state that would hold them belongs to the dispatch internals. A report costs a map look-up
 * and two striped adds, so that adapters on many workers do not contend.
 */
public final class ContextTokens
{
    private static final ConcurrentHashMap<Key, Totals> BY_AGENT = new ConcurrentHashMap<>();
    private static final ReferenceQueue<Object> GONE = new ReferenceQueue<>();

    /** An agent's two running sums; thread-safe. */
    private static final class Totals
    {
        final LongAdder loaded = new LongAdder();
        final LongAdder used = new LongAdder();
    }

    /** Compares the referent by identity; a cleared key equals only itself, so it can still be removed. */
    private static final class Key extends WeakReference<Object>
    {
        private final int hash;

        Key(final Object agent, final ReferenceQueue<Object> queue)
        {
            super(agent, queue);
            this.hash = System.identityHashCode(agent);
        }

        @Override
        public int hashCode()
        {
            return hash;
        }

        @Override
        public boolean equals(final Object other)
        {
            if (this == other)
            {
                return true;
            }
            final Object mine = get();
            return other instanceof Key k && mine != null && mine == k.get();
        }
    }

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
        Totals totals = BY_AGENT.get(new Key(agent, null));
        if (totals == null)
        {
            expunge(); // only when an agent reports first: agents come and go far less often than they report
            totals = BY_AGENT.computeIfAbsent(new Key(agent, GONE), k -> new Totals());
        }
        totals.loaded.add(loaded);
        totals.used.add(used);
    }

    /** @return the agent's totals so far: {loaded, used}, zeros if it reported none. */
    public static long[] of(final Object agent)
    {
        final Totals totals = BY_AGENT.get(new Key(agent, null));
        return totals == null ? new long[2] : new long[]{totals.loaded.sum(), totals.used.sum()};
    }

    private static void expunge()
    {
        java.lang.ref.Reference<?> gone;
        while ((gone = GONE.poll()) != null)
        {
            BY_AGENT.remove(gone);
        }
    }
}
