package dev.ringmaster.journal;

import dev.ringmaster.model.Priority;

import java.time.Instant;

/**
 * One journal record copied out of the queue; immutable and thread-safe.
 *
 * @param index      the record's Chronicle Queue index.
 * @param type       what happened.
 * @param taskId     the task's id, kept across retries and recovery.
 * @param taskType   the agent type the task is for.
 * @param priority   the task's priority at the event.
 * @param attempt    1 for the first attempt.
 * @param sequence   the dispatcher's acceptance sequence, -1 for RECOVERED.
 * @param nanos      System.nanoTime of the event in the JVM that wrote it.
 * @param epochNanos wall-clock time of the event.
 * @param agentId    the agent (for STOLEN the thief), or null.
 * @param fromAgentId for STOLEN, the agent it was taken from, else null.
 * @param strategy   for ASSIGNED, the strategy's name, else null.
 * @param score      for ASSIGNED, the winning score, NaN where none.
 * @param runnerUp   for ASSIGNED, the runner-up's score, NaN where none.
 * @param value      tokens used (COMPLETED) or retry-at nanos (RETRIED), the HTTP status (ADMIN), else 0.
 * @param reason     why (failed, dead-lettered, expired, cancelled, recovered), the outcome (ADMIN), else null.
 * @param provenance for ASSIGNED from layout version 3 on, why the agent won; else null.
 * @param cancelledAtShutdown for CANCELLED, true if the dispatcher's shutdown cancelled the task before it finished (see
 *                   {@link JournalRecord#cancelledAtShutdown()}): it did not end, and recovery runs it again.
 *
 * <p>An ADMIN event is an operator's change, no task's: task id -1, what was asked in {@code taskType} and the
 * client's address in {@code fromAgentId}.
 */
public record JournalEvent(long index, EventType type, long taskId, String taskType, Priority priority, int attempt,
                           long sequence, long nanos, long epochNanos, String agentId, String fromAgentId,
                           String strategy, double score, double runnerUp, long value, String reason,
                           DecisionProvenance provenance, boolean cancelledAtShutdown)
{
    /** An event that no shutdown cancelled, as an ASSIGNED one or one read before the flag existed. */
    public JournalEvent(final long index, final EventType type, final long taskId, final String taskType,
                        final Priority priority, final int attempt, final long sequence, final long nanos,
                        final long epochNanos, final String agentId, final String fromAgentId, final String strategy,
                        final double score, final double runnerUp, final long value, final String reason,
                        final DecisionProvenance provenance)
    {
        this(index, type, taskId, taskType, priority, attempt, sequence, nanos, epochNanos, agentId, fromAgentId,
            strategy, score, runnerUp, value, reason, provenance, false);
    }

    /** An event without provenance, as written before layout version 3. */
    public JournalEvent(final long index, final EventType type, final long taskId, final String taskType,
                        final Priority priority, final int attempt, final long sequence, final long nanos,
                        final long epochNanos, final String agentId, final String fromAgentId, final String strategy,
                        final double score, final double runnerUp, final long value, final String reason)
    {
        this(index, type, taskId, taskType, priority, attempt, sequence, nanos, epochNanos, agentId, fromAgentId,
            strategy, score, runnerUp, value, reason, null);
    }

    /**
     * @return true if the task ended here: a terminal type, except a cancel by the dispatcher's shutdown, which leaves
     *     the task open for recovery as a crash would (the check {@link Recovery} makes).
     */
    public boolean ends()
    {
        return type.terminal() && !cancelledAtShutdown;
    }

    /** @return tokens used, for COMPLETED. */
    public long tokens()
    {
        return type == EventType.COMPLETED ? value : 0;
    }

    public long epochMillis()
    {
        return epochNanos / 1_000_000L;
    }

    /** @return one human-readable line: time, event, task, and what the event has to say. */
    public String describe()
    {
        final StringBuilder sb = new StringBuilder(128);
        if (type == EventType.ADMIN)
        {
            return sb.append(Instant.ofEpochSecond(0, epochNanos)).append("  ").append(String.format("%-13s", type))
                .append(' ').append(taskType).append(" from ").append(fromAgentId).append(": ").append(value)
                .append(' ').append(reason).toString();
        }
        sb.append(Instant.ofEpochSecond(0, epochNanos)).append("  ").append(String.format("%-13s", type))
            .append(" task ").append(taskId).append(" (").append(taskType).append(", ").append(priority)
            .append(", attempt ").append(attempt).append(')');
        if (agentId != null)
        {
            sb.append(type == EventType.STOLEN ? " by " : " on ").append(agentId);
        }
        if (fromAgentId != null)
        {
            sb.append(" from ").append(fromAgentId);
        }
        if (strategy != null)
        {
            // NaN is the record's "none" (one candidate, or a strategy that does not score): not a figure to print
            sb.append(" by ").append(strategy);
            if (provenance != null && provenance.fellBack())
            {
                // the record names the strategy asked; the agent was the built-in fallback's choice
                sb.append(" (its decision failed: the built-in fallback, fewest tasks in flight, chose the agent)");
            }
            if (!Double.isNaN(score))
            {
                sb.append(" score ").append(score);
            }
            if (!Double.isNaN(runnerUp))
            {
                sb.append(" runner-up ").append(runnerUp);
            }
        }
        if (type == EventType.COMPLETED)
        {
            sb.append(", ").append(value).append(" tokens");
        }
        if (reason != null)
        {
            sb.append(": ").append(reason);
        }
        if (cancelledAtShutdown)
        {
            // the reason reads like an end; the reader must learn that recovery will run the task again
            sb.append(" (cancelled by the dispatcher's shutdown before it finished: not ended, still open for recovery)");
        }
        return sb.toString();
    }
}
