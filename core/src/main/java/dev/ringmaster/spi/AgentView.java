package dev.ringmaster.spi;

import dev.ringmaster.model.AgentSpec;

/**
 * The live load view of one agent that routing strategies score; fields owned by the routing role are exact when
 * read from it, and adapter-reported telemetry is the latest value published by the adapter.
 */
public interface AgentView
{
    /** @return the agent's position in the dispatcher, stable for its lifetime; strategies may index arrays by it. */
    int index();

    AgentSpec spec();

    default String id()
    {
        return spec().id();
    }

    default int capacity()
    {
        return spec().capacity();
    }

    default int weight()
    {
        return spec().weight();
    }

    /** @return proficiency in [0, 1] for a skill id (see {@code Skills.id}), 0 if the agent lacks it. */
    double proficiency(int skillId);

    /** @return tasks assigned to the agent and not finished: running plus waiting in its inbox. */
    int inFlight();

    /** @return tasks waiting in the agent's inbox, not yet started. */
    int queued();

    /** @return sum of the cost estimates of the tasks in flight, in tokens. */
    long tokensInFlight();

    /** @return exponentially weighted moving average of execution time, nanoseconds; 0 before the first result. */
    double ewmaLatencyNanos();

    /**
     * @return Finagle-style peak EWMA of execution time, nanoseconds: jumps to a slower sample at once, decays
     *     toward faster ones with a time constant of about a second; 0 before the first result.
     */
    double peakEwmaLatencyNanos();

    /** @return the agent's own bidder for market-based routing, if its adapter is one, else null. */
    Bidder bidder();

    /** @return the fraction of the agent's context window in use, as last reported by its adapter, in [0, 1]. */
    double contextUtilization();

    /** @return recent quality score in [0, 1], an EWMA of what the adapter reported; 1 before any report. */
    double recentQuality();

    /** @return tokens the agent may still spend, {@link Long#MAX_VALUE} for unlimited. */
    long tokenBudgetLeft();

    /** @return true while the agent is being removed (it gets no new tasks and leaves once it holds nothing). */
    default boolean draining()
    {
        return false;
    }

    /** @return true while outlier ejection keeps the agent out of routing. */
    default boolean ejected()
    {
        return false;
    }

    /** @return tasks completed by this agent so far. */
    long completedCount();
}
