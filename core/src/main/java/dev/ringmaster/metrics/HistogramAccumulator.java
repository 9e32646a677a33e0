package dev.ringmaster.metrics;

import org.HdrHistogram.Histogram;

import java.util.function.UnaryOperator;

/**
 * Reader side of a recorder, safe to call from any thread: folds interval histograms into a running total; the
 * writer never touches this class and concurrent readers are serialized by a monitor, fine off the dispatch path.
 */
public final class HistogramAccumulator
{
    private final UnaryOperator<Histogram> intervalSource;
    private final Histogram total = new Histogram(3_600_000_000_000L, 3);
    private Histogram recycle;

    /** @param intervalSource returns the values recorded since its last call, reusing the histogram it is given. */
    public HistogramAccumulator(final UnaryOperator<Histogram> intervalSource)
    {
        this.intervalSource = intervalSource;
    }

    /** @return a copy of everything recorded so far. */
    public synchronized Histogram cumulative()
    {
        recycle = intervalSource.apply(recycle);
        total.add(recycle);
        return total.copy();
    }
}
