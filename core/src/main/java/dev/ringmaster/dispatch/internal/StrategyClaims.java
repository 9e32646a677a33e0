package dev.ringmaster.dispatch.internal;

import dev.ringmaster.spi.RoutingStrategy;

import java.lang.ref.WeakReference;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The strategy instances (live and shadow) routing for dispatchers not yet terminated, by identity, so that one
 * instance given to two builders is refused at the second build: a strategy keeps per-dispatcher state, and two
 * routing roles calling it at once would corrupt it. Thread-safe and lock-free (copy on write, compare-and-set: the
 * dispatch package takes no lock); used only at build and termination.
 */
public final class StrategyClaims
{
    /** Weakly to the engine: a dispatcher built and dropped without start() or close() frees its strategy once collected. */
    private static final AtomicReference<Map<RoutingStrategy, WeakReference<Engine>>> CLAIMED =
        new AtomicReference<>(new IdentityHashMap<>());

    private StrategyClaims()
    {
    }

    /**
     * Claims every non-null strategy for {@code engine}, all or none.
     *
     * @throws IllegalArgumentException if one routes for another dispatcher that has not terminated.
     */
    public static void claim(final Engine engine, final RoutingStrategy... strategies)
    {
        while (true)
        {
            final Map<RoutingStrategy, WeakReference<Engine>> old = CLAIMED.get();
            final Map<RoutingStrategy, WeakReference<Engine>> next = new IdentityHashMap<>(old);
            next.values().removeIf(ref ->
            {
                final Engine owner = ref.get();
                return owner == null || owner.runState() == Control.TERMINATED;
            });
            for (final RoutingStrategy s : strategies)
            {
                if (s != null && next.containsKey(s))
                {
                    throw new IllegalArgumentException("strategy instance '" + s.name() + "' already routes for " +
                        "another dispatcher, which has not terminated: strategies keep per-dispatcher state, so give " +
                        "this builder a new instance (or the strategy's name), or terminate the other dispatcher first");
                }
            }
            for (final RoutingStrategy s : strategies)
            {
                if (s != null)
                {
                    next.put(s, new WeakReference<>(engine));
                }
            }
            if (CLAIMED.compareAndSet(old, next))
            {
                return;
            }
        }
    }

    /** Frees the strategies of a dispatcher that terminated. */
    static void release(final Engine engine)
    {
        while (true)
        {
            final Map<RoutingStrategy, WeakReference<Engine>> old = CLAIMED.get();
            final Map<RoutingStrategy, WeakReference<Engine>> next = new IdentityHashMap<>(old);
            if (!next.values().removeIf(ref -> ref.get() == engine) || CLAIMED.compareAndSet(old, next))
            {
                return;
            }
        }
    }
}
