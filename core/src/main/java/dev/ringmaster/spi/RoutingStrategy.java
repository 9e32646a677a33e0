package dev.ringmaster.spi;

/**
 * Picks the agent for a task among eligible candidates; every method is called on the dispatcher's single router
 * thread, so an implementation keeps its state in plain fields, and must neither block nor allocate per decision.
 */
public interface RoutingStrategy
{
    /** @return the name the strategy is registered under, e.g. "round-robin". */
    String name();

    /**
     * @param task       the task to place.
     * @param candidates the eligible agents, never empty.
     * @param decision   where to record the winning score and the runner-up, for the audit trail.
     * @return the index in {@code candidates} of the chosen agent.
     */
    int select(TaskView task, Candidates candidates, RoutingDecision decision);
}
