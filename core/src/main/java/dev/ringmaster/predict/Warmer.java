package dev.ringmaster.predict;

import dev.ringmaster.spi.AgentView;

/**
 * Warms an idle agent's context for a key ahead of its tasks (live: the agent's {@code AgentAdapter.warm}); called on
 * the pre-routing thread. Whatever it throws, {@code Error}s included, is contained and counted, and the agent is not
 * considered warm.
 */
@FunctionalInterface
public interface Warmer
{
    /** @return true if the agent warmed (or started warming) its context for the key. */
    boolean warm(AgentView agent, String contextKey) throws Exception;
}
