package dev.ringmaster.metrics;

/**
 * One agent's share of the work at snapshot time; immutable.
 *
 * @param id          agent id.
 * @param type        agent type.
 * @param capacity    tasks it runs at once.
 * @param completed   tasks completed.
 * @param failed      attempts failed (including timeouts).
 * @param tokens      tokens reported by its adapter.
 * @param stolen      tasks it stole from busier agents.
 * @param inFlight    tasks assigned and not finished.
 * @param utilization busy time over (elapsed time x capacity), in [0, 1].
 * @param load        tasks in flight over capacity right now (may pass 1 by the prefetch).
 * @param overloaded  true if {@code load} is at or above the dispatcher's overload threshold.
 * @param ejected     true while outlier ejection keeps the agent out of routing.
 */
public record AgentStats(String id, String type, int capacity, long completed, long failed, long tokens, long stolen,
                         int inFlight, double utilization, double load, boolean overloaded, boolean ejected)
{
}
