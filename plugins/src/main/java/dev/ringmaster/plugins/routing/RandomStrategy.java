package dev.ringmaster.plugins.routing;

import dev.ringmaster.plugins.routing.index.Pools;
import dev.ringmaster.spi.AgentPool;
import dev.ringmaster.spi.Candidates;
import dev.ringmaster.spi.IndexedRoutingStrategy;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.RoutingStrategy;
import dev.ringmaster.spi.RoutingStrategyProvider;
import dev.ringmaster.spi.TaskView;

import dev.ringmaster.plugins.routing.index.SeededRandom;

/**
 * Picks an eligible agent uniformly at random from a seeded generator, so a run can be replayed; O(1) (in the
 * dispatcher, by drawing pool positions until one is eligible).
 * Called by the routing role's holder, one thread at a time.
 */
public final class RandomStrategy implements IndexedRoutingStrategy
{
    public static final String NAME = "random";
    /** Seed used when none is given: runs are reproducible by default. */
    public static final long DEFAULT_SEED = 0x5EED;

    private final SeededRandom random;

    public RandomStrategy(final long seed)
    {
        this.random = new SeededRandom(seed);
    }

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public int select(final TaskView task, final Candidates candidates, final RoutingDecision decision)
    {
        decision.randomState(random.state());
        return random.nextInt(candidates.size());
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
        decision.randomState(random.state());
        final int p = Pools.sample(random, pool);
        return p < 0 ? DECLINE : p;
    }

    /** Registers {@link RandomStrategy} with the ServiceLoader; stateless. */
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
            return "uniformly random eligible agent (seeded); for simple symmetric pools; O(1)";
        }

        @Override
        public RoutingStrategy create()
        {
            return new RandomStrategy(Long.getLong("ringmaster.random.seed", DEFAULT_SEED));
        }
    }
}
