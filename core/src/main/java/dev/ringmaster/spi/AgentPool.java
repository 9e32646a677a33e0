package dev.ringmaster.spi;

/**
 * One agent type's pool as the dispatcher indexes it, for {@link IndexedRoutingStrategy}: the agents by position and,
 * while a task is being routed, whether each could take it; a reused flyweight, valid only during the call it is
 * passed to, read by the thread holding the routing role.
 *
 * <p>Why positions: they are dense and stable until {@link RoutingStrategy#onPoolChanged} says otherwise, so a
 * strategy keeps its index in arrays sized by {@link #size()}; eligibility is asked per agent in O(1) instead of a
 * candidate list rebuilt for every decision, which costs O(pool) before any strategy runs.
 */
public interface AgentPool
{
    /**
     * @return a small number naming this pool (one per agent type) within its dispatcher, dense from 0 and stable for
     *     the dispatcher's life, so a strategy serving several types keeps per-pool state in an array indexed by it.
     */
    int id();

    /** @return the agent type every agent of this pool has. */
    String type();

    /** @return agents in the pool, eligible or not. */
    int size();

    /** @return the agent at a position, 0 &lt;= position &lt; size(). */
    AgentView agent(int position);

    /** @return the position of the agent with this id in this pool, or -1; O(1), for direct and sticky routing. */
    int positionOf(String agentId);

    /**
     * @return true if the agent may be given another task at all: in flight below its limit (capacity plus prefetch)
     *     and not leaving; meaningful at any time, so an index can keep agents without room out of its way. Gained
     *     only with a release or a pool change, each of which the strategy is told of; lost with an assignment, or
     *     when the agent starts leaving.
     */
    boolean hasRoom(int position);

    /**
     * Only meaningful inside {@link IndexedRoutingStrategy#route}: whether the agent could take the task being routed
     * now (room below its limit, not leaving, every required skill, the task's target if it names one, not the agent
     * it avoids, admitted by outlier ejection and slow start); O(1).
     *
     * @return true if the strategy may return this position.
     */
    boolean isEligible(int position);

    /**
     * Only meaningful inside {@link IndexedRoutingStrategy#route}: the first eligible position at or after
     * {@code from}, a 64-agent word at a time, so agents without room cost almost nothing.
     *
     * @return that position, or -1 if none at or after {@code from}.
     */
    int nextEligible(int from);

    /**
     * @return the agent's tasks in flight, as {@link AgentView#inFlight()}; the dispatcher answers from a flat array
     *     by position, so a strategy that compares many agents reads no agent object (a cache miss each in a large
     *     pool). By default, asks the agent.
     */
    default int inFlight(final int position)
    {
        return agent(position).inFlight();
    }

    /** @return the agent's capacity, as {@link AgentView#capacity()}; from a flat array, as {@link #inFlight(int)}. */
    default int capacity(final int position)
    {
        return agent(position).capacity();
    }

    /**
     * @return the agent's peak EWMA latency, as {@link AgentView#peakEwmaLatencyNanos()}; from a flat array, as
     *     {@link #inFlight(int)}.
     */
    default double peakEwmaLatencyNanos(final int position)
    {
        return agent(position).peakEwmaLatencyNanos();
    }
}
