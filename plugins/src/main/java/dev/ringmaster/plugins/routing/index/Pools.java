package dev.ringmaster.plugins.routing.index;

import dev.ringmaster.spi.AgentPool;
import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.RoutingStrategy;
import dev.ringmaster.spi.TaskView;

import java.util.SplittableRandom;

/**
 * What most version 2 strategies do first or last with a pool: serve a task addressed to one agent, draw an eligible
 * agent at random, find the next in turn; stateless, so safe from any thread, given a pool valid on that thread.
 */
public final class Pools
{
    /** Returned by {@link #target} for a task that names no agent. */
    public static final int NOT_TARGETED = -2;
    /** Random draws before {@link #sample} gives up drawing and walks from a random start. */
    static final int DRAWS = 8;

    private Pools()
    {
    }

    /**
     * @return for a task that names its agent, that agent's position if eligible, else {@link RoutingStrategy#DECLINE};
     *     {@link #NOT_TARGETED} for any other task. O(1): a strategy's index would otherwise walk past every other agent.
     */
    public static int target(final TaskView task, final AgentPool pool)
    {
        final String target = task.task().targetAgent();
        if (target == null)
        {
            return NOT_TARGETED;
        }
        final int position = pool.positionOf(target);
        return position >= 0 && pool.isEligible(position) ? position : RoutingStrategy.DECLINE;
    }

    /**
     * A uniformly random eligible agent: draws positions until one is eligible, which is exactly uniform over the
     * eligible ones; after {@value #DRAWS} misses (most of the pool full) it takes the first eligible after a random
     * start, O(pool / 64).
     *
     * @return its position, or -1 if none is eligible.
     */
    public static int sample(final SplittableRandom random, final AgentPool pool)
    {
        final int n = pool.size();
        if (n == 0)
        {
            return -1;
        }
        for (int i = 0; i < DRAWS; i++)
        {
            final int p = random.nextInt(n);
            if (pool.isEligible(p))
            {
                return p;
            }
        }
        return nextInTurn(pool, random.nextInt(n));
    }

    /** @return a second eligible agent other than {@code first}, drawn like {@link #sample}, or -1 if none. */
    public static int sampleOther(final SplittableRandom random, final AgentPool pool, final int first)
    {
        final int n = pool.size();
        for (int i = 0; i < DRAWS; i++)
        {
            final int p = random.nextInt(n);
            if (p != first && pool.isEligible(p))
            {
                return p;
            }
        }
        final int p = nextInTurn(pool, first + 1 < n ? first + 1 : 0);
        return p == first ? -1 : p;
    }

    /** How good an agent is for a two-choices strategy, higher is better. */
    @FunctionalInterface
    public interface Score
    {
        double of(AgentView agent);
    }

    /**
     * Two random choices (Mitzenmacher): draws two distinct eligible agents as {@link #sample} does and keeps the better,
     * recording both scores in the decision.
     *
     * @return the winner's position, the only eligible agent's if there is one, or {@link RoutingStrategy#DECLINE}.
     */
    public static int bestOfTwo(final SplittableRandom random, final AgentPool pool, final Score score,
                                final RoutingDecision decision)
    {
        final int i = sample(random, pool);
        if (i < 0)
        {
            return RoutingStrategy.DECLINE;
        }
        final int j = sampleOther(random, pool, i);
        if (j < 0)
        {
            return i;
        }
        final double a = score.of(pool.agent(i));
        final double b = score.of(pool.agent(j));
        if (b > a)
        {
            decision.explain(b, a);
            return j;
        }
        decision.explain(a, b);
        return i;
    }

    /** @return the first eligible position at or after {@code from}, wrapping around once, or -1 if none. */
    public static int nextInTurn(final AgentPool pool, final int from)
    {
        final int p = from < pool.size() ? pool.nextEligible(from) : -1;
        return p >= 0 || from == 0 ? p : pool.nextEligible(0);
    }
}
