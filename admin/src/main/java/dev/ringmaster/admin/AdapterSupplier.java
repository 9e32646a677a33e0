package dev.ringmaster.admin;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.spi.AgentAdapter;

/**
 * Creates the adapter of an agent added over HTTP ({@code POST /agents}), since a JSON spec cannot carry code; called
 * on one of the admin server's threads, one call per request, so an implementation shared by several servers must be
 * thread-safe.
 */
@FunctionalInterface
public interface AdapterSupplier
{
    /**
     * @param spec the agent as the operator described it.
     * @return a new adapter for it.
     * @throws IllegalArgumentException if this embedder cannot make such an agent (e.g. an unknown type); the message
     *     goes back to the operator as a 400.
     */
    AgentAdapter create(AgentSpec spec);
}
