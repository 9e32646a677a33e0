package dev.ringmaster.plugins.routing;

import dev.ringmaster.plugins.routing.index.Pools;
import dev.ringmaster.spi.AgentPool;
import dev.ringmaster.spi.IndexedRoutingStrategy;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.TaskView;

/**
 * Base of the strategies that place some tasks by a rule of their own (a named agent, a session, a hash) and the rest
 * on the least loaded agent: keeps that least-connections index current from every callback; called like any
 * strategy, one thread at a time.
 */
abstract class LeastLoadedFallback implements IndexedRoutingStrategy
{
    /** Places what the strategy's own rule does not: tasks without a target, a session or a key. */
    protected final LeastConnectionsStrategy leastLoaded = new LeastConnectionsStrategy();

    /** Returned by {@link #targetOrUnkeyed} for a task the strategy's own rule places. */
    protected static final int KEYED = -3;

    /**
     * @return for a task naming its agent, that agent if eligible else DECLINE; for one without an affinity key, the
     *     least loaded; else {@link #KEYED}.
     */
    protected final int targetOrUnkeyed(final TaskView task, final AgentPool pool, final RoutingDecision decision)
    {
        final int target = Pools.target(task, pool);
        if (target != Pools.NOT_TARGETED)
        {
            return target;
        }
        return task.task().affinityKey() == null ? leastLoaded.route(task, pool, decision) : KEYED;
    }

    @Override
    public void onPoolChanged(final AgentPool pool)
    {
        leastLoaded.onPoolChanged(pool);
    }

    @Override
    public void onAssigned(final AgentPool pool, final int position, final TaskView task)
    {
        leastLoaded.onAssigned(pool, position, task);
    }

    @Override
    public void onReleased(final AgentPool pool, final int position, final TaskView task)
    {
        leastLoaded.onReleased(pool, position, task);
    }

    @Override
    public void onTelemetry(final AgentPool pool, final int position)
    {
        leastLoaded.onTelemetry(pool, position);
    }
}
