package dev.ringmaster.metrics;

/**
 * Faults of plugins and callbacks that the dispatcher contained, since start; immutable.
 *
 * @param strategy            routing decisions in which the strategy threw (anything, {@code Error}s included) or
 *                            answered an index out of range, each of which fell back to the built-in least-in-flight
 *                            choice, and calls of its callbacks (onAssigned, onReleased, onTelemetry, onPoolChanged)
 *                            that threw.
 * @param strategyCallbacks   of {@code strategy}, the callbacks that threw: no task went elsewhere for those, so a
 *                            report must not say the fallback chose.
 * @param strategyQuarantines times the strategy failed so often in a row that it was set aside for a while.
 * @param listeners           events a dispatch listener threw from (the event was dropped for that listener).
 * @param callbacks           result-handler calls and future stages that threw (the terminal state stood).
 * @param ignoredCompletions  completions an adapter reported twice, or after its attempt timed out (ignored).
 * @param strategyDecisions   tasks placed for the live strategy (a decision it declined is not counted), whether it
 *                            placed them or the built-in choice did.
 * @param strategyFallbacks   of {@code strategyDecisions}, those the built-in least-in-flight choice placed because
 *                            the strategy failed or was quarantined: equal to it, the strategy placed no task at all.
 */
public record FaultCounts(long strategy, long strategyCallbacks, long strategyQuarantines, long listeners,
                          long callbacks, long ignoredCompletions, long strategyDecisions, long strategyFallbacks)
{
    /** Counts without the strategy's decisions and fallbacks, as before they were counted. */
    public FaultCounts(final long strategy, final long strategyCallbacks, final long strategyQuarantines,
                       final long listeners, final long callbacks, final long ignoredCompletions)
    {
        this(strategy, strategyCallbacks, strategyQuarantines, listeners, callbacks, ignoredCompletions, 0, 0);
    }

    /** @return the sum of every kind. */
    public long total()
    {
        return strategy + listeners + callbacks;
    }
}
