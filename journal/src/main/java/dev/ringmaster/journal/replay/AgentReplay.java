package dev.ringmaster.journal.replay;

/**
 * What one agent did according to a journal; immutable.
 *
 * @param agentId   the agent's id.
 * @param completed tasks it completed.
 * @param tokens    tokens its completed tasks used.
 * @param failed    attempts of its that failed.
 * @param stolenIn  tasks it stole from busier agents.
 * @param stolenOut tasks stolen from its inbox.
 * @param busyNanos total running time of its attempts (overlapping attempts add up).
 */
public record AgentReplay(String agentId, long completed, long tokens, long failed, long stolenIn, long stolenOut,
                          long busyNanos)
{
}
