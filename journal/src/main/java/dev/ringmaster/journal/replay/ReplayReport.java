package dev.ringmaster.journal.replay;

import dev.ringmaster.journal.EventType;
import dev.ringmaster.metrics.LatencySummary;

import java.util.List;
import java.util.Map;

/**
 * Statistics rebuilt from a journal alone; immutable (the latency histograms are private copies).
 *
 * @param records          records read.
 * @param firstEpochMillis time of the earliest record, 0 if none.
 * @param lastEpochMillis  time of the last record, 0 if none.
 * @param events           records per event type.
 * @param acceptedTasks    tasks accepted: ACCEPTED records less those of a task still open (recovery dispatches a task
 *                         again under its id), so completed, dead-lettered, expired, cancelled (less those cancelled
 *                         at shutdown) and open add up to it.
 * @param openTasks        tasks accepted and not terminal at the end of the journal (what recovery would redo), a task
 *                         the dispatcher's shutdown cancelled included: that cancel ends nothing.
 * @param agents           per agent, by id.
 * @param giniByCount      Gini of completed tasks per agent.
 * @param giniByTokens     Gini of tokens per agent.
 * @param stages           QUEUE_WAIT (assigned - when the router took the task in, or - the retry's due time: one
 *                         per assignment), EXECUTION (completed - started), END_TO_END (completed - accepted by
 *                         submit), from the recorded nanoTimes: as the dispatcher counts them.
 * @param deadLetters      dead-lettered and expired tasks, oldest first.
 * @param deadLetterReasons dead letters per reason.
 * @param bucketMillis     length of a utilization bucket.
 * @param utilization      busy time per agent per bucket, oldest first.
 * @param damage           each damaged region read past, in journal order (file, position, what is wrong); empty if
 *                         the whole journal was read. The figures cover the readable records around them.
 * @param cancelledAtShutdown CANCELLED records the dispatcher's shutdown wrote (counted among the CANCELLED events):
 *                         their tasks did not end, and the last of them for a task still open is among {@code openTasks}.
 */
public record ReplayReport(long records, long firstEpochMillis, long lastEpochMillis, Map<EventType, Long> events,
                           long acceptedTasks, long openTasks, List<AgentReplay> agents, double giniByCount, double giniByTokens,
                           Map<String, LatencySummary> stages, List<DeadLetterReplay> deadLetters,
                           Map<String, Long> deadLetterReasons, long bucketMillis, List<UtilizationBucket> utilization,
                           List<String> damage, long cancelledAtShutdown)
{
    public ReplayReport
    {
        damage = List.copyOf(damage);
    }

    /** A report without shutdown cancels. */
    public ReplayReport(final long records, final long firstEpochMillis, final long lastEpochMillis,
                        final Map<EventType, Long> events, final long acceptedTasks, final long openTasks,
                        final List<AgentReplay> agents, final double giniByCount, final double giniByTokens,
                        final Map<String, LatencySummary> stages, final List<DeadLetterReplay> deadLetters,
                        final Map<String, Long> deadLetterReasons, final long bucketMillis,
                        final List<UtilizationBucket> utilization, final List<String> damage)
    {
        this(records, firstEpochMillis, lastEpochMillis, events, acceptedTasks, openTasks, agents, giniByCount,
            giniByTokens, stages, deadLetters, deadLetterReasons, bucketMillis, utilization, damage, 0);
    }

    /** @return the first damaged region, or null if the whole journal was read. */
    public String corruption()
    {
        return damage.isEmpty() ? null : damage.get(0);
    }

    /** @return records of this type. */
    public long count(final EventType type)
    {
        return events.getOrDefault(type, 0L);
    }
}
