package dev.ringmaster.journal.replay;

import java.util.Map;

/**
 * Busy time per agent in one time bucket; immutable.
 *
 * @param startEpochMillis the bucket's start.
 * @param averageRunning   per agent id, busy nanoseconds in the bucket divided by the bucket's length: the average
 *                         number of its tasks running (at most its capacity).
 */
public record UtilizationBucket(long startEpochMillis, Map<String, Double> averageRunning)
{
    public UtilizationBucket
    {
        averageRunning = Map.copyOf(averageRunning);
    }
}
