package com.example.ringmaster;

import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.Candidates;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.RoutingStrategy;
import dev.ringmaster.spi.RoutingStrategyProvider;
import dev.ringmaster.spi.TaskView;

/**
 * Picks the eligible agent with the most token budget left after what it has already taken on, so paid budgets drain
 * evenly and a nearly spent agent is used last; O(n) in the candidates, no allocation. Router thread only, like every
 * strategy: plain fields, no locks.
 *
 * <p>Score: {@code tokenBudgetLeft - tokensInFlight}, where an unlimited budget beats every limited one. Ties (e.g.
 * every agent unlimited) go to the lowest load (in flight over capacity), then take turns. The score reported for the
 * audit trail is the uncommitted budget of the winner and of the runner-up.
 */
public final class BudgetFirstStrategy implements RoutingStrategy
{
    public static final String NAME = "budget-first";

    /** Where the next scan starts: just after the last winner, so equal agents take turns. */
    private int cursor;

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public int select(final TaskView task, final Candidates candidates, final RoutingDecision decision)
    {
        final int n = candidates.size();
        final int start = cursor < n ? cursor : 0;
        int best = -1;
        long bestBudget = Long.MIN_VALUE;
        double bestLoad = Double.MAX_VALUE;
        long secondBudget = Long.MIN_VALUE;
        for (int k = 0; k < n; k++)
        {
            final int i = k + start < n ? k + start : k + start - n;
            final AgentView a = candidates.get(i);
            final long budget = uncommitted(a);
            final double load = a.inFlight() / (double)a.capacity();
            if (budget > bestBudget || (budget == bestBudget && load < bestLoad))
            {
                if (best >= 0)
                {
                    secondBudget = Math.max(secondBudget, bestBudget);
                }
                best = i;
                bestBudget = budget;
                bestLoad = load;
            }
            else
            {
                secondBudget = Math.max(secondBudget, budget);
            }
        }
        decision.explain(bestBudget, secondBudget == Long.MIN_VALUE ? Double.NaN : secondBudget);
        cursor = best + 1;
        return best;
    }

    private static long uncommitted(final AgentView a)
    {
        final long left = a.tokenBudgetLeft();
        return left == Long.MAX_VALUE ? Long.MAX_VALUE : left - a.tokensInFlight();
    }

    /**
     * Registers {@link BudgetFirstStrategy} with the ServiceLoader: a public class with a public no-argument
     * constructor, named in {@code META-INF/services/dev.ringmaster.spi.RoutingStrategyProvider}; stateless.
     */
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
            return "most token budget left after what is in flight, ties to the least loaded (example plugin); O(n)";
        }

        @Override
        public RoutingStrategy create()
        {
            return new BudgetFirstStrategy();
        }
    }
}
