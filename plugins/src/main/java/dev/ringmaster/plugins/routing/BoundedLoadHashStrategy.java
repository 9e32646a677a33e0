package dev.ringmaster.plugins.routing;

import dev.ringmaster.spi.AgentPool;
import dev.ringmaster.spi.Candidates;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.RoutingStrategy;
import dev.ringmaster.spi.RoutingStrategyProvider;
import dev.ringmaster.spi.TaskView;

import java.util.Arrays;

/**
 * Consistent hashing with bounded loads (Mirrokni, Thorup, Zadimoghaddam 2018): a key goes to its ring owner unless
 * that agent would then hold more than {@code ceil((1 + epsilon) x (tasks in flight in the pool + 1) / pool size)}
 * tasks, in which case it walks clockwise to the first eligible agent under the bound; O(n) per decision (the sum of
 * the pool's load) plus an O(log n) search and the walk. Called by the routing role's holder, one thread at a time.
 *
 * <p>A skewed key set (a few hot sessions) cannot overload one agent: the hot keys overflow, in ring order, onto the
 * next agents, and every other key keeps plain consistent hashing's stability. Some agent is always under the bound
 * (the least loaded one is), so the walk ends; if no eligible agent is, the first eligible owner clockwise takes the
 * task. Epsilon trades balance (small) for stability (large): from the constructor, else the system property
 * {@value #EPSILON_PROPERTY}, default 0.25.
 *
 * <p>Tasks without an affinity key go to the least loaded agent (O(n)). Rings are rebuilt (allocating) when a pool
 * changes; deciding allocates nothing. The score reported is the chosen agent's load after placement, the runner-up is
 * the bound.
 */
public final class BoundedLoadHashStrategy extends LeastLoadedFallback
{
    public static final String NAME = "bounded-load-hash";
    public static final String EPSILON_PROPERTY = "ringmaster.bounded-load.epsilon";
    public static final double DEFAULT_EPSILON = 0.25;

    private static final int STALE = -2;

    private final double epsilon;
    private final HashRing.PerType rings = new HashRing.PerType();
    /** Per pool id, tasks in flight over the whole pool, kept from the callbacks instead of summed per decision. */
    private long[] totals = new long[4];
    /** Per pool position, the decision that last met the agent on the walk; stamps avoid clearing per decision. */
    private int[] seen = new int[16];
    private int stamp;

    /** @param epsilon how far above the average load an agent may go, e.g. 0.25 for 25%; must be positive. */
    public BoundedLoadHashStrategy(final double epsilon)
    {
        if (!(epsilon > 0) || Double.isInfinite(epsilon))
        {
            throw new IllegalArgumentException("epsilon of " + NAME + " must be a positive finite number (0.25 lets " +
                "an agent hold 25% more than the average), got " + epsilon);
        }
        this.epsilon = epsilon;
    }

    public BoundedLoadHashStrategy()
    {
        this(Weights.fromProperty(EPSILON_PROPERTY, DEFAULT_EPSILON));
    }

    @Override
    public String name()
    {
        return NAME;
    }

    /** @return the largest load an agent may reach when a pool of {@code poolSize} holds {@code totalInFlight} + 1. */
    public static int bound(final double epsilon, final long totalInFlight, final int poolSize)
    {
        return (int)Math.ceil((1.0 + epsilon) * (totalInFlight + 1) / poolSize);
    }

    @Override
    public int select(final TaskView task, final Candidates candidates, final RoutingDecision decision)
    {
        final String key = task.task().affinityKey();
        if (key == null)
        {
            return leastLoaded.select(task, candidates, decision);
        }
        final int poolSize = candidates.poolSize();
        long total = 0;
        for (int p = 0; p < poolSize; p++)
        {
            total += candidates.poolAgent(p).inFlight();
        }
        final int bound = bound(epsilon, total, poolSize);
        final long hash = Hashing.hash(key);
        final String type = task.task().type();
        int chosen = walk(rings.current(type, candidates), candidates, hash, bound);
        if (chosen == STALE)
        {
            chosen = walk(rings.rebuild(type, candidates), candidates, hash, bound);
        }
        decision.explain(candidates.get(chosen).inFlight() + 1, bound);
        return chosen;
    }

    private int walk(final HashRing ring, final Candidates candidates, final long hash, final int bound)
    {
        final int n = candidates.size();
        if (seen.length < candidates.poolSize())
        {
            seen = new int[Math.max(candidates.poolSize(), seen.length * 2)];
        }
        final int[] seen = this.seen;
        if (++this.stamp == 0)
        {
            Arrays.fill(seen, 0); // wrapped after 2^32 decisions: an old stamp must not pass for this decision's
            this.stamp = 1;
        }
        final int stamp = this.stamp;
        int distinct = 0;
        int firstEligible = -1;
        int slot = ring.slotOf(hash);
        for (int k = 0, size = ring.size(); k < size; k++)
        {
            final int position = ring.owner(slot);
            if (!ring.holds(candidates, position))
            {
                return STALE;
            }
            final int candidate = candidates.candidateIndexOf(position);
            if (candidate >= 0 && seen[position] != stamp)
            {
                if (candidates.get(candidate).inFlight() + 1 <= bound)
                {
                    return candidate;
                }
                if (firstEligible < 0)
                {
                    firstEligible = candidate;
                }
                // every eligible agent is at its bound once each has been met: stop instead of circling the ring
                seen[position] = stamp;
                if (++distinct == n)
                {
                    break;
                }
            }
            slot = ring.next(slot);
        }
        return firstEligible >= 0 ? firstEligible : 0;
    }

    /**
     * As {@link #select}, over the pool: the load sum is kept from the callbacks, so a decision is O(log n) to find the
     * key's point plus the agents at their bound or without room that it walks past.
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
        final int bound = bound(epsilon, total(pool), pool.size());
        final long hash = Hashing.hash(key);
        int chosen = walk(rings.current(pool), pool, hash, bound);
        if (chosen == STALE)
        {
            chosen = walk(rings.rebuild(pool), pool, hash, bound);
        }
        if (chosen >= 0)
        {
            decision.explain(pool.inFlight(chosen) + 1, bound);
        }
        return chosen;
    }

    /** One lap of the ring at most: the first eligible agent under the bound, else the first eligible one met. */
    private static int walk(final HashRing ring, final AgentPool pool, final long hash, final int bound)
    {
        int firstEligible = DECLINE;
        int slot = ring.slotOf(hash);
        for (int k = 0, size = ring.size(); k < size; k++)
        {
            final int position = ring.owner(slot);
            if (pool.isEligible(position))
            {
                // checked only where the walk may stop: each check reads the agent, a cache miss in a large pool,
                // and the pool's ends (checked per decision) already catch a removal or an addition
                if (!ring.holds(pool, position))
                {
                    return STALE;
                }
                if (pool.inFlight(position) + 1 <= bound)
                {
                    return position;
                }
                if (firstEligible < 0)
                {
                    firstEligible = position;
                }
            }
            slot = ring.next(slot);
        }
        return firstEligible;
    }

    private long total(final AgentPool pool)
    {
        final int id = pool.id();
        if (id >= totals.length)
        {
            // a pool the host did not announce: counted now, and its ring keeps checking positions
            recount(pool);
            super.onPoolChanged(pool);
        }
        return totals[id];
    }

    @Override
    public void onPoolChanged(final AgentPool pool)
    {
        rings.poolChanged(pool);
        recount(pool);
        super.onPoolChanged(pool);
    }

    private void recount(final AgentPool pool)
    {
        final int id = pool.id();
        if (id >= totals.length)
        {
            totals = Arrays.copyOf(totals, Math.max(id + 1, totals.length * 2));
        }
        long total = 0;
        for (int p = 0; p < pool.size(); p++)
        {
            total += pool.agent(p).inFlight();
        }
        totals[id] = total;
    }

    @Override
    public void onAssigned(final AgentPool pool, final int position, final TaskView task)
    {
        totals[pool.id()]++;
        super.onAssigned(pool, position, task);
    }

    @Override
    public void onReleased(final AgentPool pool, final int position, final TaskView task)
    {
        totals[pool.id()]--;
        super.onReleased(pool, position, task);
    }

    /** Registers {@link BoundedLoadHashStrategy} with the ServiceLoader; stateless. */
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
            return "consistent hashing with bounded loads: no agent above (1+epsilon) x average, hot keys overflow " +
                "clockwise; O(log n) search, the load sum kept from callbacks (O(n) over a candidate list)";
        }

        @Override
        public RoutingStrategy create()
        {
            return new BoundedLoadHashStrategy();
        }
    }
}
