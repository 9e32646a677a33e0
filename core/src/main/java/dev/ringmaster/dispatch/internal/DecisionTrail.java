package dev.ringmaster.dispatch.internal;

import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.Provenance;
import dev.ringmaster.spi.RoutingDecision;

/**
 * The {@link Provenance} of the live selection's last decision: filled as the strategy decides, read by the listeners
 * of the assignment that follows at once; one reused flyweight per dispatcher, routing role only.
 */
final class DecisionTrail implements Provenance
{
    private final String strategy;
    private final int version;
    private final RoutingDecision decision;
    int candidates = -1;
    /** Whether the built-in fallback made the decision the trail describes (the strategy failed or is quarantined). */
    boolean fellBack;
    private AgentState runnerUp;
    String shadowStrategy;
    private AgentState shadowAgent;
    private double shadowRegretNanos = Double.NaN;

    DecisionTrail(final String strategy, final int version, final RoutingDecision decision)
    {
        this.strategy = strategy;
        this.version = version;
        this.decision = decision;
    }

    /** After a live decision placed the task on {@code chosen}: who came second, and what the shadow did. */
    void decided(final AgentState chosen, final Lane lane, final Shadow shadow)
    {
        final int p = decision.runnerUpPosition();
        final AgentState[] pool = lane.index.pool();
        runnerUp = p >= 0 && p < pool.length && pool[p] != chosen ? pool[p] : null;
        if (shadow != null)
        {
            shadowAgent = shadow.lastPick;
            shadowRegretNanos = shadow.lastRegretNanos;
        }
    }

    @Override
    public String strategy()
    {
        return strategy;
    }

    @Override
    public int strategyVersion()
    {
        return version;
    }

    @Override
    public boolean fellBack()
    {
        return fellBack;
    }

    @Override
    public int candidates()
    {
        return candidates;
    }

    @Override
    public double score()
    {
        return decision.score();
    }

    @Override
    public double runnerUp()
    {
        return decision.runnerUp();
    }

    @Override
    public AgentView runnerUpAgent()
    {
        return runnerUp;
    }

    @Override
    public boolean hasRandomState()
    {
        return decision.hasRandomState();
    }

    @Override
    public long randomState()
    {
        return decision.randomStateValue();
    }

    @Override
    public String shadowStrategy()
    {
        return shadowStrategy;
    }

    @Override
    public AgentView shadowAgent()
    {
        return shadowAgent;
    }

    @Override
    public double shadowRegretNanos()
    {
        return shadowStrategy == null ? Double.NaN : shadowRegretNanos;
    }
}
