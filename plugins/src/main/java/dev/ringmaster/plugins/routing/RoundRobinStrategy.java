package dev.ringmaster.plugins.routing;

import dev.ringmaster.plugins.routing.index.Pools;
import dev.ringmaster.spi.AgentPool;
import dev.ringmaster.spi.Candidates;
import dev.ringmaster.spi.IndexedRoutingStrategy;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.RoutingStrategy;
import dev.ringmaster.spi.RoutingStrategyProvider;
import dev.ringmaster.spi.TaskView;

/**
 * Cycles through the agents of a type in registration order, skipping those without room; O(log n) per decision
 * (a binary search of the candidates for the cursor). Called by the routing role's holder, one thread at a time.
 *
 * <p>The cursor walks the whole pool, not the candidate list, so an agent that is briefly full does not shift every
 * later agent's turn.
 */
public final class RoundRobinStrategy implements IndexedRoutingStrategy
{
    public static final String NAME = "round-robin";

    private int cursor;

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public int select(final TaskView task, final Candidates candidates, final RoutingDecision decision)
    {
        // candidates are in pool order: the next in turn is the first at or after the cursor (binary search), else
        // wrap around to the first candidate
        int lo = 0;
        int hi = candidates.size();
        while (lo < hi)
        {
            final int mid = (lo + hi) >>> 1;
            if (candidates.poolPosition(mid) < cursor)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        final int chosen = lo == candidates.size() ? 0 : lo;
        cursor = candidates.poolPosition(chosen) + 1;
        if (cursor >= candidates.poolSize())
        {
            cursor = 0;
        }
        return chosen;
    }

    /** Per pool id, the position the next turn starts from: each agent type takes its own turns. */
    private int[] cursors = new int[4];

    @Override
    public int route(final TaskView task, final AgentPool pool, final RoutingDecision decision)
    {
        final int target = Pools.target(task, pool);
        if (target != Pools.NOT_TARGETED)
        {
            return target;
        }
        final int id = pool.id();
        if (id >= cursors.length)
        {
            cursors = java.util.Arrays.copyOf(cursors, Math.max(id + 1, cursors.length * 2));
        }
        final int p = Pools.nextInTurn(pool, cursors[id]);
        if (p < 0)
        {
            return DECLINE;
        }
        cursors[id] = p + 1 < pool.size() ? p + 1 : 0;
        return p;
    }

    /** Registers {@link RoundRobinStrategy} with the ServiceLoader; stateless. */
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
            return "cycle through the agents in order; for identical agents and uniform tasks; O(log n)";
        }

        @Override
        public RoutingStrategy create()
        {
            return new RoundRobinStrategy();
        }
    }
}
