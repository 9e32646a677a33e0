package dev.ringmaster.bench.sim;

import java.util.Arrays;

/**
 * The tasks waiting to start on one simulated agent, a binary min-heap on urgency (priority, then arrival order), so
 * that an early-bound agent's FIFO queue of hundreds of tasks costs O(log n) per start and not a scan; it grows as
 * needed. Owned by one {@link SimAgent}, single-threaded.
 */
final class SimInbox
{
    private int[] tasks;
    private long[] urgency;
    private int size;

    SimInbox(final int initialCapacity)
    {
        this.tasks = new int[Math.max(1, initialCapacity)];
        this.urgency = new long[tasks.length];
    }

    int size()
    {
        return size;
    }

    void add(final int task, final long urgencyKey)
    {
        if (size == tasks.length)
        {
            tasks = Arrays.copyOf(tasks, size * 2);
            urgency = Arrays.copyOf(urgency, size * 2);
        }
        tasks[size] = task;
        urgency[size] = urgencyKey;
        siftUp(size++);
    }

    /** @return the most urgent waiting task (lowest urgency value), removed; -1 if none. */
    int takeMostUrgent()
    {
        return size == 0 ? -1 : removeAt(0);
    }

    /**
     * @param movable which tasks may move (a steal guard), or null for any.
     * @return the least urgent waiting task whose skills the thief has, removed; -1 if none.
     */
    int stealLeastUrgent(final long thiefSkills, final TaskSource workload, final java.util.function.IntPredicate movable)
    {
        int best = -1;
        for (int i = 0; i < size; i++)
        {
            if ((workload.skills(tasks[i]) & ~thiefSkills) == 0 && (best < 0 || urgency[i] > urgency[best]) &&
                (movable == null || movable.test(tasks[i])))
            {
                best = i;
            }
        }
        return best < 0 ? -1 : removeAt(best);
    }

    private int removeAt(final int i)
    {
        final int task = tasks[i];
        final int last = --size;
        if (i != last)
        {
            tasks[i] = tasks[last];
            urgency[i] = urgency[last];
            siftDown(i);
            siftUp(i);
        }
        return task;
    }

    private void siftUp(final int from)
    {
        int i = from;
        while (i > 0)
        {
            final int parent = (i - 1) >>> 1;
            if (urgency[parent] <= urgency[i])
            {
                return;
            }
            swap(i, parent);
            i = parent;
        }
    }

    private void siftDown(final int from)
    {
        int i = from;
        while (true)
        {
            final int left = 2 * i + 1;
            if (left >= size)
            {
                return;
            }
            final int right = left + 1;
            final int child = right < size && urgency[right] < urgency[left] ? right : left;
            if (urgency[i] <= urgency[child])
            {
                return;
            }
            swap(i, child);
            i = child;
        }
    }

    private void swap(final int a, final int b)
    {
        final int t = tasks[a];
        tasks[a] = tasks[b];
        tasks[b] = t;
        final long u = urgency[a];
        urgency[a] = urgency[b];
        urgency[b] = u;
    }
}
