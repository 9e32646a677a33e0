package dev.ringmaster.journal;

/**
 * Why an assignment was made, as journaled with it from record layout version 3 on; immutable and thread-safe.
 *
 * @param candidates        agents eligible for the task when it was placed, -1 if not counted.
 * @param strategyVersion   the version of the strategy's decision rule ({@code RoutingStrategy.version()}).
 * @param runnerUpIndex     the runner-up's agent index, -1 if the strategy named none.
 * @param runnerUpId        the runner-up's agent id, or null.
 * @param hasRandomState    whether the strategy recorded its random state.
 * @param randomState       the strategy's random state before the decision's first draw (if {@code hasRandomState}).
 * @param shadowStrategy    the shadow strategy's name, or null if none ran.
 * @param shadowIndex       the agent index the shadow would have chosen; -1 if it declined or failed, -2 if none ran.
 * @param shadowAgentId     that agent's id, or null.
 * @param shadowRegretNanos expected completion time on the shadow's pick minus that on the live pick, NaN if not
 *                          estimated.
 * @param fellBack          whether the built-in fallback (fewest tasks in flight) made the placement, the strategy
 *                          having failed or being quarantined; the record names the strategy all the same.
 */
public record DecisionProvenance(int candidates, int strategyVersion, int runnerUpIndex, String runnerUpId,
                                 boolean hasRandomState, long randomState, String shadowStrategy, int shadowIndex,
                                 String shadowAgentId, double shadowRegretNanos, boolean fellBack)
{
    /** A placement the strategy made itself. */
    public DecisionProvenance(final int candidates, final int strategyVersion, final int runnerUpIndex,
                              final String runnerUpId, final boolean hasRandomState, final long randomState,
                              final String shadowStrategy, final int shadowIndex, final String shadowAgentId,
                              final double shadowRegretNanos)
    {
        this(candidates, strategyVersion, runnerUpIndex, runnerUpId, hasRandomState, randomState, shadowStrategy,
            shadowIndex, shadowAgentId, shadowRegretNanos, false);
    }

    /** @return true if a shadow ran and picked the same agent as the live strategy ({@code liveIndex}). */
    public boolean shadowAgrees(final int liveIndex)
    {
        return shadowStrategy != null && shadowIndex == liveIndex;
    }
}
