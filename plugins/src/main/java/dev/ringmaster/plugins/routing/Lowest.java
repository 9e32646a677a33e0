package dev.ringmaster.plugins.routing;

/**
 * The lowest cost and the runner-up of one scan over candidates, for strategies that pick a minimum and report the
 * second best, with the scan order that makes ties take turns; a reusable accumulator owned by one strategy, so
 * confined to the routing role's holder like it, and never allocating.
 */
final class Lowest
{
    int index = -1;
    double cost = Double.MAX_VALUE;
    double second = Double.MAX_VALUE;

    /** Forgets the previous scan. */
    Lowest reset()
    {
        index = -1;
        cost = Double.MAX_VALUE;
        second = Double.MAX_VALUE;
        return this;
    }

    /** Counts one candidate; a tie keeps the earlier one, so the scan order decides ties. */
    void offer(final int i, final double c)
    {
        if (c < cost)
        {
            second = cost;
            cost = c;
            index = i;
        }
        else if (c < second)
        {
            second = c;
        }
    }

    /** @return the runner-up's cost, NaN if there was a single candidate. */
    double secondOrNaN()
    {
        return second == Double.MAX_VALUE ? Double.NaN : second;
    }

    /**
     * @param k     the step of a scan over n candidates that starts at {@code start}.
     * @return the candidate index visited at step k: start, start + 1, ... wrapping around, so that a strategy that
     *     starts just after its last winner gives equal candidates turns.
     */
    static int rotated(final int k, final int start, final int n)
    {
        return k + start < n ? k + start : k + start - n;
    }
}
