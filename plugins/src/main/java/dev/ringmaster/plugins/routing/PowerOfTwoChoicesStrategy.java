package dev.ringmaster.plugins.routing;

import dev.ringmaster.plugins.routing.index.Pools;
import dev.ringmaster.spi.AgentPool;
import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.Candidates;
import dev.ringmaster.spi.IndexedRoutingStrategy;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.RoutingStrategy;
import dev.ringmaster.spi.RoutingStrategyProvider;
import dev.ringmaster.spi.TaskView;

import java.util.SplittableRandom;

/**
 * Power of two choices: samples two distinct eligible agents at random (seeded) and takes the one with fewer tasks in
 * flight per unit of capacity; O(1). Called by the routing role's holder, one thread at a time.
 *
 * <p>Two samples instead of one cut the expected maximum load from {@code log n / log log n} to {@code log log n}
 * (Mitzenmacher), without scanning every agent as least connections does, and without the herd effect of every
 * router sending to the same least-loaded agent on stale load. The score reported is the free fraction, higher is
 * better.
 */
public final class PowerOfTwoChoicesStrategy implements IndexedRoutingStrategy
{
    public static final String NAME = "p2c";
    /** Seed used when none is given: runs are reproducible by default. */
    public static final long DEFAULT_SEED = 0x2C2C;

    private final SplittableRandom random;

    public PowerOfTwoChoicesStrategy(final long seed)
    {
        this.random = new SplittableRandom(seed);
    }

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public int select(final TaskView task, final Candidates candidates, final RoutingDecision decision)
    {
        final int n = candidates.size();
        if (n == 1)
        {
            return 0;
        }
        final int i = random.nextInt(n);
        final int j = Weights.otherThan(random, n, i);
        final AgentView a = candidates.get(i);
        final AgentView b = candidates.get(j);
        final double loadA = (double)a.inFlight() / a.capacity();
        final double loadB = (double)b.inFlight() / b.capacity();
        if (loadB < loadA)
        {
            decision.explain(1.0 - loadB, 1.0 - loadA);
            return j;
        }
        decision.explain(1.0 - loadA, 1.0 - loadB);
        return i;
    }

    /** The free fraction of capacity: the score p2c ranks by and reports. */
    private static final Pools.Score FREE = a -> 1.0 - (double)a.inFlight() / a.capacity();

    @Override
    public int route(final TaskView task, final AgentPool pool, final RoutingDecision decision)
    {
        final int target = Pools.target(task, pool);
        if (target != Pools.NOT_TARGETED)
        {
            return target;
        }
        return Pools.bestOfTwo(random, pool, FREE, decision);
    }

    /** Registers {@link PowerOfTwoChoicesStrategy} with the ServiceLoader; stateless. */
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
            return "power of two choices: the less loaded of two random agents (seeded); O(1)";
        }

        @Override
        public RoutingStrategy create()
        {
            return new PowerOfTwoChoicesStrategy(Long.getLong("ringmaster.p2c.seed", DEFAULT_SEED));
        }
    }
}
