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
 * @param hungSlots   slots held by attempts given up at their timeout whose adapter has not answered yet: the task
 *                    went on without them, but a record is never reused while an adapter may hold it, so each such
 *                    slot stays taken (the agent runs with that much less capacity) until the late answer comes.
 */
public record AgentStats(String id, String type, int capacity, long completed, long failed, long tokens, long stolen,
                         int inFlight, double utilization, double load, boolean overloaded, boolean ejected,
                         int hungSlots)
{
    /** The figures without {@code hungSlots} (0), as before they were reported. */
    public AgentStats(final String id, final String type, final int capacity, final long completed, final long failed,
                      final long tokens, final long stolen, final int inFlight, final double utilization,
                      final double load, final boolean overloaded, final boolean ejected)
    {
        this(id, type, capacity, completed, failed, tokens, stolen, inFlight, utilization, load, overloaded, ejected, 0);
    }
}
