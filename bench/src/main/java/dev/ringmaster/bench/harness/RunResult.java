package dev.ringmaster.bench.harness;

import org.HdrHistogram.Histogram;

import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * One system at one offered rate, measured in one window or in several ({@code bench --repeat}); immutable once built
 * (the histograms are the harness's own copies, not shared).
 *
 * <p>With several windows, the percentiles and the achieved rate are the medians of the windows' figures, and the
 * histograms pool every window (what the .hgrm files and plots show). Why medians: on a shared machine one window
 * in three may catch a neighbour's burst, and a pooled p99 is then that window's p99 for every system it hit; the
 * median of three or five windows, interleaved between the systems, says what a system does when the machine lets it.
 *
 * @param corrected  completion minus intended send time, ns, every measured task (unfinished ones as lower bounds).
 * @param naive      completion minus actual send time, ns, completed measured tasks: what a closed-loop client sees.
 * @param completed  measured tasks that completed.
 * @param unfinished measured tasks that never completed or were never sent before the run's hard limit.
 * @param achieved   completed measured tasks per second, from the window's start to the last completion (the median
 *                   of the windows' rates when there are several).
 * @param failure    why the run failed (a refused task), or null.
 * @param windows    the single-window runs this one summarises, in the order they ran; empty for a single window.
 */
public record RunResult(String system, double rate, Histogram corrected, Histogram naive, long completed,
                        long unfinished, double achieved, String failure, List<RunResult> windows)
{
    /** One measured window. */
    public RunResult(final String system, final double rate, final Histogram corrected, final Histogram naive,
                     final long completed, final long unfinished, final double achieved, final String failure)
    {
        this(system, rate, corrected, naive, completed, unfinished, achieved, failure, List.of());
    }

    /** @return the windows of one system at one rate as one result: medians of their figures, pooled histograms. */
    public static RunResult ofWindows(final List<RunResult> windows)
    {
        if (windows.size() == 1)
        {
            return windows.get(0);
        }
        final RunResult first = windows.get(0);
        final Histogram corrected = first.corrected.copy();
        final Histogram naive = first.naive.copy();
        long completed = 0;
        long unfinished = 0;
        String failure = null;
        for (final RunResult w : windows)
        {
            if (w != first)
            {
                corrected.add(w.corrected);
                naive.add(w.naive);
            }
            completed += w.completed;
            unfinished += w.unfinished;
            failure = failure != null ? failure : w.failure;
        }
        return new RunResult(first.system, first.rate, corrected, naive, completed, unfinished,
            median(windows, RunResult::achieved), failure, List.copyOf(windows));
    }

    /** @return the corrected latency at {@code percentile} (0-100), in microseconds; the windows' median if several. */
    public double micros(final double percentile)
    {
        if (!windows.isEmpty())
        {
            return median(windows, w -> w.micros(percentile));
        }
        return corrected.getTotalCount() == 0 ? Double.NaN : corrected.getValueAtPercentile(percentile) / 1e3;
    }

    /** @return the naive (closed-loop view) latency at {@code percentile}, in microseconds; the windows' median if several. */
    public double naiveMicros(final double percentile)
    {
        if (!windows.isEmpty())
        {
            return median(windows, w -> w.naiveMicros(percentile));
        }
        return naive.getTotalCount() == 0 ? Double.NaN : naive.getValueAtPercentile(percentile) / 1e3;
    }

    /** @return the corrected maximum over every window, in microseconds. */
    public double maxMicros()
    {
        return corrected.getTotalCount() == 0 ? Double.NaN : corrected.getMaxValue() / 1e3;
    }

    /** @return true if every measured task of every window completed and nothing was refused. */
    public boolean clean()
    {
        return unfinished == 0 && failure == null;
    }

    /** @return the median of {@code figure} over {@code runs} (the mean of the middle two for an even count). */
    static double median(final List<RunResult> runs, final ToDoubleFunction<RunResult> figure)
    {
        final double[] values = runs.stream().mapToDouble(figure).sorted().toArray();
        final int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    /** @return the windows' values of {@code figure}, in the order they ran (one value for a single window). */
    public double[] perWindow(final ToDoubleFunction<RunResult> figure)
    {
        return windows.isEmpty() ? new double[] {figure.applyAsDouble(this)} :
            windows.stream().mapToDouble(figure).toArray();
    }

    @Override
    public String toString()
    {
        return "RunResult[" + system + " at " + rate + "/s, p50 " + micros(50) + " us, p99 " + micros(99) +
            " us, windows " + Math.max(1, windows.size()) + ", per-window p99 " + Arrays.toString(perWindow(w -> w.micros(99))) + "]";
    }
}
