package dev.ringmaster.dispatch;

/**
 * When a task of an agent type is bound to its agent, set per type with {@code Dispatcher.Builder.binding}; an
 * immutable value, safe on any thread.
 *
 * <p>Late binding (the default) keeps tasks in the type's central queue until an agent has room, so the decision
 * sees every agent's load at the last moment: the best choice for agents of unequal or unknown speed. Early binding
 * hands each task at arrival to the agent the strategy picks, into that agent's own FIFO queue, as a Celery worker
 * with a large prefetch or an Envoy host with its connection queue would: the decision is made once, with the load
 * as it is at arrival, and a task never waits centrally. With stealing, an agent that runs out of its own tasks takes
 * the newest task of the agent with the longest queue, which repairs most of early binding's mistakes.
 */
public enum Binding
{
    /** Tasks wait centrally and are bound to an agent when one has room (capacity plus prefetch). */
    LATE,
    /** Bound at arrival to the chosen agent's FIFO queue; they stay there whatever happens to the other agents. */
    EARLY,
    /** Bound at arrival, but an agent with room and nothing queued steals from the agent with the longest queue. */
    EARLY_STEALING
}
