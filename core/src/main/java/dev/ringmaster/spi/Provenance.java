package dev.ringmaster.spi;

/**
 * Why an assignment was made: the strategy and its rule's version, how many agents were eligible, the winner's score,
 * the runner-up and its score, the random state the strategy drew from, and what a shadow strategy would have done;
 * a reused flyweight, valid only during the {@link DispatchListener} call that receives it, read by the thread holding
 * the routing role.
 */
public interface Provenance
{
    /** The agent-index value of {@link #runnerUpIndex()} and {@link #shadowIndex()} when there is none. */
    int NONE = -1;
    /** {@link #shadowIndex()} when no shadow strategy runs. */
    int NO_SHADOW = -2;

    /** @return the live strategy's name. */
    String strategy();

    /** @return the live strategy's {@link RoutingStrategy#version()}. */
    int strategyVersion();

    /** @return the agents eligible for the task when it was placed, -1 if not counted. */
    int candidates();

    /** @return the winner's score, NaN where the strategy has none. */
    double score();

    /** @return the runner-up's score, NaN where there was none. */
    double runnerUp();

    /** @return the runner-up, or null if the strategy named none. */
    AgentView runnerUpAgent();

    /**
     * @return true if the strategy did not make this placement: it threw, answered out of range or is quarantined, and
     *     the built-in fallback (the eligible agent with the fewest tasks in flight) chose the agent; the score, runner-up
     *     and random state are then not the strategy's.
     */
    default boolean fellBack()
    {
        return false;
    }

    /** @return true if the strategy recorded its random state (see {@link RoutingDecision#randomState}). */
    boolean hasRandomState();

    /** @return the strategy's random state before the decision's first draw. */
    long randomState();

    /** @return the shadow strategy's name, or null if none runs. */
    String shadowStrategy();

    /** @return the agent the shadow strategy would have chosen, or null (no shadow, or it declined or failed). */
    AgentView shadowAgent();

    /**
     * @return the shadow's estimated regret in nanoseconds: the expected completion time of the task on the shadow's
     *     pick minus that on the live pick (positive: the shadow's pick would have been slower); 0 when they agree, NaN
     *     when either agent's latency is not yet known or no shadow ran.
     */
    double shadowRegretNanos();
}
