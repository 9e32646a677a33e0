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
    static String detail(final Map<String, Lane> lanesByType, final Task task, final SubmitStatus status)
    {
        return switch (status)
        {
            case UNKNOWN_AGENT_TYPE -> "type '" + task.type() + "' is not one of " + lanesByType.keySet();
            case NO_CAPABLE_AGENT -> task.targetAgent() != null && !lanesByType.get(task.type()).hasAgent(task.targetAgent()) ?
                "the task is addressed to agent '" + task.targetAgent() + "', which is not an agent of type '" + task.type() + "'" :
                "no agent of type '" + task.type() + "' has all of " + dev.ringmaster.model.Skills.names(task.requiredSkills());
            case DUPLICATE_ID -> "task id " + task.id() + " is already accepted and not finished";
            default -> null;
        };
    }
}
