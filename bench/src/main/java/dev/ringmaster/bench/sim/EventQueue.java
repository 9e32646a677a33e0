package dev.ringmaster.bench.sim;

import java.util.Arrays;

/**
 * A binary min-heap of completion events keyed by (virtual time, insertion order), holding task indices in primitive
 * arrays; owned by one simulation, single-threaded.
 *
 * <p>Ties in time break by insertion order, so two runs of the same simulation pop events in the same order.
 */
final class EventQueue
{
    private long[] times;
    private long[] seqs;
    private int[] tasks;
    private int size;
    private long nextSeq;

    EventQueue(final int initialCapacity)
    {
        final int capacity = Math.max(16, initialCapacity);
        times = new long[capacity];
        seqs = new long[capacity];
        tasks = new int[capacity];
    }

    boolean isEmpty()
    {
        return size == 0;
    }

    int size()
    {
        return size;
    }

    /** @return the time of the earliest event; only when not empty. */
    long peekTime()
    {
        return times[0];
    }

    void add(final long time, final int task)
    {
        if (size == times.length)
        {
            final int capacity = size * 2;
            times = Arrays.copyOf(times, capacity);
            seqs = Arrays.copyOf(seqs, capacity);
            tasks = Arrays.copyOf(tasks, capacity);
        }
        final long seq = nextSeq++;
        int i = size++;
        while (i > 0)
        {
            final int parent = (i - 1) >>> 1;
            if (!before(time, seq, times[parent], seqs[parent]))
            {
                break;
            }
            times[i] = times[parent];
            seqs[i] = seqs[parent];
            tasks[i] = tasks[parent];
            i = parent;
        }
        times[i] = time;
        seqs[i] = seq;
        tasks[i] = task;
    }

    /** Removes the earliest event. @return its task index; only when not empty. */
    int poll()
    {
        final int result = tasks[0];
        final int last = --size;
        if (last > 0)
        {
            final long time = times[last];
            final long seq = seqs[last];
            final int task = tasks[last];
            int i = 0;
            while (true)
            {
                int child = 2 * i + 1;
                if (child >= last)
                {
                    break;
                }
                if (child + 1 < last && before(times[child + 1], seqs[child + 1], times[child], seqs[child]))
                {
                    child++;
                }
                if (!before(times[child], seqs[child], time, seq))
                {
                    break;
                }
                times[i] = times[child];
                seqs[i] = seqs[child];
                tasks[i] = tasks[child];
                i = child;
            }
            times[i] = time;
            seqs[i] = seq;
            tasks[i] = task;
        }
        return result;
    }

    private static boolean before(final long timeA, final long seqA, final long timeB, final long seqB)
    {
        return timeA < timeB || (timeA == timeB && seqA < seqB);
    }
}
