package dev.ringmaster.journal.replay;

import java.util.Map;

/**
 * Busy time per agent in one time bucket; immutable.
 *
 * @param startEpochMillis the bucket's start.
 * @param averageRunning   per agent id, busy nanoseconds in the bucket divided by the part of the bucket the journal
 *                         covers: the average number of its tasks running (at most its capacity).
 * @param coveredMillis    that part: the bucket's length, less than it in the first and last buckets, which the
 *                         journal's first and last records cut.
 */
public record UtilizationBucket(long startEpochMillis, Map<String, Double> averageRunning, long coveredMillis)
{
    public UtilizationBucket
    {
        averageRunning = Map.copyOf(averageRunning);
    }
}
