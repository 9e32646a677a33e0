package dev.ringmaster.plugins.routing.index;

import dev.ringmaster.spi.AgentPool;
import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.IndexedRoutingStrategy;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.TaskView;

/**
 * Base of the version 2 strategies that rank agents by a score: keeps their {@link ScoreIndex} current from every
 * callback (pool changes rebuild it, assignments, releases and telemetry re-key one agent); called like any strategy,
 * one thread at a time.
 */
public abstract class ScoredStrategy implements IndexedRoutingStrategy
{
    /** The task-dependent exact score, or null when the indexed score is exact; set by a subclass's constructor. */
    protected ScoreIndex.Exact exact;
    /** What a task adds to the score of each group ({@link #indexGroup}), or null; set by a subclass's constructor. */
    protected ScoreIndex.Offset offset;

    /**
     * Built with a reference to {@link #indexScore}, which runs only after the subclass's constructor is done. A NaN
     * score (a 0 / 0 in a formula) ranks as the lowest: unordered keys would put the agent first or anywhere.
     */
    protected final ScoreIndex index = new ScoreIndex(
        (ScoreIndex.PositionScorer)(pool, position, requiredSkills) ->
        {
            final double score = indexScore(pool, position, requiredSkills);
            return score == score ? score : Double.NEGATIVE_INFINITY;
        },
        this::indexGroup, discreteScores(), skillIndependentScores());

    /**
     * @return true if {@link #indexScore} takes few distinct values (a count over a capacity, say), so the index keeps
     *     one bucket per value instead of a heap; called while this object is constructed, so answer a constant.
     */
    protected boolean discreteScores()
    {
        return false;
    }

    /**
     * @return true if {@link #indexScore} ignores its {@code requiredSkills} argument, so that one index of all agents
     *     serves every task and an agent is re-keyed once per change, not once per skill mask; called while this
     *     object is constructed, so answer a constant.
     */
    protected boolean skillIndependentScores()
    {
        return false;
    }

    /**
     * @return the score the agent is indexed by for tasks requiring {@code requiredSkills}, higher is better; a pure
     *     function of the agent's view, which changes only through the events the callbacks report. NaN ranks lowest.
     */
    protected abstract double indexScore(AgentView agent, long requiredSkills);

    /**
     * @return {@link #indexScore(AgentView, long)} of the agent at {@code position}, the index's own call: a strategy
     *     whose score the pool answers by position overrides it to read flat arrays instead of the agent object.
     */
    protected double indexScore(final AgentPool pool, final int position, final long requiredSkills)
    {
        return indexScore(pool.agent(position), requiredSkills);
    }

    /** @return the agent's group, fixed while it is in the pool, for an {@link #offset} per group; one group by default. */
    protected int indexGroup(final AgentView agent)
    {
        return 0;
    }

    /** A named target if the task has one, else the best eligible agent by the index. */
    @Override
    public int route(final TaskView task, final AgentPool pool, final RoutingDecision decision)
    {
        final int target = Pools.target(task, pool);
        if (target != Pools.NOT_TARGETED)
        {
            return target;
        }
        final int best = offset != null ? index.best(pool, task, offset) : index.best(pool, task, exact);
        if (best < 0)
        {
            return DECLINE;
        }
        decision.explain(reported(index.bestScore()), reported(index.runnerUpScore()), index.runnerUpPosition());
        return best;
    }

    /** The score {@link #route} ranks the agent by for the task (exact, or indexed plus its group's offset), as reported. */
    @Override
    public double explainScore(final TaskView task, final AgentPool pool, final int position)
    {
        final AgentView agent = pool.agent(position);
        if (exact != null)
        {
            return reported(exact.score(agent, task));
        }
        final double indexed = indexScore(agent, task.task().requiredSkills());
        return reported(offset == null ? indexed : indexed + offset.of(indexGroup(agent), task));
    }

    /** @return the score to put in the audit trail for a ranking score; the same unless a subclass ranks by a proxy. */
    protected double reported(final double rankingScore)
    {
        return rankingScore;
    }

    @Override
    public void onPoolChanged(final AgentPool pool)
    {
        index.rebuild(pool);
    }

    @Override
    public void onAssigned(final AgentPool pool, final int position, final TaskView task)
    {
        index.picked(pool, position);
    }

    @Override
    public void onReleased(final AgentPool pool, final int position, final TaskView task)
    {
        index.changed(pool, position);
    }

    @Override
    public void onTelemetry(final AgentPool pool, final int position)
    {
        index.changed(pool, position);
    }
}
