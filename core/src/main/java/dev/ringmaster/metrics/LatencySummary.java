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
}
