package dev.ringmaster.plugins.routing;

import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.Candidates;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.RoutingStrategy;
import dev.ringmaster.spi.RoutingStrategyProvider;
import dev.ringmaster.spi.TaskView;

/**
 * Picks the eligible agent with the fewest tasks in flight relative to its capacity (ties go to the earliest
 * registered, then rotate); O(n) in the candidates. Router thread only.
 *
 * <p>Load is in-flight over capacity, not the raw count: an agent that runs 8 at once with 4 in flight is less loaded
 * than one that runs 2 with 2. The score reported is the free fraction, so higher is better.
 */
public final class LeastConnectionsStrategy implements RoutingStrategy
{
    public static final String NAME = "least-connections";

    private int tieBreak;

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public int select(final TaskView task, final Candidates candidates, final RoutingDecision decision)
    {
        final int n = candidates.size();
        final int offset = tieBreak++ % n;
        int best = -1;
        double bestLoad = Double.MAX_VALUE;
        double secondLoad = Double.MAX_VALUE;
        for (int k = 0; k < n; k++)
        {
            final int i = (k + offset) % n; // rotating start spreads ties instead of always favouring the first agent
            final AgentView a = candidates.get(i);
            final double load = (double)a.inFlight() / a.capacity();
            if (load < bestLoad)
            {
                secondLoad = bestLoad;
                bestLoad = load;
                best = i;
            }
            else if (load < secondLoad)
            {
                secondLoad = load;
            }
        }
        decision.explain(1.0 - bestLoad, secondLoad == Double.MAX_VALUE ? Double.NaN : 1.0 - secondLoad);
        return best;
    }

    /** Registers {@link LeastConnectionsStrategy} with the ServiceLoader; stateless. */
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
            return "fewest tasks in flight per unit of capacity; for variable task durations; O(n)";
        }

        @Override
        public RoutingStrategy create()
        {
            return new LeastConnectionsStrategy();
        }
    }
}
