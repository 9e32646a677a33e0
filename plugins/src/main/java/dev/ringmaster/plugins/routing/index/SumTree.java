package dev.ringmaster.plugins.routing.index;

/**
 * Sums of a fixed number of values by prefix, in O(log n) per update and query: a segment tree whose every inner node
 * is recomputed from its two children on each update (never adjusted by a difference, so rounding cannot drift over
 * many updates). Not thread-safe: owned by one strategy, called one thread at a time.
 */
final class SumTree
{
    /** Leaves start here: the smallest power of two that holds every value. */
    private final int leaves;
    private final double[] node;

    SumTree(final int size)
    {
        int m = 1;
        while (m < size)
        {
            m <<= 1;
        }
        leaves = m;
        node = new double[2 * m];
    }

    void set(final int index, final double value)
    {
        int i = index + leaves;
        if (node[i] == value)
        {
            return;
        }
        node[i] = value;
        for (i >>>= 1; i >= 1; i >>>= 1)
        {
            node[i] = node[2 * i] + node[2 * i + 1];
        }
    }

    double total()
    {
        return node[1];
    }

    /** @return the sum of the values at indexes 0 .. k - 1. */
    double prefix(final int k)
    {
        if (k >= leaves)
        {
            return node[1];
        }
        double sum = 0;
        // walk down from the root: each step right adds the left child's whole sum
        int i = 1;
        int lo = 0;
        int width = leaves;
        while (width > 1 && k > lo)
        {
            width >>>= 1;
            if (k >= lo + width)
            {
                sum += node[2 * i];
                lo += width;
                i = 2 * i + 1;
            }
            else
            {
                i = 2 * i;
            }
        }
        return sum;
    }

    /**
     * For a tree of non-negative integers: @return the index holding the {@code c}-th unit counted from index 0
     * (1-based), that is the smallest index whose prefix sum through it reaches c; c must be at most the total.
     */
    int indexOf(final int c)
    {
        int i = 1;
        double remaining = c;
        while (i < leaves)
        {
            if (node[2 * i] >= remaining)
            {
                i = 2 * i;
            }
            else
            {
                remaining -= node[2 * i];
                i = 2 * i + 1;
            }
        }
        return i - leaves;
    }
}
