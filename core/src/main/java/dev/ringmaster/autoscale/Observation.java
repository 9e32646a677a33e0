package dev.ringmaster.autoscale;

import java.util.List;

/**
 * One sample of an agent type's pool and backlog, the input of {@link ScalingDecider#decide}; immutable.
 *
 * @param agents     every agent of the type: live, being added, or being removed.
 * @param queueDepth tasks of the type waiting centrally, not yet given to any agent.
 * @param paused     true if routing to the type is paused: its queue grows by design, which is no reason to scale.
 * @param predictedSlots slots that predicted arrivals will keep busy soon ({@link PredictedDemand}), 0 for none.
 */
public record Observation(List<AgentLoad> agents, long queueDepth, boolean paused, double predictedSlots)
{
    public Observation
    {
        agents = List.copyOf(agents);
        if (queueDepth < 0)
        {
            throw new IllegalArgumentException("queue depth must be >= 0, got " + queueDepth);
        }
        if (!(predictedSlots >= 0) || Double.isInfinite(predictedSlots))
        {
            throw new IllegalArgumentException("predicted slots must be finite and >= 0, got " + predictedSlots);
        }
    }

    /** An observation without a prediction. */
    public Observation(final List<AgentLoad> agents, final long queueDepth, final boolean paused)
    {
        this(agents, queueDepth, paused, 0);
    }

    /** An observation of a type that is not paused. */
    public Observation(final List<AgentLoad> agents, final long queueDepth)
    {
        this(agents, queueDepth, false);
    }

    /** Where an agent is in its life, as far as sizing is concerned. */
    public enum Status
    {
        /** Routed to and counted. */
        ACTIVE,
        /** Requested from the dispatcher and not yet routed to: counted, with its capacity, so max is never passed. */
        STARTING,
        /** Being removed (drained): counted as gone, never chosen again for removal. */
        DRAINING
    }

    /**
     * One agent as the autoscaler sees it; immutable.
     *
     * @param id        agent id.
     * @param capacity  tasks it runs at once.
     * @param inFlight  tasks it holds: running plus waiting in its inbox.
     * @param status    where it is in its life.
     * @param removable true if the policy lets the autoscaler remove it (it added the agent, or registered agents may go).
     */
    public record AgentLoad(String id, int capacity, int inFlight, Status status, boolean removable)
    {
        public AgentLoad
        {
            if (capacity < 1)
            {
                throw new IllegalArgumentException("capacity of agent '" + id + "' must be >= 1, got " + capacity);
            }
        }

        /** @return in flight over capacity. */
        public double load()
        {
            return (double)inFlight / capacity;
        }
    }
}
