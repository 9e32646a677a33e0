package dev.ringmaster.metrics;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.IntCountsHistogram;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

/**
 * Reader side of a recorder, safe to call from any thread: folds interval histograms into a running total and into a
 * ring of per-second slots of the last minute; the writer never touches this class and concurrent readers are
 * serialized by a monitor, fine off the dispatch path.
 *
 * <p>Values land in the slot of the second in which a reader drained them, so the window is as sharp as reads are
 * frequent: the admin endpoint drains once a second. Slots keep two significant digits (1% resolution, 18 KB each,
 * allocated for a second that had values), the running total three.
 */
public final class HistogramAccumulator
{
    /** Length of the recent window, in one-second slots. */
    public static final int WINDOW_SECONDS = 60;
    private static final long HIGHEST = 3_600_000_000_000L;
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final UnaryOperator<Histogram> intervalSource;
    private final LongSupplier nanoClock;
    private final Histogram total = new Histogram(HIGHEST, 3);
    private final IntCountsHistogram[] slots = new IntCountsHistogram[WINDOW_SECONDS];
    /** The second (of the clock) whose values each slot holds. */
    private final long[] slotSecond = new long[WINDOW_SECONDS];
    private final Histogram windowSum = new Histogram(1, HIGHEST, 2);
    private Histogram recycle;

    /** @param intervalSource returns the values recorded since its last call, reusing the histogram it is given. */
    public HistogramAccumulator(final UnaryOperator<Histogram> intervalSource)
    {
        this(intervalSource, System::nanoTime);
    }

    /** @param nanoClock the time slots are kept by, {@link System#nanoTime()} but in tests. */
    public HistogramAccumulator(final UnaryOperator<Histogram> intervalSource, final LongSupplier nanoClock)
    {
        this.intervalSource = intervalSource;
        this.nanoClock = nanoClock;
    }

    /** @return a copy of everything recorded so far. */
    public synchronized Histogram cumulative()
    {
        drain();
        return total.copy();
    }

    /** @return a copy of the values recorded in the last {@link #WINDOW_SECONDS} seconds (two significant digits). */
    public synchronized Histogram recent()
    {
        final long second = drain();
        windowSum.reset();
        for (int i = 0; i < WINDOW_SECONDS; i++)
        {
            if (slots[i] != null && second - slotSecond[i] < WINDOW_SECONDS)
            {
                windowSum.add(slots[i]);
            }
        }
        return windowSum.copy();
    }

    /** Takes the values recorded since the last drain into the total and the current second's slot. */
    private long drain()
    {
        final long second = Math.floorDiv(nanoClock.getAsLong(), SECOND);
        recycle = intervalSource.apply(recycle);
        if (recycle.getTotalCount() == 0)
        {
            return second;
        }
        total.add(recycle);
        final int i = (int)Math.floorMod(second, (long)WINDOW_SECONDS);
        if (slots[i] == null)
        {
            slots[i] = new IntCountsHistogram(1, HIGHEST, 2);
        }
        else if (slotSecond[i] != second)
        {
            slots[i].reset(); // a second a minute or more ago
        }
        slotSecond[i] = second;
        slots[i].add(recycle);
        return second;
    }
}
