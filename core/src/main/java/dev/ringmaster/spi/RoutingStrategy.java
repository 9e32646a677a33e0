package dev.ringmaster.spi;

/**
 * Picks the agent for a task among eligible candidates; every method is called on the dispatcher's single router
 * thread, so an implementation keeps its state in plain fields, and must neither block nor allocate per decision.
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
