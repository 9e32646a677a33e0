package dev.ringmaster.plugins.routing;

import dev.ringmaster.plugins.routing.index.ScoredStrategy;
import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.Candidates;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.RoutingStrategy;
import dev.ringmaster.spi.RoutingStrategyProvider;
import dev.ringmaster.spi.TaskView;

/**
 * Picks the eligible agent with the fewest tasks in flight relative to its capacity (ties take turns: each scan starts
 * just after the last winner); O(n) over a candidate list. Called by the routing role's holder, one thread at a time.
 *
 * <p>In the dispatcher (version 2) the agents are kept in a {@link dev.ringmaster.plugins.routing.index.ScoreIndex} with
 * one bucket per load value (ties go to the agent picked longest ago), one index for every task, since the load does
 * not depend on the skills asked (a skill few agents have gets an index of its own): the best agent is the first of
 * the best bucket with the task's skills, O(1) plus the eligibility walk; an assignment moves the agent to the end of
 * its new bucket, O(1) when it was the oldest of its old one, as the walk's pick is; a release files it back by when
 * it was last picked, a binary search over m / 64 chunk heads and one chunk of at most 64 for m agents of that load,
 * O(log m). Pools of up to
 * {@link dev.ringmaster.plugins.routing.index.ScoreIndex#SCAN_LIMIT} agents are scanned instead.
 *
 * <p>Load is in-flight over capacity, not the raw count: an agent that runs 8 at once with 4 in flight is less loaded
 * than one that runs 2 with 2. The score reported is the free fraction, so higher is better.
 */
public final class LeastConnectionsStrategy extends ScoredStrategy
{
    public static final String NAME = "least-connections";

    /** Where the next scan starts: just after the last winner, so equal agents take turns. */
    private int cursor;

    /** In flight over capacity: c + 1 values for an agent of capacity c, so one bucket per value beats a heap. */
    @Override
    protected boolean discreteScores()
    {
        return true;
    }

    /** The score ignores the required skills: one index of all agents serves every task. */
    @Override
    protected boolean skillIndependentScores()
    {
        return true;
    }

    @Override
    protected double indexScore(final AgentView a, final long requiredSkills)
    {
        return 1.0 - (double)a.inFlight() / a.capacity();
    }

    /** The same score, from the pool's flat arrays: re-keying an agent then reads no agent object. */
    @Override
    protected double indexScore(final dev.ringmaster.spi.AgentPool pool, final int position, final long requiredSkills)
    {
        return 1.0 - (double)pool.inFlight(position) / pool.capacity(position);
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
        final int start = cursor < n ? cursor : 0;
        int best = -1;
        double bestLoad = Double.MAX_VALUE;
        double secondLoad = Double.MAX_VALUE;
        for (int k = 0; k < n; k++)
        {
            final int i = k + start < n ? k + start : k + start - n; // ties go to the next after the last winner
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
        cursor = best + 1;
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
            return "fewest tasks in flight per unit of capacity; for variable task durations; O(1) pick, O(log n) release";
        }

        @Override
        public RoutingStrategy create()
        {
            return new LeastConnectionsStrategy();
        }
    }
}
