package dev.ringmaster.dispatch.internal;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * One HdrHistogram recorder per {@link Stage}; the router thread is the single writer (wait-free, allocation-free
 * records), metrics readers take interval histograms from the other side.
 */
public final class StageRecorders
{
    /** One hour in nanoseconds: longer values are clamped, a fixed range keeps recording allocation-free. */
    public static final long HIGHEST_TRACKABLE_NANOS = 3_600_000_000_000L;

    private final SingleWriterRecorder[] recorders = new SingleWriterRecorder[Stage.values().length];

    StageRecorders()
    {
        for (int i = 0; i < recorders.length; i++)
        {
            recorders[i] = new SingleWriterRecorder(1, HIGHEST_TRACKABLE_NANOS, 3);
        }
    }

    void record(final Stage stage, final long nanos)
    {
        recorders[stage.ordinal()].recordValue(Math.max(1, Math.min(nanos, HIGHEST_TRACKABLE_NANOS)));
    }

    /** Reader side: the values recorded since the last call, into {@code recycle} if not null. */
    public Histogram intervalHistogram(final Stage stage, final Histogram recycle)
    {
        return recorders[stage.ordinal()].getIntervalHistogram(recycle);
    }
}
