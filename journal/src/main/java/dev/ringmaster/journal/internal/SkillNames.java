package dev.ringmaster.journal.internal;

import dev.ringmaster.model.Skills;
import dev.ringmaster.model.Task;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * The comma-separated names of a skill mask's skills, as records carry them (a mask's bits are numbered in the order
 * one JVM first met each skill, so another process would read other skills from the same bits); confined to the
 * encoder's thread. Allocates once per distinct mask, never again for it.
 */
final class SkillNames
{
    private final Long2ObjectHashMap<String> names = new Long2ObjectHashMap<>();

    /**
     * @return the names of every skill the task requires, joined by commas, or null for none; also a name no agent in
     *     this JVM has had yet (not in the mask: a task recovered before its agents were built, or refused for it).
     */
    String of(final Task task)
    {
        if (task.requiresUnknownSkill())
        {
            return String.join(",", task.requiredSkillNames()); // rare: allocates
        }
        final long mask = task.requiredSkills();
        return mask == 0 ? null : of(mask);
    }

    /** @return the names of the skills in {@code mask}, joined by commas. */
    String of(final long mask)
    {
        String joined = names.get(mask);
        if (joined == null)
        {
            joined = String.join(",", Skills.names(mask));
            names.put(mask, joined);
        }
        return joined;
    }
}
