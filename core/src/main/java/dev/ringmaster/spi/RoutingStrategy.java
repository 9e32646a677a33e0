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
     * Optional, for audits ({@code ringmaster audit --explain}), never called while routing: the score this strategy's
     * rule gives the agent at {@code position} for {@code task}, on the scale of the scores it reports through
     * {@link RoutingDecision#explain} (higher wins), so that every candidate of a journaled decision can be shown
     * with its score. Must not change the strategy's state.
     *
     * @return the score, or NaN if the strategy has no per-agent score (the default).
     */
    default double explainScore(final TaskView task, final AgentPool pool, final int position)
    {
        return Double.NaN;
    }

    /**
     * Optional, for audits, never called while routing: sets the strategy's random generator to a state it recorded
     * through {@link RoutingDecision#randomState}, so that its next decision draws what the recorded one drew.
     *
     * @return true if the state was restored; false if the strategy draws nothing or cannot restore (the default).
     */
    default boolean restoreRandomState(final long state)
    {
        return false;
    }

    /**
     * Optional: the agent's latency estimates or adapter-reported figures (quality, context use, budget) changed, after
     * a result was folded in.
     */
    default void onTelemetry(final AgentPool pool, final int position)
    {
    }
}
