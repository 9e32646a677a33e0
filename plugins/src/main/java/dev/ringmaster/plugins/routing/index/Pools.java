package dev.ringmaster.plugins.routing.index;

import dev.ringmaster.spi.AgentPool;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.RoutingStrategy;
import dev.ringmaster.spi.TaskView;


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
    public static int sample(final SeededRandom random, final AgentPool pool)
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
    public static int sampleOther(final SeededRandom random, final AgentPool pool, final int first)
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

    /**
     * @return an eligible agent other than {@code first} and {@code second}, drawn like {@link #sample}, or -1 if none;
     *     the walk after {@value #DRAWS} misses steps past either of them.
     */
    public static int sampleOther(final SeededRandom random, final AgentPool pool, final int first, final int second)
    {
        final int n = pool.size();
        for (int i = 0; i < DRAWS; i++)
        {
            final int p = random.nextInt(n);
            if (p != first && p != second && pool.isEligible(p))
            {
                return p;
            }
        }
        int p = nextInTurn(pool, first + 1 < n ? first + 1 : 0);
        if (p == second)
        {
            p = nextInTurn(pool, second + 1 < n ? second + 1 : 0);
        }
        return p == first || p == second ? -1 : p;
    }

    /**
     * How good the agent at a position is for a two-choices strategy, higher is better; asked of the pool by position
     * ({@link AgentPool#inFlight(int)} and the like), so a draw reads flat arrays rather than agent objects.
     */
    @FunctionalInterface
    public interface Score
    {
        double of(AgentPool pool, int position);
    }

    /**
     * Power of d choices (Mitzenmacher): draws d eligible agents as {@link #sample} does and keeps the best, recording
     * its score and the runner-up's in the decision. The second draw differs from the first, and each later one from
     * the first two, so d = 3 sees three distinct agents when three are eligible (as a candidate list's draws do); for
     * d above 3 the later draws may repeat each other, which keeps a decision O(d) without remembering every draw.
     *
     * @return the winner's position, the only eligible agent's if there is one, or {@link RoutingStrategy#DECLINE}.
     */
    public static int bestOf(final int d, final SeededRandom random, final AgentPool pool, final Score score,
                             final RoutingDecision decision)
    {
        decision.randomState(random.state());
        final int first = sample(random, pool);
        if (first < 0)
        {
            return RoutingStrategy.DECLINE;
        }
        int best = first;
        double bestScore = score.of(pool, first);
        double runnerUp = Double.NaN;
        int second = -1;
        int drawnSecond = -1;
        for (int k = 1; k < d; k++)
        {
            // the second draw is sampleOther(first) alone, so d = 2 draws what it always drew
            final int p = k == 1 ? sampleOther(random, pool, first) : sampleOther(random, pool, first, drawnSecond);
            if (p < 0)
            {
                break; // every eligible agent has been drawn
            }
            if (k == 1)
            {
                drawnSecond = p;
            }
            final double s = score.of(pool, p);
            if (s > bestScore)
            {
                runnerUp = bestScore;
                second = best;
                bestScore = s;
                best = p;
            }
            else if (Double.isNaN(runnerUp) || s > runnerUp)
            {
                runnerUp = s;
                second = p;
            }
        }
        decision.explain(bestScore, runnerUp, second);
        return best;
    }

    /** @return the first eligible position at or after {@code from}, wrapping around once, or -1 if none. */
    public static int nextInTurn(final AgentPool pool, final int from)
    {
        final int p = from < pool.size() ? pool.nextEligible(from) : -1;
        return p >= 0 || from == 0 ? p : pool.nextEligible(0);
    }
}
