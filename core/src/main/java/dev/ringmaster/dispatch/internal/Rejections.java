package dev.ringmaster.dispatch.internal;

import dev.ringmaster.dispatch.SubmitStatus;
import dev.ringmaster.model.Skills;
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
            case NO_CAPABLE_AGENT -> noCapableAgent(lanesByType.get(task.type()), task);
            case DUPLICATE_ID -> "task id " + task.id() + " is already accepted and not finished";
            case NOT_RUNNING -> notRunning(runState);
            case EXPIRED -> task.ttlNanos() > 0 ? "its time to live is " + task.ttlNanos() / 1_000_000 + " ms" : null;
            default -> null;
        };
    }

    /** Which of the task's constraints no agent meets: its target, its skills, or the agent it avoids. */
    private static String noCapableAgent(final Lane lane, final Task task)
    {
        final String target = task.targetAgent();
        final String avoid = task.avoidAgent();
        final long required = task.requiredSkills();
        if (target != null)
        {
            final AgentState a = lane.agent(target);
            if (a == null)
            {
                return "the task is addressed to agent '" + target + "', which is not an agent of type '" + task.type() +
                    "' (or is leaving)";
            }
            if (target.equals(avoid))
            {
                return "the task is addressed to agent '" + target + "' and avoids the same agent: drop one of the two";
            }
            if (!a.hasSkills(required))
            {
                return "the task is addressed to agent '" + target + "', which lacks " +
                    Skills.names(required & ~a.skillMask) + " of the skills it requires: address it to an agent " +
                    "with them, or drop the requirement";
            }
        }
        if (task.requiresUnknownSkill())
        {
            return "no agent of type '" + task.type() + "' has all of " + task.requiredSkillNames() + " (no agent in " +
                "this JVM has had " + unknown(task) + ")";
        }
        final String skills = required == 0 ? "" : " with all of " + Skills.names(required);
        final AgentState avoided = avoid == null ? null : lane.agent(avoid);
        if (avoided != null && avoided.hasSkills(required))
        {
            return "the only agent of type '" + task.type() + "'" + skills + " is '" + avoid + "', which the task " +
                "avoids (avoidAgent): add another such agent, or drop the avoidance";
        }
        return required != 0 ? "no agent of type '" + task.type() + "' has all of " + Skills.names(required) :
            "every agent of type '" + task.type() + "' is leaving";
    }

    private static java.util.List<String> unknown(final Task task)
    {
        return task.requiredSkillNames().stream().filter(n -> Skills.idIfKnown(n) < 0).toList();
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
