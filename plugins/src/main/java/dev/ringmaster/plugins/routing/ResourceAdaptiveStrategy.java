package dev.ringmaster.plugins.routing;

import dev.ringmaster.plugins.routing.index.ScoredStrategy;
import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.Candidates;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.RoutingStrategy;
import dev.ringmaster.spi.RoutingStrategyProvider;
import dev.ringmaster.spi.TaskView;

/**
 * Resource-based adaptive routing on the telemetry agents report: picks the eligible agent with the highest
 * {@code wQuality x recentQuality + wContext x (1 - contextUtilization) + wBudget x budgetHeadroom +
 * wLoad x (1 - inFlight / capacity)}; O(log n) in the dispatcher (a score index by the score at cost 0, walked until
 * no agent can beat the best), O(n) over a candidate list. Called by the routing role's holder, one thread at a time.
 *
 * <p>{@code budgetHeadroom} is {@code 1 - costTokens / tokenBudgetLeft}: 1 for an unlimited budget or a task without
 * a cost estimate, near 0 for an agent this task would nearly exhaust. An agent whose budget is below the task's cost
 * is passed over unless every candidate is, in which case the best of them takes it (the dispatcher's budget is
 * advisory; refusing would leave the task waiting for a budget that may never come back). Weights default to
 * 0.3 / 0.3 / 0.2 / 0.2 and are set by the constructor or the system properties
 * {@code ringmaster.resource-adaptive.{quality,context,budget,load}-weight}. Telemetry is read fresh at every
 * decision, so work moves away from an agent as soon as its context fills or its quality drops. The decision records
 * the winning score and the runner-up's.
 */
public final class ResourceAdaptiveStrategy extends ScoredStrategy
{
    public static final String NAME = "resource-adaptive";
    private static final String PREFIX = "ringmaster.resource-adaptive.";

    private final double qualityWeight;
    private final double contextWeight;
    private final double budgetWeight;
    private final double loadWeight;
    /** Where the next scan starts: just after the last winner, so equal agents take turns. */
    private int cursor;

    /** Weights must be finite and non-negative; they need not sum to 1. */
    public ResourceAdaptiveStrategy(final double qualityWeight, final double contextWeight, final double budgetWeight,
                                    final double loadWeight)
    {
        this.qualityWeight = Weights.check(NAME, "quality", qualityWeight);
        this.contextWeight = Weights.check(NAME, "context", contextWeight);
        this.budgetWeight = Weights.check(NAME, "budget", budgetWeight);
        this.loadWeight = Weights.check(NAME, "load", loadWeight);
    }

    /** Weights from the system properties, else 0.3 / 0.3 / 0.2 / 0.2. */
    public ResourceAdaptiveStrategy()
    {
        this(Weights.fromProperty(PREFIX + "quality-weight", 0.3), Weights.fromProperty(PREFIX + "context-weight", 0.3),
            Weights.fromProperty(PREFIX + "budget-weight", 0.2), Weights.fromProperty(PREFIX + "load-weight", 0.2));
    }

    @Override
    public String name()
    {
        return NAME;
    }

    /** @return the agent's score for a task of the given token cost; higher is better. */
    public double score(final AgentView a, final long costTokens)
    {
        final long budget = a.tokenBudgetLeft();
        final double headroom = budget == Long.MAX_VALUE || costTokens == 0 ? 1.0 :
            budget < costTokens ? 0.0 : 1.0 - (double)costTokens / budget;
        return qualityWeight * a.recentQuality() + contextWeight * (1.0 - a.contextUtilization()) +
            budgetWeight * headroom + loadWeight * (1.0 - (double)a.inFlight() / a.capacity());
    }

    @Override
    public int select(final TaskView task, final Candidates candidates, final RoutingDecision decision)
    {
        final long cost = task.task().costTokens();
        final int n = candidates.size();
        final int start = cursor < n ? cursor : 0;
        // the best among agents that can afford the task, and the best overall for when none can
        int best = -1;
        double bestScore = Double.NEGATIVE_INFINITY;
        double secondScore = Double.NEGATIVE_INFINITY;
        int bestAny = -1;
        double bestAnyScore = Double.NEGATIVE_INFINITY;
        double secondAnyScore = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < n; k++)
        {
            final int i = k + start < n ? k + start : k + start - n;
            final AgentView a = candidates.get(i);
            final double score = score(a, cost);
            if (score > bestAnyScore)
            {
                secondAnyScore = bestAnyScore;
                bestAnyScore = score;
                bestAny = i;
            }
            else if (score > secondAnyScore)
            {
                secondAnyScore = score;
            }
            if (a.tokenBudgetLeft() >= cost)
            {
                if (score > bestScore)
                {
                    secondScore = bestScore;
                    bestScore = score;
                    best = i;
                }
                else if (score > secondScore)
                {
                    secondScore = score;
                }
            }
        }
        if (best < 0)
        {
            best = bestAny;
            bestScore = bestAnyScore;
            secondScore = secondAnyScore;
        }
        decision.explain(bestScore, secondScore == Double.NEGATIVE_INFINITY ? Double.NaN : secondScore);
        cursor = best + 1;
        return best;
    }

    /** Subtracted from the score of an agent that cannot afford the task: it wins only when no agent can. */
    private static final double UNAFFORDABLE = 1e6;

    {
        exact = (a, t) ->
        {
            final long cost = t.task().costTokens();
            final double score = score(a, cost);
            return a.tokenBudgetLeft() >= cost ? score : score - UNAFFORDABLE;
        };
    }

    @Override
    protected double reported(final double rankingScore)
    {
        return rankingScore < -UNAFFORDABLE / 2 ? rankingScore + UNAFFORDABLE : rankingScore;
    }

    /** The score ignores the required skills: one index of all agents serves every task. */
    @Override
    protected boolean skillIndependentScores()
    {
        return true;
    }

    /** The score for a task without a cost: an upper bound, since a cost only lowers the budget headroom. */
    @Override
    protected double indexScore(final AgentView a, final long requiredSkills)
    {
        return score(a, 0);
    }

    /** Registers {@link ResourceAdaptiveStrategy} with the ServiceLoader; stateless. */
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
            return "adaptive on live telemetry: low context use, token budget for the task, high recent quality, " +
                "low load; O(log n)";
        }

        @Override
        public RoutingStrategy create()
        {
            return new ResourceAdaptiveStrategy();
        }
    }
}
