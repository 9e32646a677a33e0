package dev.ringmaster.plugins.routing.index;

import java.util.Arrays;

/**
 * {@link RankedAgents} as an indexed binary heap, best on top: O(log n) per change for any score; walked best-first
 * through a second heap of the positions still to visit. Not thread-safe: owned by one {@link ScoreIndex}.
 */
final class ScoreHeap extends RankedAgents
{
    private final int[] items;
    /** Pool position to heap position, -1 for a non-member. */
    private final int[] where;
    private int size;
    /** Heap positions still to visit in the current walk, as a binary heap ordered like this one. */
    private int[] frontier = new int[64];
    private int frontierSize;

    /** @param members the pool positions to rank (their keys already in {@link #key}), in any order. */
    ScoreHeap(final long mask, final int group, final int poolSize, final int[] members, final int count,
              final double[] keys, final long[] stamp)
    {
        super(mask, group, poolSize);
        items = new int[poolSize];
        where = new int[poolSize];
        Arrays.fill(where, -1);
        for (int i = 0; i < count; i++)
        {
            final int p = members[i];
            key[p] = keys[p];
            where[p] = size;
            items[size++] = p;
        }
        for (int i = (size >>> 1) - 1; i >= 0; i--)
        {
            down(i, stamp);
        }
    }

    @Override
    boolean contains(final int position)
    {
        return where[position] >= 0;
    }

    @Override
    void add(final int position, final double score, final long[] stamp)
    {
        key[position] = score;
        place(size++, position);
        up(size - 1, stamp);
    }

    @Override
    void remove(final int position, final long[] stamp)
    {
        final int at = where[position];
        final int last = items[--size];
        where[position] = -1;
        if (at < size)
        {
            place(at, last);
            fix(at, stamp);
        }
    }

    @Override
    void update(final int position, final double score, final long[] stamp)
    {
        key[position] = score;
        fix(where[position], stamp);
    }

    @Override
    int first(final long[] stamp)
    {
        frontierSize = 0;
        if (size > 0)
        {
            push(0, stamp);
        }
        return next(stamp);
    }

    @Override
    int next(final long[] stamp)
    {
        if (frontierSize == 0)
        {
            return -1;
        }
        final int at = pop(stamp);
        final int left = 2 * at + 1;
        if (left < size)
        {
            push(left, stamp);
            if (left + 1 < size)
            {
                push(left + 1, stamp);
            }
        }
        return items[at];
    }

    /** @return true if the agent at position {@code a} ranks before the one at {@code b}. */
    private boolean before(final int a, final int b, final long[] stamp)
    {
        final double ka = key[a];
        final double kb = key[b];
        return ka > kb || (ka == kb && stamp[a] < stamp[b]);
    }

    private void push(final int at, final long[] stamp)
    {
        if (frontierSize == frontier.length)
        {
            frontier = Arrays.copyOf(frontier, frontierSize * 2);
        }
        int i = frontierSize++;
        while (i > 0)
        {
            final int parent = (i - 1) >>> 1;
            if (!before(items[at], items[frontier[parent]], stamp))
            {
                break;
            }
            frontier[i] = frontier[parent];
            i = parent;
        }
        frontier[i] = at;
    }

    private int pop(final long[] stamp)
    {
        final int top = frontier[0];
        final int last = frontier[--frontierSize];
        int i = 0;
        while (true)
        {
            int child = 2 * i + 1;
            if (child >= frontierSize)
            {
                break;
            }
            if (child + 1 < frontierSize && before(items[frontier[child + 1]], items[frontier[child]], stamp))
            {
                child++;
            }
            if (!before(items[frontier[child]], items[last], stamp))
            {
                break;
            }
            frontier[i] = frontier[child];
            i = child;
        }
        if (frontierSize > 0)
        {
            frontier[i] = last;
        }
        return top;
    }

    private void fix(final int at, final long[] stamp)
    {
        if (!up(at, stamp))
        {
            down(at, stamp);
        }
    }

    private boolean up(final int at, final long[] stamp)
    {
        final int p = items[at];
        int i = at;
        while (i > 0)
        {
            final int parent = (i - 1) >>> 1;
            if (!before(p, items[parent], stamp))
            {
                break;
            }
            place(i, items[parent]);
            i = parent;
        }
        place(i, p);
        return i != at;
    }

    private void down(final int at, final long[] stamp)
    {
        final int p = items[at];
        int i = at;
        while (true)
        {
            int child = 2 * i + 1;
            if (child >= size)
            {
                break;
            }
            if (child + 1 < size && before(items[child + 1], items[child], stamp))
            {
                child++;
            }
            if (!before(items[child], p, stamp))
            {
                break;
            }
            place(i, items[child]);
            i = child;
        }
        place(i, p);
    }

    private void place(final int at, final int position)
    {
        items[at] = position;
        where[position] = at;
    }
}
