package dev.ringmaster.dispatch.internal;

import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentView;

/**
 * One routing decision at a time through an engine that was never started: the real selection (pool index,
 * eligibility, strategy, callbacks) and the load bookkeeping of an assignment, without the rings, inboxes and threads
 * around them; for benchmarks and strategy authors. The calling thread acts as the routing role, so it must be the
 * only thread using the engine.
 */
public final class DecisionProbe
{
    private final Engine engine;
    private final Router router;
    private final TaskRecord record = new TaskRecord();
    private long sequence;
    /** The lane of the last task's type, by identity of the type string: a run of one type costs one map lookup. */
    private String lastType;
    private Lane lastLane;
    private long now;

    private DecisionProbe(final Engine engine)
    {
        this.engine = engine;
        this.router = engine.router;
    }

    /**
     * @return a probe that routes through the engine's selection on the calling thread.
     * @throws IllegalStateException once the engine has started: its routing state then belongs to the routing role.
     */
    public static DecisionProbe of(final Engine engine)
    {
        if (engine.runState() != Control.NEW)
        {
            throw new IllegalStateException("a decision probe needs a dispatcher that was built but never started");
        }
        return new DecisionProbe(engine);
    }

    /**
     * Routes the task and, if an agent is chosen, counts it as assigned there (in flight, tokens, room, the strategy's
     * {@code onAssigned}). @return the chosen agent, or null if nobody could take it or the strategy declined.
     * @throws IllegalArgumentException for a task of a type no agent has.
     */
    public AgentView route(final Task task)
    {
        final String type = task.type();
        final Lane lane = type == lastType ? lastLane : engine.lanesByType.get(type);
        if (lane == null)
        {
            throw new IllegalArgumentException("no agent of type '" + task.type() + "'; known types: " +
                engine.lanesByType.keySet());
        }
        lastType = type;
        lastLane = lane;
        // the router reads the clock once per duty cycle, which places a batch of tasks: so does the probe, per 64
        if ((sequence & 63) == 0)
        {
            now = System.nanoTime();
        }
        record.init(task, lane, ++sequence, now, null);
        final Selection selection = router.selection;
        final AgentState agent = selection.route(lane, record, now);
        if (agent != null)
        {
            // by the position the decision found: the counters live in the pool's index, the agent object is not read
            final int p = selection.chosenPosition;
            lane.index.addAssigned(p, 1);
            lane.index.addTokens(p, task.costTokens());
            selection.assigned(lane, p, record, now);
        }
        return agent;
    }

    /** Undoes one assignment of {@code task} to {@code agent} made by {@link #route}, as a finished task would. */
    public void release(final AgentView agent, final Task task)
    {
        final AgentState a = (AgentState)agent;
        if (a.assigned() == 0)
        {
            throw new IllegalStateException("agent '" + a.id() + "' holds no task to release");
        }
        router.selection.beforeLoadChange(a.lane);
        a.addAssigned(-1);
        a.addTokens(-task.costTokens());
        record.task = task;
        router.selection.released(a, record);
    }
}
