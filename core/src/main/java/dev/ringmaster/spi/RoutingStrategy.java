package dev.ringmaster.spi;

/**
 * Picks the agent for a task among eligible candidates; every method is called by one thread at a time, each call
 * ordered after the previous one (the thread holding the dispatcher's routing role: a submitter, a worker or the
 * router thread), so an implementation keeps its state in plain fields, must not rely on thread-locals, and must
 * neither block nor allocate per decision. A task it declines is looked at again at the latest after the router
 * thread's longest sleep (50 ms), or at once when any task, completion or command arrives.
 */
public interface RoutingStrategy
{
    /** Returned by {@link #select} to place nothing now. */
    int DECLINE = -1;

    /** @return the name the strategy is registered under, e.g. "round-robin". */
    String name();

    /**
     * @return the version of the strategy's decision rule, journaled with every assignment it makes: raise it whenever
     *     the same inputs (pool, task, random state) can lead to another choice, so an audit knows which rule decided.
     */
    default int version()
    {
        return 1;
    }

    /**
     * @param task       the task to place.
     * @param candidates the eligible agents, never empty.
     * @param decision   where to record the winning score and the runner-up, for the audit trail.
     * @return the index in {@code candidates} of the chosen agent, or {@link #DECLINE} to leave the task queued
     *     until the candidates change (e.g. its named or sticky agent is busy); a declined task is set aside like
     *     one whose skilled agents are all busy, so the tasks behind it still flow.
     */
    int select(TaskView task, Candidates candidates, RoutingDecision decision);

    /**
     * Optional (routing SPI version 2): the pool of a type was built or changed (agent added, removed, crashed,
     * replaced); positions may have moved, so an index rebuilds itself from {@code pool}. Called before the first
     * decision for the type, and again after any callback of this strategy threw, so an index that missed an event
     * is rebuilt rather than trusted.
     */
    default void onPoolChanged(final AgentPool pool)
    {
    }

    /** Optional: the agent at {@code position} was given {@code task}; its in-flight count and token load just grew. */
    default void onAssigned(final AgentPool pool, final int position, final TaskView task)
    {
    }

    /** Optional: {@code task} left the agent at {@code position} (finished, failed, cancelled, moved); its load shrank. */
    default void onReleased(final AgentPool pool, final int position, final TaskView task)
    {
    }

    /**
     * Optional: the agent's latency estimates or adapter-reported figures (quality, context use, budget) changed, after
     * a result was folded in.
     */
    default void onTelemetry(final AgentPool pool, final int position)
    {
    }
}
