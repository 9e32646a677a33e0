package dev.ringmaster.spi;

/**
 * Routing SPI version 2: a strategy that keeps its own index of the pool, kept current through the callbacks of
 * {@link RoutingStrategy}, and asks the dispatcher per agent whether it is eligible, so a decision costs what the index
 * costs (O(1) or O(log n)) rather than a candidate list of the whole pool; called like {@link RoutingStrategy}, one
 * thread at a time, each call ordered after the previous one.
 *
 * <p>The dispatcher calls {@link #route} instead of {@link #select}; {@code select} stays, for hosts that only have a
 * candidate list (the simulator, version 1 hosts), and as the reference an index is tested against.
 */
public interface IndexedRoutingStrategy extends RoutingStrategy
{
    /**
     * @param task     the task to place.
     * @param pool     the agents of the task's type, with {@link AgentPool#isEligible} answering for this task.
     * @param decision where to record the winning score and the runner-up, for the audit trail.
     * @return the pool position of an eligible agent, or {@link #DECLINE}; a position that is out of range or not
     *     eligible counts as a fault of the strategy, like an exception, and the dispatcher picks for it.
     */
    int route(TaskView task, AgentPool pool, RoutingDecision decision);
}
