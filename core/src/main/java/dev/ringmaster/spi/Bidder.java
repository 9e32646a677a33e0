package dev.ringmaster.spi;

/**
 * An agent's answer to a call for bids in a Contract Net auction: its estimated cost of doing a task (completion
 * time, money, tokens: lower wins). Called by the thread holding the routing role, one call at a time; must not block or allocate.
 */
@FunctionalInterface
public interface Bidder
{
    /** No bid: the agent declines the task. */
    double NO_BID = Double.POSITIVE_INFINITY;

    /**
     * @param task  the task on offer.
     * @param agent the bidding agent's live view.
     * @return the bid, lower is better, or {@link #NO_BID}.
     */
    double bid(TaskView task, AgentView agent);
}
