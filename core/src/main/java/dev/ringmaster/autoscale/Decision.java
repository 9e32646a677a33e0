package dev.ringmaster.autoscale;

import java.util.List;

/**
 * The outcome of one evaluation of one agent type; immutable.
 *
 * @param action      what to do.
 * @param add         agents to add, 0 unless {@code action} is ADD.
 * @param remove      ids of the agents to remove (least loaded first), empty unless {@code action} is REMOVE.
 * @param reason      why, in words, with the numbers that decided it.
 * @param utilization the utilization the decision was based on; infinite when work waits and the pool is empty.
 * @param poolSize    agents counted before the decision (being added included, being removed excluded).
 * @param next        the state to pass to the next evaluation.
 */
public record Decision(Action action, int add, List<String> remove, String reason, double utilization, int poolSize,
                       ScalingState next)
{
    public Decision
    {
        remove = List.copyOf(remove);
    }

    /** What a decision does to the pool. */
    public enum Action
    {
        ADD,
        REMOVE,
        HOLD
    }

    /** @return the pool size once the decision is carried out. */
    public int poolSizeAfter()
    {
        return poolSize + add - remove.size();
    }
}
