package dev.ringmaster.spi;

import dev.ringmaster.model.AgentSpec;

/**
 * Creates agents of one type for the autoscaler; {@link #spec}, {@link #create} and {@link #release} are called from
 * the autoscaler's evaluation thread, one call at a time, never from the dispatch path.
 */
public interface AgentFactory
{
    /** @return the agent type every agent from this factory has, e.g. "coder". */
    String type();

    /**
     * @param id the id the autoscaler chose, unique within the dispatcher.
     * @return the description of a new agent with that id and {@link #type()}; its capacity sizes the pool.
     */
    AgentSpec spec(String id);

    /**
     * Makes the adapter that will execute the new agent's tasks. It runs on the autoscaler's thread, so an agent that
     * takes long to come up should return at once and connect lazily on its first task.
     *
     * @param spec a spec returned by {@link #spec}.
     * @return the adapter, not yet registered with the dispatcher.
     * @throws Exception if the agent cannot be made; the autoscaler records the failure and tries again later.
     */
    AgentAdapter create(AgentSpec spec) throws Exception;

    /**
     * Releases what {@link #create} acquired (connections, processes) once the agent has left the dispatcher holding
     * no task, when it could not be added, or once the dispatcher stopped it after a crash (the autoscaler then
     * creates its replacement under the same id). The default does nothing.
     */
    default void release(final AgentSpec spec, final AgentAdapter adapter)
    {
    }
}
