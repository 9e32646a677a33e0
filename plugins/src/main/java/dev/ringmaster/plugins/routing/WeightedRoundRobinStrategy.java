package dev.ringmaster.plugins.routing;

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
 */
public final class WeightedRoundRobinStrategy implements RoutingStrategy
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
            return "smooth weighted round robin (nginx): exact weight proportions per cycle, no bursts; O(n)";
        }

        @Override
        public RoutingStrategy create()
        {
            return new WeightedRoundRobinStrategy();
        }
    }
}
