package dev.ringmaster.spi;

import dev.ringmaster.model.Task;

import java.util.List;
import java.util.Objects;

/**
 * The payload of one dispatcher task that carries several member tasks sharing a context, for a {@link BatchAdapter}
 * to execute together; immutable and safe to share between threads.
 */
public final class Batch
{
    private final String key;
    private final List<Task> members;

    private Batch(final String key, final List<Task> members)
    {
        this.key = key;
        this.members = members;
    }

    /**
     * @param key     the context key the members share, or null for a batch of one plain task.
     * @param members the member tasks in arrival order, at least one.
     * @return a batch holding an immutable copy of the list.
     */
    public static Batch of(final String key, final List<Task> members)
    {
        Objects.requireNonNull(members, "batch members must not be null");
        if (members.isEmpty())
        {
            throw new IllegalArgumentException("a batch needs at least one member task");
        }
        return new Batch(key, List.copyOf(members));
    }

    /** @return the context key the members share, null for a plain task handed to a batch adapter as a batch of one. */
    public String key()
    {
        return key;
    }

    /** @return the member tasks in arrival order; member {@code i} reports through index {@code i}. */
    public List<Task> members()
    {
        return members;
    }

    /** @return how many member tasks the batch holds, at least 1. */
    public int size()
    {
        return members.size();
    }

    /** @return the member at index {@code i}. */
    public Task member(final int i)
    {
        return members.get(i);
    }

    @Override
    public String toString()
    {
        return "Batch{key=" + key + ", size=" + members.size() + '}';
    }
}
