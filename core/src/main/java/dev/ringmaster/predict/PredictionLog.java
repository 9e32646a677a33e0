package dev.ringmaster.predict;

/**
 * Where pre-routing records its predictions and actions (the journal: event PREDICTION), so that their hit rate can
 * be replayed; called on the pre-routing thread, one call at a time. What it throws is contained and counted.
 */
public interface PredictionLog
{
    /** What pre-routing did with a prediction. */
    enum Action
    {
        /** The key's tasks are predicted within the horizon: they will prefer agents warm for it. */
        PREDICTED,
        /** An idle agent was asked to warm its context for the key. */
        WARMED,
        /** The autoscaler was told of the predicted arrivals of a type (key null). */
        CAPACITY
    }

    /**
     * @param action       what was done.
     * @param type         the agent type predicted.
     * @param key          the context key predicted, null for a type-wide prediction.
     * @param agentId      the agent warmed ({@link Action#WARMED}), else null.
     * @param confidence   the prediction's confidence, 0 to 1.
     * @param expected     expected arrivals within the horizon.
     * @param horizonNanos how far ahead the prediction reaches: it is a hit if such a task arrives within it.
     * @param nanos        when, on the pre-routing clock.
     */
    void onPrediction(Action action, String type, String key, String agentId, double confidence, double expected,
                      long horizonNanos, long nanos);
}
