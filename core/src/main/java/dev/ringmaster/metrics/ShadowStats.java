package dev.ringmaster.metrics;

/**
 * How a shadow strategy compared with the live one so far; immutable.
 *
 * @param strategy      the shadow strategy's name.
 * @param decisions     tasks placed by the live strategy that the shadow decided on.
 * @param agreements    decisions in which the shadow picked the same agent.
 * @param faults        shadow decisions and callbacks that threw or answered out of range (contained, never acted on).
 * @param regretSamples decisions whose regret could be estimated (the agreements, and the disagreements where at
 *                      least one of the two agents has a measured latency).
 * @param regretNanos   the summed estimated regret of those decisions: expected completion time on the shadow's pick
 *                      minus that on the live pick (positive: the shadow would have been slower).
 */
public record ShadowStats(String strategy, long decisions, long agreements, long faults, long regretSamples,
                          long regretNanos)
{
    /** @return the fraction of decisions in which the shadow agreed with the live strategy; NaN before any. */
    public double agreement()
    {
        return decisions == 0 ? Double.NaN : (double)agreements / decisions;
    }

    /** @return the mean estimated regret per decision, in seconds; NaN before any estimate. */
    public double regretSeconds()
    {
        return regretSamples == 0 ? Double.NaN : regretNanos / 1e9 / regretSamples;
    }
}
