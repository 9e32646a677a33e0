package dev.ringmaster.journal.replay;

/**
 * One dead-lettered or expired task found in a journal; immutable.
 *
 * @param taskId      the task's id.
 * @param taskType    its agent type.
 * @param attempts    attempts started.
 * @param reason      why it ended without completing.
 * @param epochMillis when.
 */
public record DeadLetterReplay(long taskId, String taskType, int attempts, String reason, long epochMillis)
{
}
