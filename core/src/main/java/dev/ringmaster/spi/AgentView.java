package dev.ringmaster.spi;

import dev.ringmaster.model.AgentSpec;

/**
 * The live load view of one agent that routing strategies score; fields owned by the routing role are exact when
 * read from it, and adapter-reported telemetry is the latest value published by the adapter. Read by the thread
 * holding the routing role only, during a routing call.
 *
 * <p>Speed-aware strategies use {@link #speed()}, {@link #expectedLatencyNanos()} and {@link #expectedFreeNanos()};
 * they are default methods, so views written before them keep compiling and get the documented rules.
 */
public interface AgentView
{
    /**
     * Results an agent must have returned before its own latency EWMA stands for its per-task latency: fewer samples
     * say more about the first tasks' sizes than about the agent.
     */
    int WARM_RESULTS = 4;

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

    /**
     * @return the agent's relative speed as declared on its spec ({@link AgentSpec#speed()}, 1.0 unless set): the
     *     dispatcher does not guess speed from latency, because latency mixes speed with the sizes of the tasks the
     *     strategy chose to send (a slow agent fed only short tasks looks fast); latency is learned separately, in
     *     {@link #expectedLatencyNanos()}.
     */
    default double speed()
    {
        return spec().speed();
    }

    /**
     * @return the agent's per-task execution time estimate in nanoseconds: its latency EWMA once it has returned
     *     {@link #WARM_RESULTS} results, 0 (unknown) before; a strategy fills the cold start itself, e.g. from the
     *     warm agents of the pool scaled by declared speed.
     */
    default double expectedLatencyNanos()
    {
        return completedCount() >= WARM_RESULTS ? ewmaLatencyNanos() : 0;
    }

    /**
     * @return the expected nanoseconds until the agent has a free slot for one more task: 0 while fewer than
     *     capacity tasks are in flight; else, with k = inFlight - capacity + 1 tasks to finish first and capacity
     *     slots finishing them, k x {@link #expectedLatencyNanos()} / capacity (exact in expectation for
     *     exponential work, whatever ran how long); {@link Double#POSITIVE_INFINITY} while the latency is unknown, so
     *     that no strategy waits for an agent it has not measured.
     */
    default double expectedFreeNanos()
    {
        return expectedFreeNanos(inFlight(), capacity(), expectedLatencyNanos());
    }

    /**
     * The rule of {@link #expectedFreeNanos()} for any latency estimate, e.g. a strategy's cold-start guess; pure.
     *
     * @param latencyNanos per-task latency estimate, 0 or less for unknown.
     */
    static double expectedFreeNanos(final int inFlight, final int capacity, final double latencyNanos)
    {
        final int ahead = inFlight - capacity + 1;
        if (ahead <= 0)
        {
            return 0;
        }
        return latencyNanos > 0 ? latencyNanos * ahead / capacity : Double.POSITIVE_INFINITY;
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

    /** @return true while the agent is being removed (no new tasks; it leaves once none of its tasks is live). */
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
