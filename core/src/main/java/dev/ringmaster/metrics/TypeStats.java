package dev.ringmaster.metrics;

/**
 * The seed's quality and context figures of one agent type at snapshot time; immutable.
 *
 * @param type                agent type.
 * @param agents              agents of the type in the fleet.
 * @param meanQuality         mean of the recent quality scores of the type's agents that completed a task, NaN if
 *                            none has.
 * @param qualityStdDev       population standard deviation of those scores across the type's agents (how unequal the
 *                            agents' answers are), NaN if none has completed a task.
 * @param contextTokensLoaded context tokens the type's adapters reported loading.
 * @param contextTokensUsed   of those, the tokens the attempts needed.
 */
public record TypeStats(String type, int agents, double meanQuality, double qualityStdDev, long contextTokensLoaded,
                        long contextTokensUsed)
{
    /** @return context tokens loaded but not used over those loaded, in [0, 1]; NaN if nothing was reported. */
    public double contextWasteRatio()
    {
        return contextTokensLoaded == 0 ? Double.NaN :
            (double)(contextTokensLoaded - contextTokensUsed) / contextTokensLoaded;
    }
}
