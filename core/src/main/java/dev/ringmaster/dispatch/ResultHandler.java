package dev.ringmaster.dispatch;

import dev.ringmaster.spi.TaskView;

/**
 * Callback for the terminal state of every accepted task; called on the router thread, so it must return quickly
 * (hand heavy work to another executor) and must not keep the {@link TaskView}.
 */
@FunctionalInterface
public interface ResultHandler
{
    /**
     * @param task   the recycled view of the task.
     * @param state  its terminal state.
     * @param result the agent's output if COMPLETED, else null.
     * @param reason why it did not complete, else null.
     */
    void onResult(TaskView task, TerminalState state, Object result, String reason);
}
