package dev.ringmaster.metrics;

import org.HdrHistogram.Histogram;

import java.util.function.UnaryOperator;

/**
 * Reader side of a recorder: folds interval histograms into a running total. The writer never touches this class;
 * concurrent readers are serialized here (a monitor is fine off the dispatch path).
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
