package dev.ringmaster.bench.harness;

import org.HdrHistogram.Histogram;

/**
 * One system at one offered rate; immutable once built (the histograms are the harness's own copies, not shared).
 *
 * @param corrected  completion minus intended send time, ns, every measured task (unfinished ones as lower bounds).
 * @param naive      completion minus actual send time, ns, completed measured tasks: what a closed-loop client sees.
 * @param completed  measured tasks that completed.
 * @param unfinished measured tasks that never completed or were never sent before the run's hard limit.
 * @param achieved   completed measured tasks per second, from the window's start to the last completion.
 * @param failure    why the run failed (a refused task), or null.
 */
public record RunResult(String system, double rate, Histogram corrected, Histogram naive, long completed,
                        long unfinished, double achieved, String failure)
{
    /** @return the corrected latency at {@code percentile} (0-100), in microseconds. */
    public double micros(final double percentile)
    {
        return corrected.getTotalCount() == 0 ? Double.NaN : corrected.getValueAtPercentile(percentile) / 1e3;
    }

    /** @return the corrected maximum, in microseconds. */
    public double maxMicros()
    {
        return corrected.getTotalCount() == 0 ? Double.NaN : corrected.getMaxValue() / 1e3;
    }

    /** @return true if every measured task completed and nothing was refused. */
    public boolean clean()
    {
        return unfinished == 0 && failure == null;
    }
}
