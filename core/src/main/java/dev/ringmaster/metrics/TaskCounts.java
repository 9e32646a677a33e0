package dev.ringmaster.metrics;

/**
 * Tasks of one priority or one tenant by state, since start; immutable.
 *
 * <p>By priority, a task counts as accepted at the priority it was submitted with and as ended at the one it had
 * when it ended, so for a reprioritized task the two differ; by tenant both are the task's tenant.
 *
 * @param accepted     tasks accepted.
 * @param completed    tasks completed.
 * @param deadLettered tasks that failed every attempt.
 * @param expired      tasks whose time to live ran out first.
 * @param cancelled    tasks cancelled.
 */
public record TaskCounts(long accepted, long completed, long deadLettered, long expired, long cancelled)
{
    /** @return accepted tasks not yet ended (by priority, a reprioritization moves a task's end elsewhere). */
    public long outstanding()
    {
        return accepted - completed - deadLettered - expired - cancelled;
    }
}
