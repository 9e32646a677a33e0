package dev.ringmaster.bench.sim;

/**
 * Per-task fields (longs) for the tasks a run still needs, by task index, side by side so that reading one task's
 * fields is one cache miss and not one per field: either every task, or a ring over the window from the oldest task
 * not yet {@link #retireBelow retired} to the newest {@link #open opened}, which doubles when a new task would
 * overwrite a live one. A streamed run of 10^8 tasks keeps only the tasks in the system, so its memory follows the
 * queues and not the run's length. Single-threaded; the array is replaced when the ring grows, so read it through
 * {@link #data()} after any {@link #open}.
 */
final class TaskWindow
{
    private static final int INITIAL_RING = 1 << 12;

    private final boolean keepAll;
    private final int width;
    private long[] data;
    private int mask;
    private int oldest;
    private int opened;

    /**
     * @param tasks   every task, if {@code keepAll}.
     * @param keepAll one slot per task (no ring, nothing retired) rather than a ring.
     * @param width   fields per task.
     */
    TaskWindow(final int tasks, final boolean keepAll, final int width)
    {
        this.keepAll = keepAll;
        this.width = width;
        final int size = keepAll ? tasks : INITIAL_RING;
        this.mask = size - 1;
        this.data = new long[Math.multiplyExact(size, width)];
    }

    /** @return where task i's fields start in {@link #data()}; task i must be opened and not retired. */
    int base(final int i)
    {
        return (keepAll ? i : i & mask) * width;
    }

    /** @return every slot's fields, {@code width} per task. */
    long[] data()
    {
        return data;
    }

    /** Makes a slot for task i, the next after the last opened, growing the ring if every slot holds a live task. */
    void open(final int i)
    {
        if (!keepAll && i - oldest > mask)
        {
            grow();
        }
        opened = i + 1;
    }

    /** @return one past the newest opened task. */
    int opened()
    {
        return opened;
    }

    /** Frees the slots of the tasks below i, also of those not opened yet, which will not be read once opened. */
    void retireBelow(final int i)
    {
        if (i > oldest)
        {
            oldest = i;
        }
    }

    /** @return the oldest task not retired. */
    int oldest()
    {
        return oldest;
    }

    /** @return tasks the window holds room for: the ring's size, which grows with the window and not with the run. */
    int capacity()
    {
        return mask + 1;
    }

    private void grow()
    {
        final int size = (mask + 1) * 2;
        if (size <= 0 || size > Integer.MAX_VALUE / width)
        {
            throw new IllegalStateException("more than " + (mask + 1) + " tasks in the system at once; the run is unstable");
        }
        final int newMask = size - 1;
        final long[] grown = new long[size * width];
        for (int t = oldest; t < opened; t++)
        {
            System.arraycopy(data, (t & mask) * width, grown, (t & newMask) * width, width);
        }
        data = grown;
        mask = newMask;
    }

    /** @return one field of every task (keep-all windows only), as a new array. */
    long[] column(final int field)
    {
        if (!keepAll)
        {
            throw new IllegalStateException("a streamed run keeps only the tasks in the system");
        }
        final long[] column = new long[mask + 1];
        for (int i = 0; i < column.length; i++)
        {
            column[i] = data[i * width + field];
        }
        return column;
    }

    /** @return {@link #column} as ints, for fields that hold an int. */
    int[] intColumn(final int field)
    {
        final long[] longs = column(field);
        final int[] ints = new int[longs.length];
        for (int i = 0; i < ints.length; i++)
        {
            ints[i] = (int)longs[i];
        }
        return ints;
    }
}
