package dev.ringmaster.metrics;

/**
 * Tasks of one priority or one tenant by state, since start; immutable.
 *
 * <p>By priority, every count of a task (accepted and its terminal state) goes to the priority it was submitted
 * with, even if an operator moved it to another since: so per priority the counts only grow (safe as monotonic
 * counters), accepted = completed + deadLettered + expired + cancelled + {@link #outstanding()}, and outstanding is
 * never negative. Where tasks wait now, by their current priority, is {@link MetricsSnapshot#queueDepth()}. By
 * tenant, every count goes to the task's tenant.
 *
 * @param accepted     tasks accepted.
 * @param completed    tasks completed.
 * @param deadLettered tasks that failed every attempt.
 * @param expired      tasks whose time to live ran out first.
 * @param cancelled    tasks cancelled.
 */
public record TaskCounts(long accepted, long completed, long deadLettered, long expired, long cancelled)
{
    /** @return accepted tasks not yet ended; by priority, those submitted at it, wherever they were moved since. */
    public long outstanding()
    {
        return accepted - completed - deadLettered - expired - cancelled;
    }
}
