package dev.ringmaster.spi;

/**
 * Where an adapter publishes its agent's live state for resource-based routing; each setter may be called from any
 * thread and the router sees the latest value.
 */
public interface AgentTelemetry
{
    /** Publishes the fraction of the context window in use, in [0, 1]. */
    void contextUtilization(double fraction);

    /** Publishes the tokens the agent may still spend. */
    void tokenBudgetLeft(long tokens);
}
