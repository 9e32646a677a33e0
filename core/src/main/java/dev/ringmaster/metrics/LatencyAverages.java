package dev.ringmaster.metrics;

/**
 * The per-agent averages the dispatcher routes by (latency EWMA, peak EWMA, quality EWMA), as plain functions so that
 * whatever re-enacts a decision (the simulator, {@code audit --explain}) computes exactly what the router did;
 * stateless, any thread.
 */
public final class LatencyAverages
{
    /** Weight of a new sample in the latency and quality EWMAs. */
    public static final double ALPHA = 0.2;
    /** Time constant of the peak EWMA's decay. */
    public static final double PEAK_DECAY_NANOS = 1e9;

    private LatencyAverages()
    {
    }

    /** @return the latency EWMA after {@code sampleNanos}; the first sample (previous 0) is taken as it is. */
    public static double ewma(final double previous, final long sampleNanos)
    {
        return previous == 0 ? sampleNanos : previous + ALPHA * (sampleNanos - previous);
    }

    /**
     * @return the peak EWMA after {@code sampleNanos}, {@code sinceLastNanos} after the previous sample: a slower sample
     *     counts at once, so a balancer backs off quickly; a faster one with a weight that grows with the time since the
     *     last, so a burst of fast results does not erase a recent slow one in a few microseconds.
     */
    public static double peakEwma(final double previous, final long sampleNanos, final long sinceLastNanos)
    {
        if (sampleNanos > previous)
        {
            return sampleNanos;
        }
        final double w = Math.exp(-sinceLastNanos / PEAK_DECAY_NANOS);
        return previous * w + sampleNanos * (1 - w);
    }

    /** @return the quality EWMA after {@code quality}. */
    public static double quality(final double previous, final double quality)
    {
        return previous + ALPHA * (quality - previous);
    }
}
