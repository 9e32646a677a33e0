package dev.ringmaster.plugins.routing;

/**
 * The tasks a strategy has declined and not placed since, by acceptance sequence, in a fixed array (no allocation
 * after construction); confined to the routing role's holder, like the strategy that owns it.
 *
 * <p>A strategy sees a declined task again only when it is retried, so an entry whose task was cancelled or expired
 * in the queue would stay forever: entries older than a horizon are dropped on each scan. When the array is full a
 * new task is not tracked, which only makes its holder underestimate the queue of held tasks.
 */
final class HeldTasks
{
    private final long[] sequences;
    private final long[] acceptedNanos;
    private final int[] declines;
    /** The task's type: tasks of another type wait for other agents, so they are not ahead of it. */
    private final String[] types;
    private int size;

    HeldTasks(final int capacity)
    {
        this.sequences = new long[capacity];
        this.acceptedNanos = new long[capacity];
        this.declines = new int[capacity];
        this.types = new String[capacity];
    }

    /**
     * Drops entries accepted before {@code oldestNanos} and counts the held tasks of the type older than the given
     * one.
     *
     * @return how many tracked held tasks of {@code type} were accepted before {@code sequence}: those retried ahead
     *     of it.
     */
    int ahead(final long sequence, final String type, final long oldestNanos)
    {
        int ahead = 0;
        for (int i = 0; i < size; )
        {
            if (acceptedNanos[i] < oldestNanos)
            {
                removeAt(i);
                continue;
            }
            if (sequences[i] < sequence && type.equals(types[i]))
            {
                ahead++;
            }
            i++;
        }
        return ahead;
    }

    /** Records one more decline of a task; no change if it is new and the array is full. */
    void hold(final long sequence, final long accepted, final String type)
    {
        final int i = indexOf(sequence);
        if (i >= 0)
        {
            declines[i]++;
            return;
        }
        if (size == sequences.length)
        {
            return;
        }
        sequences[size] = sequence;
        acceptedNanos[size] = accepted;
        declines[size] = 1;
        types[size] = type;
        size++;
    }

    /** @return how many times the task was declined while tracked, 0 if it is not held. */
    int declines(final long sequence)
    {
        final int i = indexOf(sequence);
        return i < 0 ? 0 : declines[i];
    }

    /** Forgets a task once it is placed; no change if it was not held. */
    void release(final long sequence)
    {
        final int i = indexOf(sequence);
        if (i >= 0)
        {
            removeAt(i);
        }
    }

    int size()
    {
        return size;
    }

    private int indexOf(final long sequence)
    {
        for (int i = 0; i < size; i++)
        {
            if (sequences[i] == sequence)
            {
                return i;
            }
        }
        return -1;
    }

    private void removeAt(final int i)
    {
        final int last = --size;
        sequences[i] = sequences[last];
        acceptedNanos[i] = acceptedNanos[last];
        declines[i] = declines[last];
        types[i] = types[last];
        types[last] = null;
    }
}
