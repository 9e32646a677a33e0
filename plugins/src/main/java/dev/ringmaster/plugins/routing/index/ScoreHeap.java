package dev.ringmaster.plugins.routing.index;

import java.util.Arrays;

/**
 * {@link RankedAgents} as an indexed binary heap, best on top: O(log n) per change for any score; walked best-first
 * through a second heap of the positions still to visit. Not thread-safe: owned by one {@link ScoreIndex}.
 */
final class ScoreHeap extends RankedAgents
{
    private final int[] items;
    /**
     * The key and stamp of the member at each heap position, beside {@link #items}: a sift compares a node with its
     * children, which sit next to each other here, where reading them by pool position cost a cache miss per key once
     * the pool outgrew the cache (thousands of agents, one heap per skill mask).
     */
    private final double[] heapKey;
    private final long[] heapStamp;
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
        heapKey = new double[poolSize];
        heapStamp = new long[poolSize];
        where = new int[poolSize];
        Arrays.fill(where, -1);
        for (int i = 0; i < count; i++)
        {
            final int p = members[i];
            key[p] = keys[p];
            set(size++, p, keys[p], stamp[p]);
        }
        for (int i = (size >>> 1) - 1; i >= 0; i--)
        {
            down(i);
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
        set(size++, position, score, stamp[position]);
        up(size - 1);
    }

    @Override
    void remove(final int position, final long[] stamp)
    {
        final int at = where[position];
        where[position] = -1;
        if (at < --size)
        {
            move(size, at);
            fix(at);
        }
    }

    @Override
    void update(final int position, final double score, final long[] stamp)
    {
        key[position] = score;
        final int at = where[position];
        final long s = stamp[position];
        if (heapKey[at] == score && heapStamp[at] == s)
        {
            return; // a release that left a busy agent busy, a telemetry event that moved nothing: same place
        }
        heapKey[at] = score;
        heapStamp[at] = s;
        fix(at);
    }

    @Override
    int first(final long[] stamp)
    {
        frontierSize = 0;
        if (size > 0)
        {
            push(0);
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
        final int at = pop();
        final int left = 2 * at + 1;
        if (left < size)
        {
            push(left);
            if (left + 1 < size)
            {
                push(left + 1);
            }
        }
        return items[at];
    }

    /** @return true if the member at heap position {@code a} ranks before the one at heap position {@code b}. */
    private boolean before(final int a, final int b)
    {
        final double ka = heapKey[a];
        final double kb = heapKey[b];
        return ka > kb || (ka == kb && heapStamp[a] < heapStamp[b]);
    }

    private void push(final int at)
    {
        if (frontierSize == frontier.length)
        {
            frontier = Arrays.copyOf(frontier, frontierSize * 2);
        }
        int i = frontierSize++;
        while (i > 0)
        {
            final int parent = (i - 1) >>> 1;
            if (!before(at, frontier[parent]))
            {
                break;
            }
            frontier[i] = frontier[parent];
            i = parent;
        }
        frontier[i] = at;
    }

    private int pop()
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
            if (child + 1 < frontierSize && before(frontier[child + 1], frontier[child]))
            {
                child++;
            }
            if (!before(frontier[child], last))
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

    private void fix(final int at)
    {
        if (!up(at))
        {
            down(at);
        }
    }

    /** @return true if the member at {@code at} moved towards the top. */
    private boolean up(final int at)
    {
        final int p = items[at];
        final double k = heapKey[at];
        final long s = heapStamp[at];
        int i = at;
        while (i > 0)
        {
            final int parent = (i - 1) >>> 1;
            final double kp = heapKey[parent];
            if (!(k > kp || (k == kp && s < heapStamp[parent])))
            {
                break;
            }
            move(parent, i);
            i = parent;
        }
        if (i == at)
        {
            return false;
        }
        set(i, p, k, s);
        return true;
    }

    private void down(final int at)
    {
        final int p = items[at];
        final double k = heapKey[at];
        final long s = heapStamp[at];
        int i = at;
        while (true)
        {
            int child = 2 * i + 1;
            if (child >= size)
            {
                break;
            }
            if (child + 1 < size && before(child + 1, child))
            {
                child++;
            }
            final double kc = heapKey[child];
            if (!(kc > k || (kc == k && heapStamp[child] < s)))
            {
                break;
            }
            move(child, i);
            i = child;
        }
        if (i != at)
        {
            set(i, p, k, s);
        }
    }

    /** Moves the member at heap position {@code from} to {@code to}, overwriting what was there. */
    private void move(final int from, final int to)
    {
        final int position = items[from];
        items[to] = position;
        heapKey[to] = heapKey[from];
        heapStamp[to] = heapStamp[from];
        where[position] = to;
    }

    private void set(final int at, final int position, final double k, final long s)
    {
        items[at] = position;
        heapKey[at] = k;
        heapStamp[at] = s;
        where[position] = at;
    }
}
