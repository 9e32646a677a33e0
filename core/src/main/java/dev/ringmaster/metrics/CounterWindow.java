package dev.ringmaster.metrics;

import java.util.concurrent.TimeUnit;

/**
 * Samples of a few monotonic counters, at most one a second over the last minute, from which the counts of the
 * recent window are taken; readers serialized by a monitor, any thread (off the dispatch path).
 *
 * <p>The window starts at the oldest sample at most {@link HistogramAccumulator#WINDOW_SECONDS} seconds old; its span
 * says how long it really is: the time since start in the first minute, then a minute less at most a second when
 * read every second, and longer if nobody read for a minute (then it starts at the read before).
 */
public final class CounterWindow
{
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final long WINDOW = HistogramAccumulator.WINDOW_SECONDS * SECOND;
    /** One more than the window's seconds, so the sample a minute old is still there. */
    private static final int SAMPLES = HistogramAccumulator.WINDOW_SECONDS + 2;

    private final int width;
    private final long[] at = new long[SAMPLES];
    private final long[][] values;
    private int newest = -1;
    private int count;

    /** @param width how many counters each sample holds. */
    public CounterWindow(final int width)
    {
        this.width = width;
        this.values = new long[SAMPLES][width];
    }

    /**
     * Gives the window its first sample, every counter 0 at {@code startNanos} (when the counted thing started), so
     * that what was counted before the first read is in the window; does nothing once there is a sample.
     */
    public synchronized void startAt(final long startNanos)
    {
        if (count == 0)
        {
            newest = 0;
            at[0] = startNanos;
            java.util.Arrays.fill(values[0], 0);
            count = 1;
        }
    }

    /**
     * Samples the counters at {@code nowNanos} (kept if a second passed since the last kept sample) and answers how
     * much each grew over the window.
     *
     * @param counters the counters' values now, {@code width} of them; not kept.
     * @param deltas   receives, per counter, its growth over the window.
     * @return the window's span in nanoseconds (0 on the first call).
     */
    public synchronized long sample(final long nowNanos, final long[] counters, final long[] deltas)
    {
        if (count == 0 || nowNanos - at[newest] >= SECOND)
        {
            newest = (newest + 1) % SAMPLES;
            at[newest] = nowNanos;
            System.arraycopy(counters, 0, values[newest], 0, width);
            count = Math.min(count + 1, SAMPLES);
        }
        int from = newest;
        for (int k = 1; k < count; k++)
        {
            final int i = Math.floorMod(newest - k, SAMPLES);
            if (nowNanos - at[i] <= WINDOW)
            {
                from = i;
            }
            else
            {
                if (from == newest)
                {
                    from = i; // nobody read for a minute: the window reaches back to the read before
                }
                break;
            }
        }
        for (int c = 0; c < width; c++)
        {
            deltas[c] = counters[c] - values[from][c];
        }
        return nowNanos - at[from];
    }
}
