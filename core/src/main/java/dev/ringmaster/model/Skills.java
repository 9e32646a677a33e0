package dev.ringmaster.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * JVM-wide registry that gives each skill name a bit in a 64-bit mask, so that the router checks
 * "has every required skill" with one AND instead of a set lookup; thread-safe, interning is lock-free.
 */
public final class Skills
{
    /** A mask is a {@code long}: at most this many distinct skill names per JVM (README.md, "Embedding it"). */
    public static final int MAX_SKILLS = 64;

    private static final ConcurrentHashMap<String, Integer> IDS = new ConcurrentHashMap<>();
    private static final String[] NAMES = new String[MAX_SKILLS];
    private static final AtomicInteger NEXT = new AtomicInteger();

    private Skills()
    {
    }

    /**
     * @param name a skill name such as "java" or "security".
     * @return the bit index of that skill, assigned on first use.
     * @throws IllegalArgumentException if the name is null or blank.
     * @throws IllegalStateException if more than {@link #MAX_SKILLS} distinct names are used.
     */
    public static int id(final String name)
    {
        final Integer existing = IDS.get(checked(name));
        if (existing != null)
        {
            return existing;
        }
        return IDS.computeIfAbsent(name, Skills::assign);
    }

    /**
     * @return the bit index of a name that already has one, or -1; unlike {@link #id}, never assigns one. A task's
     *     requirement looks names up this way, so names that only tasks ever mention (a typo, a caller's free text)
     *     never use up the {@value #MAX_SKILLS} bits that agents' skills need.
     * @throws IllegalArgumentException if the name is null or blank.
     */
    public static int idIfKnown(final String name)
    {
        final Integer existing = IDS.get(checked(name));
        return existing == null ? -1 : existing;
    }

    private static String checked(final String name)
    {
        if (name == null || name.isBlank())
        {
            throw new IllegalArgumentException("skill name must be a non-blank string, got '" + name + "'");
        }
        return name;
    }

    private static Integer assign(final String name)
    {
        final int id = NEXT.getAndIncrement();
        if (id >= MAX_SKILLS)
        {
            NEXT.decrementAndGet();
            throw new IllegalStateException("too many distinct skills: Ringmaster supports at most " + MAX_SKILLS +
                " distinct skill names per JVM (each is one bit of a 64-bit mask, shared by every dispatcher in the JVM " +
                "and never released), and '" + name + "' would be number " + (id + 1) + ": group fine-grained skills " +
                "into broader ones, or carry the finer distinction in the task's payload or in agent types");
        }
        NAMES[id] = name;
        return id;
    }

    /** @return the mask with the bit of every named skill set. */
    public static long mask(final Collection<String> names)
    {
        long mask = 0;
        for (final String name : names)
        {
            mask |= 1L << id(name);
        }
        return mask;
    }

    /** @return the names of the skills in a mask, for messages and reports (allocates). */
    public static List<String> names(final long mask)
    {
        final List<String> names = new ArrayList<>(Long.bitCount(mask));
        long remaining = mask;
        while (remaining != 0)
        {
            final int bit = Long.numberOfTrailingZeros(remaining);
            names.add(NAMES[bit]);
            remaining &= remaining - 1;
        }
        return names;
    }
}
