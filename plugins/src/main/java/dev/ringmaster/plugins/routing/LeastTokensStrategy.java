package dev.ringmaster.plugins.routing;

import dev.ringmaster.plugins.routing.index.ScoredStrategy;
import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.Candidates;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.RoutingStrategy;
import dev.ringmaster.spi.RoutingStrategyProvider;
import dev.ringmaster.spi.TaskView;

/**
 * Picks the eligible agent with the fewest tokens in flight per unit of capacity, counting the task being placed;
 * O(c log n) in the dispatcher for c distinct capacities (a heap per capacity, since the task's cost over the capacity
 * reorders agents of different capacities), O(n) over a candidate list. Called by the routing role's holder, one thread at a time.
 *
 * <p>"Count the tokens, not the tasks": one 10,000-token task is more work than five 200-token ones, so an agent
 * with more but smaller tasks may be the less loaded. Ties (e.g. tasks without a cost estimate): in the dispatcher
 * the agent picked longest ago wins, so equal agents take turns across capacities; over a candidate list, fewer tasks
 * in flight per capacity, then turns. The score reported is the negated load, higher is better.
 */
public final class LeastTokensStrategy extends ScoredStrategy
{
    public static final String NAME = "least-tokens";

    /** Where the next scan starts: just after the last winner, so equal agents take turns. */
    private int cursor;

    public LeastTokensStrategy()
    {
        // the task's own cost over the capacity is the same for every agent of a capacity: one heap per capacity, and
        // the best of each compared, finds the exact best without walking past agents the cost would reorder
        offset = (capacity, t) -> -(double)t.task().costTokens() / capacity;
    }

    @Override
    protected int indexGroup(final AgentView a)
    {
        return a.capacity();
    }

    @Override
    public String name()
    {
        return NAME;
    }

    /** 2: in a pool too large to scan, equal loads of different capacities go to the agent picked longest ago. */
    @Override
    public int version()
    {
        return 2;
    }

    @Override
    public int select(final TaskView task, final Candidates candidates, final RoutingDecision decision)
    {
        final long cost = task.task().costTokens();
        final int n = candidates.size();
        final int start = cursor < n ? cursor : 0;
        int best = -1;
        double bestTokens = Double.MAX_VALUE;
        double bestTasks = Double.MAX_VALUE;
        double secondTokens = Double.MAX_VALUE;
        for (int k = 0; k < n; k++)
        {
            final int i = k + start < n ? k + start : k + start - n;
            final AgentView a = candidates.get(i);
            final double capacity = a.capacity();
            final double tokens = (a.tokensInFlight() + cost) / capacity;
            final double tasks = a.inFlight() / capacity;
            if (tokens < bestTokens || (tokens == bestTokens && tasks < bestTasks))
            {
                if (best >= 0)
                {
                    secondTokens = Math.min(secondTokens, bestTokens);
                }
                bestTokens = tokens;
                bestTasks = tasks;
                best = i;
            }
            else if (tokens < secondTokens)
            {
                secondTokens = tokens;
            }
        }
        decision.explain(-bestTokens, secondTokens == Double.MAX_VALUE ? Double.NaN : -secondTokens);
        cursor = best + 1;
        return best;
    }

    /** The score ignores the required skills: one index of all agents serves every task. */
    @Override
    protected boolean skillIndependentScores()
    {
        return true;
    }

    /** The load before this task; the task's own cost comes in as the offset of the agent's capacity group. */
    @Override
    protected double indexScore(final AgentView a, final long requiredSkills)
    {
        return -(double)a.tokensInFlight() / a.capacity();
    }

    /** Registers {@link LeastTokensStrategy} with the ServiceLoader; stateless. */
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
            return "fewest tokens in flight per unit of capacity (count the tokens, not the tasks); O(log n)";
        }

        @Override
        public RoutingStrategy create()
        {
            return new LeastTokensStrategy();
        }
    }
}
