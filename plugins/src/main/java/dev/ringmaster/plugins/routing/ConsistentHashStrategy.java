package dev.ringmaster.plugins.routing;

import dev.ringmaster.spi.AgentPool;
import dev.ringmaster.spi.Candidates;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.RoutingStrategy;
import dev.ringmaster.spi.RoutingStrategyProvider;
import dev.ringmaster.spi.TaskView;

/**
 * Consistent hashing with virtual nodes on {@code task.affinityKey()}: a key goes to the agent owning the first ring
 * point clockwise from the key's hash, or, if that agent is not eligible now, to the next eligible owner clockwise;
 * O(1) expected (a binary search within one bucket of the sorted ring) plus the walk past ineligible agents' points.
 * Called by the routing role's holder, one thread at a time.
 *
 * <p>When an agent joins or leaves a pool of n, only the keys on the arcs it gains or loses move, about 1/n of them;
 * every other key keeps its agent and whatever context that agent built for it. Each agent has
 * {@code 128 x weight} points (weight capped at 16), which keeps arc shares within about 10% of fair.
 *
 * <p>Tasks without an affinity key go to the least loaded agent (as {@code least-connections}, O(n)). The ring of
 * each agent type is rebuilt (allocating) when its pool changes; deciding allocates nothing. No scores are reported.
 */
public final class ConsistentHashStrategy extends LeastLoadedFallback
{
    public static final String NAME = "consistent-hash";

    /** Returned by the walk when the ring no longer describes the pool. */
    private static final int STALE = -2;

    private final HashRing.PerType rings = new HashRing.PerType();

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public int select(final TaskView task, final Candidates candidates, final RoutingDecision decision)
    {
        final String key = task.task().affinityKey();
        if (key == null)
        {
            return leastLoaded.select(task, candidates, decision);
        }
        final long hash = Hashing.hash(key);
        final String type = task.task().type();
        final int chosen = walk(rings.current(type, candidates), candidates, hash);
        // a stale position on the walk means the pool changed in the middle: rebuild once and walk the new ring
        return chosen != STALE ? chosen : walk(rings.rebuild(type, candidates), candidates, hash);
    }

    private static int walk(final HashRing ring, final Candidates candidates, final long hash)
    {
        int slot = ring.slotOf(hash);
        for (int k = 0, size = ring.size(); k < size; k++)
        {
            final int position = ring.owner(slot);
            if (!ring.holds(candidates, position))
            {
                return STALE;
            }
            final int candidate = candidates.candidateIndexOf(position);
            if (candidate >= 0)
            {
                return candidate;
            }
            slot = ring.next(slot);
        }
        return 0; // unreachable while the ring covers the pool: the candidates are never empty
    }

    /**
     * As {@link #select}, over the pool: one bucket of the ring to find the key's point, then clockwise past agents
     * without room.
     */
    @Override
    public int route(final TaskView task, final AgentPool pool, final RoutingDecision decision)
    {
        final int placed = targetOrUnkeyed(task, pool, decision);
        if (placed != KEYED)
        {
            return placed;
        }
        final String key = task.task().affinityKey();
        final long hash = Hashing.hash(key);
        final int chosen = walk(rings.current(pool), pool, hash);
        return chosen != STALE ? chosen : walk(rings.rebuild(pool), pool, hash);
    }

    @Override
    public void onPoolChanged(final AgentPool pool)
    {
        rings.poolChanged(pool);
        super.onPoolChanged(pool);
    }

    private static int walk(final HashRing ring, final AgentPool pool, final long hash)
    {
        int slot = ring.slotOf(hash);
        for (int k = 0, size = ring.size(); k < size; k++)
        {
            final int position = ring.owner(slot);
            if (pool.isEligible(position))
            {
                // checked only where the walk stops, as bounded-load hashing does: each check reads the agent
                return ring.holds(pool, position) ? position : STALE;
            }
            slot = ring.next(slot);
        }
        return DECLINE;
    }

    /** Registers {@link ConsistentHashStrategy} with the ServiceLoader; stateless. */
    public static final class Provider implements RoutingStrategyProvider
    {
        @Override
        public String name()
        {
            return NAME;
        }

        @Override
        public String description()
        {
            return "consistent hashing of the affinity key, 128 virtual nodes per weight, ~1/n keys move on a " +
                "pool change; O(log n) (unkeyed tasks: least loaded, O(n))";
        }

        @Override
        public RoutingStrategy create()
        {
            return new ConsistentHashStrategy();
        }
    }
}
