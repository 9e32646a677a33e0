package dev.ringmaster.dispatch.internal;

import dev.ringmaster.dispatch.SubmitStatus;
import dev.ringmaster.model.Task;

import java.util.Map;

/** Sentences for submissions the dispatcher refused, naming what exists: stateless, any thread (allocates). */
final class Rejections
{
    private Rejections()
    {
    }

    /** @return why {@code task} was refused with {@code status}, or null when the status says it all. */
    static String detail(final Map<String, Lane> lanesByType, final int runState, final Task task, final SubmitStatus status)
    {
        return switch (status)
        {
            case UNKNOWN_AGENT_TYPE -> "type '" + task.type() + "' is not one of " + lanesByType.keySet();
            case NO_CAPABLE_AGENT -> task.targetAgent() != null && !lanesByType.get(task.type()).hasAgent(task.targetAgent()) ?
                "the task is addressed to agent '" + task.targetAgent() + "', which is not an agent of type '" + task.type() + "'" :
                "no agent of type '" + task.type() + "' has all of " + dev.ringmaster.model.Skills.names(task.requiredSkills());
            case DUPLICATE_ID -> "task id " + task.id() + " is already accepted and not finished";
            case NOT_RUNNING -> notRunning(runState);
            case EXPIRED -> task.ttlNanos() > 0 ? "its time to live is " + task.ttlNanos() / 1_000_000 + " ms" : null;
            default -> null;
        };
    }

    /** The state at the time the sentence is made, which a refusal racing start() or a shutdown may have left. */
    private static String notRunning(final int runState)
    {
        final dev.ringmaster.dispatch.DispatcherState state = dev.ringmaster.dispatch.DispatcherState.values()[runState];
        return switch (state)
        {
            case NEW -> "the dispatcher is NEW (built, never started): call start() first";
            case RUNNING -> "the dispatcher is RUNNING now (it was not when the task was refused): submit again";
            default -> "the dispatcher is " + state + " (shutting down or shut down, it never accepts again): submit to " +
                "a running dispatcher";
        };
    }
}
