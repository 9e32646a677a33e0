package dev.ringmaster.dispatch;

import dev.ringmaster.spi.TaskView;

/**
 * Callback for the terminal state of every accepted task. A completed task is delivered on the thread that completed
 * it (the worker that ran a synchronous adapter, or an asynchronous adapter's own thread) as soon as its completion
 * wins, so results of different tasks may be delivered on several threads at once: the handler must be thread-safe.
 * Every other terminal state (dead-lettered, expired, cancelled) is delivered on the thread holding the routing role.
 * It must return quickly (hand heavy work to another executor), must not block on the dispatcher (no {@code drain}
 * from here), and must not keep the {@link TaskView}. Listeners hear of a completion after the handler; a
 * {@code drain} returns only after both.
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
