package dev.ringmaster.dispatch;

/**
 * Thrown by {@link Dispatcher#start()} when an agent's adapter failed to start and no supervision can restart it; it
 * names the agent, so a caller that made the adapter (a factory, a config file) can say where it came from. Immutable.
 */
public final class AgentStartException extends IllegalStateException
{
    private static final long serialVersionUID = 1L;

    private final String agentId;

    public AgentStartException(final String agentId, final String message, final Throwable cause)
    {
        super(message, cause);
        this.agentId = agentId;
    }

    /** @return the id of the agent whose adapter failed to start. */
    public String agentId()
    {
        return agentId;
    }
}
