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
 * Latency-based routing with Finagle's peak EWMA: samples two distinct eligible agents at random (seeded) and takes
 * the one with the lower expected wait, {@code peakEwmaLatency x (inFlight + 1) / capacity}; O(1). Called by the routing role's holder, one thread at a time.
 *
 * <p>The peak EWMA jumps to a slow sample at once and decays slowly toward fast ones, so an agent that starts to
 * struggle is backed off from immediately. Dividing by capacity is the one departure from Finagle, whose servers take
 * one request at a time: an agent that runs c tasks at once drains its queue c times faster. An agent with no sample
 * yet costs 0 while idle, so new agents are tried at once, and a large penalty plus its queue once busy, so an agent
 * whose first task has not come back yet is not buried (Finagle does the same). The score reported is the negated
 * cost in nanoseconds, higher is better.
 */
public final class PeakEwmaStrategy implements IndexedRoutingStrategy
{
    public static final String NAME = "peak-ewma";
    /** Seed used when none is given: runs are reproducible by default. */
    public static final long DEFAULT_SEED = 0xE3A;
    /** Cost of a busy agent without any latency sample: a minute, more than any measured agent should cost. */
    static final double UNKNOWN_PENALTY_NANOS = 60e9;

    private final SeededRandom random;

    public PeakEwmaStrategy(final long seed)
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
        final int n = candidates.size();
        if (n == 1)
        {
            return 0;
        }
        decision.randomState(random.state());
        final int i = random.nextInt(n);
        final int j = Weights.otherThan(random, n, i);
        final double costA = cost(candidates.get(i));
        final double costB = cost(candidates.get(j));
        if (costB < costA)
        {
            decision.explain(-costB, -costA, candidates.poolPosition(i));
            return j;
        }
        decision.explain(-costA, -costB, candidates.poolPosition(j));
        return i;
    }

    /** @return the expected wait for a new task on the agent, in nanoseconds. */
    static double cost(final AgentView a)
    {
        return cost(a.peakEwmaLatencyNanos(), a.inFlight(), a.capacity());
    }

    private static double cost(final double peak, final int inFlight, final int capacity)
    {
        if (peak == 0)
        {
            return inFlight == 0 ? 0 : UNKNOWN_PENALTY_NANOS + inFlight;
        }
        return peak * (inFlight + 1) / capacity;
    }

    /** The negated cost, from the pool's flat arrays: the score this strategy ranks by and reports. */
    private static final Pools.Score NEGATED_COST =
        (pool, p) -> -cost(pool.peakEwmaLatencyNanos(p), pool.inFlight(p), pool.capacity(p));

    @Override
    public double explainScore(final TaskView task, final AgentPool pool, final int position)
    {
        return NEGATED_COST.of(pool, position);
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
        return Pools.bestOf(2, random, pool, NEGATED_COST, decision);
    }

    /** Registers {@link PeakEwmaStrategy} with the ServiceLoader; stateless. */
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
            return "latency-based: peak EWMA x (in flight + 1) per capacity, the better of two random agents; O(1)";
        }

        @Override
        public RoutingStrategy create()
        {
            return new PeakEwmaStrategy(Long.getLong("ringmaster.peak-ewma.seed", DEFAULT_SEED));
        }
    }
}
