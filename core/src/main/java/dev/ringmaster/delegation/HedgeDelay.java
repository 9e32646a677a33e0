package dev.ringmaster.delegation;

import java.time.Duration;
import java.util.Objects;

/**
 * When a {@link Hedger} sends its second copy: after a fixed delay, or after a percentile of the latencies it has
 * observed for the task's type; immutable and thread-safe.
 */
public final class HedgeDelay
{
    private final double percentile;
    private final long initialNanos;
    private final int minSamples;

    private HedgeDelay(final double percentile, final long initialNanos, final int minSamples)
    {
        this.percentile = percentile;
        this.initialNanos = initialNanos;
        this.minSamples = minSamples;
    }

    /**
     * @param delay how long the first copy may run before the hedge is sent, positive.
     * @return a policy that ignores observed latency.
     */
    public static HedgeDelay fixed(final Duration delay)
    {
        return new HedgeDelay(Double.NaN, positive(delay), 0);
    }

    /**
     * Tail chopping as in Finagle's backup requests: hedge once a copy is slower than {@code percentile} of what the
     * hedger has seen for the type (dispatcher acceptance to completion, every completed copy).
     *
     * @param percentile   in (0, 100), e.g. 95: about 5% of requests get hedged once the samples are in.
     * @param initialDelay used for a type until it has {@code minSamples} completed copies.
     * @param minSamples   completed copies needed before the percentile is trusted, at least 1.
     */
    public static HedgeDelay percentile(final double percentile, final Duration initialDelay, final int minSamples)
    {
        if (!(percentile > 0 && percentile < 100))
        {
            throw new IllegalArgumentException("hedge percentile must be in (0, 100), got " + percentile);
        }
        if (minSamples < 1)
        {
            throw new IllegalArgumentException("minSamples must be >= 1, got " + minSamples);
        }
        return new HedgeDelay(percentile, positive(initialDelay), minSamples);
    }

    /** @return true for {@link #percentile}, false for {@link #fixed}. */
    public boolean adaptive()
    {
        return !Double.isNaN(percentile);
    }

    /** @return the percentile in (0, 100), or NaN for a fixed delay. */
    public double percentileValue()
    {
        return percentile;
    }

    /** @return the fixed delay, or the delay used before enough samples, in nanoseconds. */
    public long initialNanos()
    {
        return initialNanos;
    }

    /** @return samples needed before the percentile is used, 0 for a fixed delay. */
    public int minSamples()
    {
        return minSamples;
    }

    @Override
    public String toString()
    {
        return adaptive() ?
            "p" + percentile + " (initially " + Duration.ofNanos(initialNanos) + " until " + minSamples + " samples)" :
            "fixed " + Duration.ofNanos(initialNanos);
    }

    private static long positive(final Duration d)
    {
        Objects.requireNonNull(d, "hedge delay must not be null");
        if (d.isNegative() || d.isZero())
        {
            throw new IllegalArgumentException("hedge delay must be positive, got " + d);
        }
        return d.toNanos();
    }
}
