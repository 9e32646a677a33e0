package dev.ringmaster.dispatch;

import dev.ringmaster.model.Task;

/**
 * A task that failed every attempt or expired, with the reason; immutable.
 *
 * @param task      the task as submitted.
 * @param state     DEAD_LETTERED or EXPIRED.
 * @param reason    the last failure, or the expiry.
 * @param attempts  attempts started.
 * @param lastAgentId the agent of the last attempt, or null.
 * @param epochMillis wall-clock time it was dead-lettered.
 */
public record DeadLetter(Task task, TerminalState state, String reason, int attempts, String lastAgentId,
                         long epochMillis)
{
}
