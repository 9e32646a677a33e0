package dev.ringmaster.metrics;

import org.HdrHistogram.Histogram;

/**
 * Percentiles of one stage, in nanoseconds, with the histogram they came from; immutable (the histogram is a
 * private copy).
 */
public record LatencySummary(long count, double meanNanos, long p50Nanos, long p90Nanos, long p99Nanos,
                             long p999Nanos, long maxNanos, Histogram histogram)
{
    /** @return the summary of a histogram, which the record keeps. */
    public static LatencySummary of(final Histogram h)
    {
        if (h.getTotalCount() == 0)
        {
            return new LatencySummary(0, 0, 0, 0, 0, 0, 0, h);
        }
        return new LatencySummary(h.getTotalCount(), h.getMean(), h.getValueAtPercentile(50),
            h.getValueAtPercentile(90), h.getValueAtPercentile(99), h.getValueAtPercentile(99.9), h.getMaxValue(), h);
    }

    /**
     * The summary of a recent window whose values are all in {@code total} too, with its max never above the total's:
     * the window keeps two significant digits and the total three, so the same value tops a wider bucket in the window
     * and "max over the last 60 s" read above "max since start". Both maxima bound the true one from above; the
     * lower is the tighter bound.
     */
    public static LatencySummary ofWindow(final Histogram recent, final Histogram total)
    {
        final LatencySummary s = of(recent);
        if (s.count() == 0 || total.getTotalCount() == 0)
        {
            return s;
        }
        final long max = Math.min(s.maxNanos(), total.getMaxValue());
        return new LatencySummary(s.count(), s.meanNanos(), Math.min(s.p50Nanos(), max), Math.min(s.p90Nanos(), max),
            Math.min(s.p99Nanos(), max), Math.min(s.p999Nanos(), max), max, recent);
    }
}
