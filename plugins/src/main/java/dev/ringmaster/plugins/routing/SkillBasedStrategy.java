package dev.ringmaster.plugins.routing;

import dev.ringmaster.plugins.routing.index.FixedPerMask;
import dev.ringmaster.plugins.routing.index.ScoredStrategy;
import dev.ringmaster.spi.AgentPool;
import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.Candidates;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.RoutingStrategy;
import dev.ringmaster.spi.RoutingStrategyProvider;
import dev.ringmaster.spi.TaskView;

/**
 * Skill-based weighted routing: picks the eligible agent with the highest
 * {@code wSkill x skill - wLoad x inFlight / capacity - wContext x contextUtilization}, where skill is the mean
 * proficiency over the task's required skills (1 if it requires none); O(log n) in the dispatcher (one score index per
 * required-skills mask), O(n x k) over a candidate list of n with k required skills. Called by the routing role's holder, one thread at a time.
 *
 * <p>High skill, low load and an uncluttered context make the best candidate; context is a penalty of its own because
 * an agent with a full context window is not just busy, it is degraded. The weights default to the seed's 0.5, 0.3
 * and 0.2 and are set by the constructor or the system properties {@value #SKILL_PROPERTY},
 * {@value #LOAD_PROPERTY} and {@value #CONTEXT_PROPERTY}. An agent lacking a required skill is never picked: the
 * candidates exclude it, and the strategy checks the skill mask again rather than trust a zero proficiency. Ties take
 * turns. The decision records the winning score and the runner-up's.
 */
public final class SkillBasedStrategy extends ScoredStrategy
{
    public static final String NAME = "skill-based";
    public static final String SKILL_PROPERTY = "ringmaster.skill-based.skill-weight";
    public static final String LOAD_PROPERTY = "ringmaster.skill-based.load-weight";
    public static final String CONTEXT_PROPERTY = "ringmaster.skill-based.context-weight";
    public static final double DEFAULT_SKILL_WEIGHT = 0.5;
    public static final double DEFAULT_LOAD_WEIGHT = 0.3;
    public static final double DEFAULT_CONTEXT_WEIGHT = 0.2;

    private final double skillWeight;
    private final double loadWeight;
    private final double contextWeight;
    /** Where the next scan starts: just after the last winner, so equal agents take turns. */
    private int cursor;
    /** Each agent's mean proficiency per mask, fixed by its spec while it is in the pool. */
    private final FixedPerMask skills = new FixedPerMask(SkillBasedStrategy::skill);

    /** Weights must be finite and non-negative; they need not sum to 1. */
    public SkillBasedStrategy(final double skillWeight, final double loadWeight, final double contextWeight)
    {
        this.skillWeight = Weights.check(NAME, "skill", skillWeight);
        this.loadWeight = Weights.check(NAME, "load", loadWeight);
        this.contextWeight = Weights.check(NAME, "context", contextWeight);
    }

    /** Weights from the system properties, else the defaults 0.5 / 0.3 / 0.2. */
    public SkillBasedStrategy()
    {
        this(Weights.fromProperty(SKILL_PROPERTY, DEFAULT_SKILL_WEIGHT),
            Weights.fromProperty(LOAD_PROPERTY, DEFAULT_LOAD_WEIGHT),
            Weights.fromProperty(CONTEXT_PROPERTY, DEFAULT_CONTEXT_WEIGHT));
    }

    @Override
    public String name()
    {
        return NAME;
    }

    /** @return the score of an agent for a task requiring the skills in {@code required}; higher is better. */
    public double score(final AgentView a, final long required)
    {
        return skillWeight * skill(a, required) - loadWeight * ((double)a.inFlight() / a.capacity()) -
            contextWeight * a.contextUtilization();
    }

    /** @return the mean proficiency of the agent over the skills in the mask, 1 for an empty mask. */
    public static double skill(final AgentView a, final long required)
    {
        if (required == 0)
        {
            return 1.0;
        }
        double sum = 0;
        long remaining = required;
        while (remaining != 0)
        {
            sum += a.proficiency(Long.numberOfTrailingZeros(remaining));
            remaining &= remaining - 1;
        }
        return sum / Long.bitCount(required);
    }

    @Override
    public int select(final TaskView task, final Candidates candidates, final RoutingDecision decision)
    {
        final long required = task.task().requiredSkills();
        final int n = candidates.size();
        final int start = cursor < n ? cursor : 0;
        int best = -1;
        double bestScore = Double.NEGATIVE_INFINITY;
        double secondScore = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < n; k++)
        {
            final int i = k + start < n ? k + start : k + start - n;
            final AgentView a = candidates.get(i);
            if ((required & ~a.spec().skillMask()) != 0)
            {
                continue; // the candidate list should never hold one, but an unskilled pick is the one thing to rule out
            }
            final double score = score(a, required);
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
        if (best < 0)
        {
            return DECLINE;
        }
        decision.explain(bestScore, secondScore == Double.NEGATIVE_INFINITY ? Double.NaN : secondScore);
        cursor = best + 1;
        return best;
    }

    /** Exact: one index per required-skills mask, keyed by this very score. */
    @Override
    protected double indexScore(final AgentView a, final long requiredSkills)
    {
        return score(a, requiredSkills);
    }

    /**
     * {@link #score} of the agent at a pool position, its load read from the pool's flat records and its mean
     * proficiency kept per mask: an assignment or release re-keys the agent once per skill mask it has, and the agent's
     * spec and skill table were two more cache misses per re-key in a pool of thousands. The same value as
     * {@link #score}: the pool's counts are the agent's, the proficiencies its spec's.
     */
    @Override
    protected double indexScore(final AgentPool pool, final int position, final long requiredSkills)
    {
        return skillWeight * skills.get(pool, position, requiredSkills) -
            loadWeight * ((double)pool.inFlight(position) / pool.capacity(position)) -
            contextWeight * pool.agent(position).contextUtilization();
    }

    @Override
    public void onPoolChanged(final AgentPool pool)
    {
        skills.forget(pool);
        super.onPoolChanged(pool);
    }

    /** Registers {@link SkillBasedStrategy} with the ServiceLoader; stateless. */
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
            return "skill-weighted: 0.5 x proficiency - 0.3 x load - 0.2 x context use (configurable), never an " +
                "unskilled agent; O(log n), one index per required-skills mask";
        }

        @Override
        public RoutingStrategy create()
        {
            return new SkillBasedStrategy();
        }
    }
}
