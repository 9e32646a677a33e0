package dev.ringmaster.spi;

/**
 * Observer of every lifecycle event of every accepted task; all methods are called one at a time, in the order the
 * router decided them, on the thread holding the routing role (a submitter, a worker or the router thread; each call
 * happens-after the previous one), so an implementation needs no locks but must not rely on thread-locals, must return
 * quickly and must not keep the {@link TaskView} (it is recycled). Whatever it throws, {@code Error}s included, is
 * contained: the event is dropped for that listener and the fault is counted. Timestamps are {@link System#nanoTime()}.
 *
 * <p>Each accepted task gets exactly one terminal event: completed, dead-lettered, expired or cancelled.
 */
public interface DispatchListener
{
    /**
     * How the reason of every cancellation made by the dispatcher's shutdown begins (the task never ran to its end
     * because the dispatcher stopped; an operator's cancel by id reads otherwise): a journal keeps such tasks open
     * for recovery.
     */
    String SHUTDOWN_REASON_PREFIX = "dispatcher shut down before ";

    default void onAccepted(TaskView task, long nanos)
    {
    }

    /**
     * The task was placed as it arrived: its acceptance and its assignment, announced together so that a listener
     * that records events (the journal) can write them as one. By default {@link #onAccepted} then
     * {@link #onAssigned}; should the first throw, the second is not called for this listener.
     */
    default void onAcceptedAndAssigned(TaskView task, long acceptedNanos, AgentView agent, String strategy, double score,
                                       double runnerUp, long assignedNanos)
    {
        onAccepted(task, acceptedNanos);
        onAssigned(task, agent, strategy, score, runnerUp, assignedNanos);
    }

    /**
     * As {@link #onAcceptedAndAssigned(TaskView, long, AgentView, String, double, double, long)}, with the decision's
     * whole provenance; the dispatcher calls this one, which by default calls that one.
     */
    default void onAcceptedAndAssigned(final TaskView task, final long acceptedNanos, final AgentView agent,
                                       final Provenance why, final long assignedNanos)
    {
        onAcceptedAndAssigned(task, acceptedNanos, agent, why.strategy(), why.score(), why.runnerUp(), assignedNanos);
    }

    /**
     * As {@link #onAssigned(TaskView, AgentView, String, double, double, long)}, with the decision's whole provenance;
     * the dispatcher calls this one, which by default calls that one.
     */
    default void onAssigned(final TaskView task, final AgentView agent, final Provenance why, final long nanos)
    {
        onAssigned(task, agent, why.strategy(), why.score(), why.runnerUp(), nanos);
    }

    /** The strategy placed the task; {@code score} and {@code runnerUp} are NaN where the strategy has none. */
    default void onAssigned(TaskView task, AgentView agent, String strategy, double score, double runnerUp, long nanos)
    {
    }

    /** An idle agent took the task from a busier agent's inbox before it started. */
    default void onStolen(TaskView task, AgentView from, AgentView to, long nanos)
    {
    }

    default void onStarted(TaskView task, AgentView agent, long nanos)
    {
    }

    /** Terminal: the agent finished the task. */
    default void onCompleted(TaskView task, AgentView agent, long tokensUsed, long nanos)
    {
    }

    /** One attempt failed (the adapter threw, reported failure or outlived the timeout); a retry or dead letter follows. */
    default void onFailed(TaskView task, AgentView agent, String reason, long nanos)
    {
    }

    /** The task will run again at {@code retryAtNanos}, as attempt {@code task.attempt()}. */
    default void onRetried(TaskView task, long retryAtNanos, long nanos)
    {
    }

    /** Terminal: the task's time to live passed before it could start. */
    default void onExpired(TaskView task, long nanos)
    {
    }

    /** Terminal: as {@link #onExpired(TaskView, long)}, with where it was waiting; the dispatcher calls this one. */
    default void onExpired(final TaskView task, final String reason, final long nanos)
    {
        onExpired(task, nanos);
    }

    /** Terminal: the task failed and has no retries left. */
    default void onDeadLettered(TaskView task, String reason, long nanos)
    {
    }

    /** Terminal: the dispatcher shut down before the task could (re)start, or it was cancelled by id. */
    default void onCancelled(TaskView task, long nanos)
    {
    }

    /** Terminal: as {@link #onCancelled(TaskView, long)}, with why; the dispatcher calls this one. */
    default void onCancelled(final TaskView task, final String reason, final long nanos)
    {
        onCancelled(task, nanos);
    }
}
