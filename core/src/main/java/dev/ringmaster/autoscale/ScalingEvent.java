package dev.ringmaster.autoscale;

import java.util.List;

/**
 * One entry of the {@link Autoscaler}'s history: a change it decided, or what became of one; immutable.
 *
 * @param nanos       when, on the autoscaler's clock.
 * @param type        the agent type.
 * @param kind        what happened.
 * @param poolBefore  agents counted before (being added included, being removed excluded).
 * @param poolAfter   agents counted after.
 * @param utilization the type's utilization when it happened.
 * @param agents      the agents concerned.
 * @param reason      why, in words.
 */
public record ScalingEvent(long nanos, String type, Kind kind, int poolBefore, int poolAfter, double utilization,
                           List<String> agents, String reason)
{
    public ScalingEvent
    {
        agents = List.copyOf(agents);
    }

    /** What a history entry records. */
    public enum Kind
    {
        /** Decided to add agents; they count from now on. */
        SCALE_UP,
        /** Decided to remove agents; they are drained and count as gone from now on. */
        SCALE_DOWN,
        /** An added agent is being routed to. */
        ADDED,
        /** A removed agent finished its last task and left the dispatcher. */
        REMOVED,
        /** The factory or the dispatcher could not add an agent. */
        ADD_FAILED,
        /** The dispatcher refused a removal. */
        REMOVE_FAILED,
        /** An agent the autoscaler added left the dispatcher without the autoscaler removing it. */
        LOST,
        /**
         * An agent the autoscaler added crashed under the dispatcher's supervision, which left it to the autoscaler:
         * once the dispatcher has stopped it, its factory releases it and makes a replacement under the same id.
         */
        CRASHED
    }
}
