package dev.ringmaster.autoscale;

import java.util.Arrays;

/**
 * What {@link ScalingDecider#decide} remembers about one agent type between evaluations; an immutable value, so a
 * decision can be replayed or explored in virtual time.
 *
 * @param aboveCount    evaluations in a row with utilization above the scale-up threshold.
 * @param belowCount    evaluations in a row with utilization below the scale-down threshold.
 * @param lastUpNanos   when the pool last grew, or {@link #NEVER}.
 * @param lastDownNanos when the pool last shrank, or {@link #NEVER}.
 * @param recentDemand  the demand (in flight + queued) sampled within the last scale-down cooldown.
 * @param lastAddFailedNanos when an addition last failed (the factory or the fleet refused it), or {@link #NEVER}.
 */
public record ScalingState(int aboveCount, int belowCount, long lastUpNanos, long lastDownNanos,
                           DemandWindow recentDemand, long lastAddFailedNanos)
{
    /** Marks a change that has not happened. */
    public static final long NEVER = Long.MIN_VALUE;

    /** A state in which no addition has failed. */
    public ScalingState(final int aboveCount, final int belowCount, final long lastUpNanos, final long lastDownNanos,
                        final DemandWindow recentDemand)
    {
        this(aboveCount, belowCount, lastUpNanos, lastDownNanos, recentDemand, NEVER);
    }

    /** @return the state of a type the autoscaler has not evaluated yet: no counts, no change, no cooldown. */
    public static ScalingState initial()
    {
        return new ScalingState(0, 0, NEVER, NEVER, DemandWindow.EMPTY);
    }

    /** @return this state, remembering that an addition failed at {@code nowNanos}. */
    public ScalingState withAddFailed(final long nowNanos)
    {
        return new ScalingState(aboveCount, belowCount, lastUpNanos, lastDownNanos, recentDemand, nowNanos);
    }

    /** @return the time of the last change of either kind, or {@link #NEVER}. */
    public long lastChangeNanos()
    {
        return Math.max(lastUpNanos, lastDownNanos);
    }

    /** @return true if {@code since} is a real time and less than {@code cooldownNanos} has passed since it. */
    static boolean cooling(final long since, final long cooldownNanos, final long nowNanos)
    {
        // nanoTime may be negative, so NEVER is tested apart instead of relying on now - since being large
        return since != NEVER && nowNanos - since < cooldownNanos;
    }

    /**
     * The highest demand sampled in a sliding window of time, kept as a monotonic queue (times rising, demands
     * falling), so it holds at most one entry per evaluation in the window and usually far fewer; immutable.
     */
    public static final class DemandWindow
    {
        static final DemandWindow EMPTY = new DemandWindow(new long[0], new long[0]);

        private final long[] nanos;
        private final long[] demand;

        private DemandWindow(final long[] nanos, final long[] demand)
        {
            this.nanos = nanos;
            this.demand = demand;
        }

        /**
         * @return a window with the samples newer than {@code now - windowNanos} and this one; a sample no higher
         *     than a later one can never be the peak again and is dropped.
         */
        DemandWindow with(final long nowNanos, final long sample, final long windowNanos)
        {
            int from = 0;
            while (from < nanos.length && nanos[from] - (nowNanos - windowNanos) <= 0)
            {
                from++;
            }
            int to = nanos.length;
            while (to > from && demand[to - 1] <= sample)
            {
                to--;
            }
            final long[] n = Arrays.copyOf(Arrays.copyOfRange(nanos, from, to), to - from + 1);
            final long[] d = Arrays.copyOf(Arrays.copyOfRange(demand, from, to), to - from + 1);
            n[n.length - 1] = nowNanos;
            d[d.length - 1] = sample;
            return new DemandWindow(n, d);
        }

        /** @return the highest demand in the window, 0 if it is empty. */
        public long peak()
        {
            return demand.length == 0 ? 0 : demand[0];
        }

        /** @return samples kept. */
        public int size()
        {
            return demand.length;
        }

        @Override
        public boolean equals(final Object o)
        {
            return o instanceof DemandWindow w && Arrays.equals(nanos, w.nanos) && Arrays.equals(demand, w.demand);
        }

        @Override
        public int hashCode()
        {
            return 31 * Arrays.hashCode(nanos) + Arrays.hashCode(demand);
        }

        @Override
        public String toString()
        {
            return "DemandWindow{peak=" + peak() + ", samples=" + demand.length + '}';
        }
    }
}
