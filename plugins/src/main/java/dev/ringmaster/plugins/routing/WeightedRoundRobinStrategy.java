package dev.ringmaster.plugins.routing;

import dev.ringmaster.plugins.routing.index.ScoredStrategy;
import dev.ringmaster.spi.AgentPool;
import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.Candidates;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.RoutingStrategy;
import dev.ringmaster.spi.RoutingStrategyProvider;
import dev.ringmaster.spi.TaskView;

import java.util.Arrays;

/**
 * Smooth weighted round robin (nginx's algorithm) over the eligible agents by {@code spec().weight()}; O(n) in the
 * candidates. Called by the routing role's holder, one thread at a time.
 *
 * <p>Each decision adds every candidate's weight to its running credit, picks the highest credit and takes the sum of
 * the weights back from it. Over a cycle of {@code sum(weights)} decisions with every agent eligible each agent is
 * picked exactly {@code weight} times, and the picks of a heavy agent are interleaved with the others' instead of
 * coming in one burst (weights 5,1,1 give a a b a c a a, not a a a a a b c).
 *
 * <p>Credits live in an array indexed by {@link AgentView#index()}, which is stable for an agent's lifetime and
 * unique in the dispatcher, so several agent types share it and a changed pool needs no rebuild: an agent that joins
 * starts with no credit, one that leaves is simply never read again. The array grows (allocates) only when an agent
 * with a higher index than any seen before appears.
 *
 * <p>In the dispatcher (version 2) it is stride scheduling instead, O(log n): each agent has a pass that grows by
 * {@code STRIDE / weight} per task it is given, and the eligible agent with the smallest pass wins, found in a
 * {@link dev.ringmaster.plugins.routing.index.ScoreIndex}. The proportions per cycle are the same; a joining agent starts at the
 * pass of the latest winner, so it gets its share from then on rather than a burst to catch up.
 */
public final class WeightedRoundRobinStrategy extends ScoredStrategy
{
    public static final String NAME = "weighted-round-robin";

    private long[] credit = new long[16];

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public int select(final TaskView task, final Candidates candidates, final RoutingDecision decision)
    {
        final int n = candidates.size();
        long[] credit = this.credit;
        long total = 0;
        int best = -1;
        long bestCredit = Long.MIN_VALUE;
        long secondCredit = Long.MIN_VALUE;
        for (int i = 0; i < n; i++)
        {
            final AgentView a = candidates.get(i);
            final int index = a.index();
            if (index >= credit.length)
            {
                credit = grow(index);
            }
            final int weight = a.weight();
            total += weight;
            final long c = credit[index] + weight;
            credit[index] = c;
            // strictly greater: on equal credit the earlier agent in pool order wins, as in nginx
            if (c > bestCredit)
            {
                secondCredit = bestCredit;
                bestCredit = c;
                best = i;
            }
            else if (c > secondCredit)
            {
                secondCredit = c;
            }
        }
        credit[candidates.get(best).index()] -= total;
        decision.explain(bestCredit, secondCredit == Long.MIN_VALUE ? Double.NaN : secondCredit);
        return best;
    }

    private long[] grow(final int index)
    {
        credit = Arrays.copyOf(credit, Math.max(index + 1, credit.length * 2));
        return credit;
    }

    /**
     * Pass added per task at weight 1: large enough that integer strides keep weights up to 1,000 proportional within
     * 0.1%, small enough that passes stay exact as doubles (below 2^53) for 2^33 tasks at weight 1.
     */
    static final long STRIDE = 1L << 20;
    /** Per agent index, the stride scheduling pass; 0 for an agent not seen yet. */
    private long[] pass = new long[16];
    /** The pass of the latest winner: where a newly seen agent starts. */
    private long virtualTime = 1;

    @Override
    public void onPoolChanged(final AgentPool pool)
    {
        for (int p = 0; p < pool.size(); p++)
        {
            final int i = pool.agent(p).index();
            if (i >= pass.length)
            {
                pass = Arrays.copyOf(pass, Math.max(i + 1, pass.length * 2));
            }
            if (pass[i] == 0)
            {
                pass[i] = virtualTime;
            }
        }
        super.onPoolChanged(pool);
    }

    @Override
    public void onAssigned(final AgentPool pool, final int position, final TaskView task)
    {
        final AgentView a = pool.agent(position);
        if (a.index() >= pass.length || pass[a.index()] == 0)
        {
            onPoolChanged(pool); // an agent the pool announcement did not show: give it a pass first
        }
        virtualTime = pass[a.index()];
        pass[a.index()] += STRIDE / Math.max(1, a.weight());
        super.onAssigned(pool, position, task);
    }

    /**
     * An agent that was passed over while full rejoins at the latest winner's pass (Waldspurger's stride scheduling
     * does the same for a client that blocked): else its stale low pass would win a burst of tasks to catch up.
     */
    @Override
    public void onReleased(final AgentPool pool, final int position, final TaskView task)
    {
        final int i = pool.agent(position).index();
        if (i < pass.length && pass[i] < virtualTime)
        {
            pass[i] = virtualTime;
        }
        super.onReleased(pool, position, task);
    }

    /** The score ignores the required skills: one index of all agents serves every task. */
    @Override
    protected boolean skillIndependentScores()
    {
        return true;
    }

    /** The negated pass: the smallest pass ranks first. */
    @Override
    protected double indexScore(final AgentView a, final long requiredSkills)
    {
        final int i = a.index();
        return -(double)(i < pass.length && pass[i] != 0 ? pass[i] : virtualTime);
    }

    /** Registers {@link WeightedRoundRobinStrategy} with the ServiceLoader; stateless. */
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
            return "smooth weighted round robin (nginx): exact weight proportions per cycle, no bursts; in the dispatcher " +
                "stride scheduling, O(log n)";
        }

        @Override
        public RoutingStrategy create()
        {
            return new WeightedRoundRobinStrategy();
        }
    }
}
