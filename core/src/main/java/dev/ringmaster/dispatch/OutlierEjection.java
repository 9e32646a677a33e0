package dev.ringmaster.dispatch;

import java.time.Duration;

/**
 * Envoy-style outlier ejection settings; immutable. An agent that fails {@code consecutiveFailures} attempts in a row,
 * or whose latency EWMA exceeds {@code latencyFactor} times its type's mean, leaves routing for
 * {@code baseEjection} times its ejection count (capped at 10x), never more than {@code maxEjectedFraction} of a type
 * at once; it comes back on its own (through slow start, if configured).
 *
 * @param consecutiveFailures failures in a row that eject an agent (0: off).
 * @param latencyFactor       eject agents slower than this multiple of the type's mean latency EWMA (0: off).
 * @param minSamples          completions an agent needs before its latency is judged.
 * @param baseEjection        first ejection period.
 * @param maxEjectedFraction  most of a type's agents ejected at once, in [0, 1]; floor(n x fraction) agents.
 */
public record OutlierEjection(int consecutiveFailures, double latencyFactor, int minSamples, Duration baseEjection,
                              double maxEjectedFraction)
{
    public OutlierEjection
    {
        if (Double.isNaN(latencyFactor) || Double.isNaN(maxEjectedFraction))
        {
            throw new IllegalArgumentException("outlier ejection's latencyFactor and maxEjectedFraction must be numbers, " +
                "got latencyFactor " + latencyFactor + " and maxEjectedFraction " + maxEjectedFraction +
                " (0 turns latency ejection off)");
        }
        if (consecutiveFailures < 0 || latencyFactor < 0 || minSamples < 0)
        {
            throw new IllegalArgumentException("outlier ejection thresholds must be >= 0 (0 turns one off)");
        }
        if (latencyFactor > 0 && latencyFactor <= 1)
        {
            throw new IllegalArgumentException("latencyFactor must be > 1 (slower than the mean by that factor), got " + latencyFactor);
        }
        if (baseEjection == null || baseEjection.isNegative() || baseEjection.isZero())
        {
            throw new IllegalArgumentException("baseEjection must be a positive duration, got " + baseEjection);
        }
        if (!(maxEjectedFraction >= 0 && maxEjectedFraction <= 1))
        {
            throw new IllegalArgumentException("maxEjectedFraction must be in [0, 1], got " + maxEjectedFraction);
        }
    }

    /** @return Envoy's defaults, adapted: 5 failures in a row, latency 3x the mean after 20 samples, 30 s, half a type. */
    public static OutlierEjection defaults()
    {
        return new OutlierEjection(5, 3.0, 20, Duration.ofSeconds(30), 0.5);
    }
}
