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

    /**
     * Reports the context one attempt loaded and how much of it the attempt needed, e.g. a retrieved document set of
     * 8,000 tokens of which the answer drew on 2,000; feeds the context waste ratio of the agent's type.
     *
     * @param loaded context tokens put in front of the model.
     * @param used   of those, the tokens the attempt needed, at most {@code loaded}.
     */
    default void contextTokens(final long loaded, final long used)
    {
        dev.ringmaster.metrics.ContextTokens.record(this, loaded, used);
    }
}
