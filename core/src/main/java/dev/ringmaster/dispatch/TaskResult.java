package dev.ringmaster.dispatch;

import dev.ringmaster.model.Task;

/**
 * The outcome of one accepted task, delivered through {@link Dispatcher#submitAsync}; immutable.
 *
 * @param task       the task as submitted.
 * @param state      its terminal state.
 * @param agentId    the agent that last ran it, or null if it never ran.
 * @param result     the agent's output when {@code state} is COMPLETED, else null.
 * @param reason     why it did not complete, else null.
 * @param attempts   how many attempts were started.
 * @param tokensUsed tokens reported by the agent for the final attempt.
 * @param latencyNanos time from acceptance to the terminal state.
 */
public record TaskResult(Task task, TerminalState state, String agentId, Object result, String reason, int attempts,
                         long tokensUsed, long latencyNanos)
{
    /** @return true if an agent completed the task. */
    public boolean completed()
    {
        return state == TerminalState.COMPLETED;
    }
}
