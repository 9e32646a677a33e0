package dev.ringmaster.dispatch.internal;

/** The stages the dispatcher times, each with its own latency histogram; immutable, so thread-safe. */
public enum Stage
{
    /** From submission to assignment to an agent (ring hop plus central queue wait). */
    QUEUE_WAIT,
    /**
     * Time spent inside the routing strategy for one decision, sampled: one decision in
     * {@value Selection#ROUTING_SAMPLE} is timed, since two clock reads cost more than an O(1) decision.
     */
    ROUTING,
    /** From start to finish of the successful attempt on the agent. */
    EXECUTION,
    /** From submission to completion. */
    END_TO_END
}
