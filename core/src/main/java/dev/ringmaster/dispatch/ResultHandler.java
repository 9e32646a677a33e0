package dev.ringmaster.dispatch;

import dev.ringmaster.spi.TaskView;

/**
 * Callback for the terminal state of every accepted task; called one call at a time (each ordered after the previous)
 * on the thread holding the routing role, which may be the worker that ran the task, the router thread, or a thread
 * that was submitting: it must return quickly (hand heavy work to another executor), must not block on the dispatcher
 * (no {@code drain} from here), and must not keep the {@link TaskView}.
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
