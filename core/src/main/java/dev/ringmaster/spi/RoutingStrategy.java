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
     * @param task       the task to place.
     * @param candidates the eligible agents, never empty.
     * @param decision   where to record the winning score and the runner-up, for the audit trail.
     * @return the index in {@code candidates} of the chosen agent, or {@link #DECLINE} to leave the task queued
     *     until the candidates change (e.g. its named or sticky agent is busy); a declined task is set aside like
     *     one whose skilled agents are all busy, so the tasks behind it still flow.
     */
    int select(TaskView task, Candidates candidates, RoutingDecision decision);
}
