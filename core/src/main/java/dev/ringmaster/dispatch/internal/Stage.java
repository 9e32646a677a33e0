package dev.ringmaster.dispatch.internal;

/** The stages the dispatcher times, each with its own latency histogram; immutable, so thread-safe. */
public enum Stage
{
    /**
     * The wait in the central queue, per attempt: from the router taking the task in (or a retry coming due) to its
     * assignment to an agent. A task placed as it arrived waited none and counts in the lowest bucket (1 ns); the hop
     * through the ingress ring before it is in {@link #END_TO_END}, which counts from the submission.
     */
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
