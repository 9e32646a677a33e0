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

import dev.ringmaster.plugins.routing.index.SeededRandom;

/**
 * Power of d choices: samples d distinct eligible agents at random (seeded) and takes the one with fewer tasks in
 * flight per unit of capacity, the first sampled on a tie; O(d). Called by the routing role's holder, one thread at a
 * time. {@code p2c} is d = 2; {@code p3c} (d = 3) is registered too, so that two and three choices can be compared
 * (Mitzenmacher's supermarket model: each extra choice cuts the queue tail's exponent by a factor of d).
 *
 * <p>Two samples instead of one cut the expected maximum load from {@code log n / log log n} to {@code log log n}
 * (Mitzenmacher), without scanning every agent as least connections does, and without the herd effect of every
 * router sending to the same least-loaded agent on stale load. The score reported is the free fraction, higher is
 * better.
 */
public final class PowerOfTwoChoicesStrategy implements IndexedRoutingStrategy
{
    public static final String NAME = "p2c";
    /** The three-choice variant's name. */
    public static final String NAME_3 = "p3c";
    /** Seed used when none is given: runs are reproducible by default. */
    public static final long DEFAULT_SEED = 0x2C2C;

    private final SeededRandom random;
    private final int choices;
    private final String name;

    public PowerOfTwoChoicesStrategy(final long seed)
    {
        this(seed, 2);
    }

    /** @param choices agents sampled per decision, d, at least 2. */
    public PowerOfTwoChoicesStrategy(final long seed, final int choices)
    {
        if (choices < 2)
        {
            throw new IllegalArgumentException("power of d choices needs d >= 2, got " + choices);
        }
        this.random = new SeededRandom(seed);
        this.choices = choices;
        this.name = choices == 2 ? NAME : "p" + choices + "c";
    }

    @Override
    public String name()
    {
        return name;
    }

    @Override
    public int select(final TaskView task, final Candidates candidates, final RoutingDecision decision)
    {
        final int n = candidates.size();
        if (n == 1)
        {
            return 0;
        }
        decision.randomState(random.state());
        // the first two draws are those of the d = 2 strategy, so p2c's choices did not change when d was added
        final int i = random.nextInt(n);
        final int j = Weights.otherThan(random, n, i);
        final double loadA = load(candidates.get(i));
        final double loadB = load(candidates.get(j));
        int best = loadB < loadA ? j : i;
        double bestLoad = Math.min(loadA, loadB);
        double runnerUp = Math.max(loadA, loadB);
        int second = best == i ? j : i;
        final int d = Math.min(choices, n);
        for (int drawn = 2; drawn < d; drawn++)
        {
            final int k = distinctDraw(n, i, j);
            final double loadK = load(candidates.get(k));
            if (loadK < bestLoad)
            {
                runnerUp = bestLoad;
                second = best;
                bestLoad = loadK;
                best = k;
            }
            else if (loadK < runnerUp)
            {
                runnerUp = loadK;
                second = k;
            }
        }
        decision.explain(1.0 - bestLoad, 1.0 - runnerUp, candidates.poolPosition(second));
        return best;
    }

    private static double load(final AgentView agent)
    {
        return (double)agent.inFlight() / agent.capacity();
    }

    /**
     * @return a candidate other than i and j; for d above 3 the later draws may repeat each other, which only matters
     *     when d is a sizeable fraction of n (rejection keeps the draw uniform and allocation-free).
     */
    private int distinctDraw(final int n, final int i, final int j)
    {
        int k;
        do
        {
            k = random.nextInt(n);
        }
        while (k == i || k == j);
        return k;
    }

    /** Registers {@link PowerOfTwoChoicesStrategy} with d = 3 as {@value #NAME_3} with the ServiceLoader; stateless. */
    public static final class ThreeChoicesProvider implements RoutingStrategyProvider
    {
        @Override
        public String name()
        {
            return NAME_3;
        }

        @Override
        public String description()
        {
            return "power of three choices: the least loaded of three random agents (seeded); O(1)";
        }

        @Override
        public RoutingStrategy create()
        {
            return new PowerOfTwoChoicesStrategy(Long.getLong("ringmaster.p2c.seed", DEFAULT_SEED), 3);
        }
    }

    /** The free fraction of capacity: the score p2c ranks by and reports. */
    private static final Pools.Score FREE = (pool, p) -> 1.0 - (double)pool.inFlight(p) / pool.capacity(p);

    @Override
    public double explainScore(final TaskView task, final AgentPool pool, final int position)
    {
        return FREE.of(pool, position);
    }

    @Override
    public boolean restoreRandomState(final long state)
    {
        random.restore(state);
        return true;
    }

    @Override
    public int route(final TaskView task, final AgentPool pool, final RoutingDecision decision)
    {
        final int target = Pools.target(task, pool);
        if (target != Pools.NOT_TARGETED)
        {
            return target;
        }
        return Pools.bestOf(choices, random, pool, FREE, decision);
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
