package dev.ringmaster.bench.sim;

import java.util.function.IntToDoubleFunction;

/**
 * The mean of a correlated series (waits or sojourns of consecutive tasks) and its standard error by batch means:
 * consecutive batches, each far longer than the queue's relaxation time, are close to independent; stateless.
 *
 * @param mean          the grand mean.
 * @param standardError the standard error of the grand mean, from the spread of the batch means.
 */
record BatchMeans(double mean, double standardError)
{
    static final int BATCHES = 20;

    /** @return the batch means estimate of the values of tasks {@code from} (inclusive) to {@code to} (exclusive). */
    static BatchMeans of(final IntToDoubleFunction value, final int from, final int to)
    {
        final int batchSize = (to - from) / BATCHES;
        final double[] batchMeans = new double[BATCHES];
        double grand = 0;
        for (int b = 0; b < BATCHES; b++)
        {
            double sum = 0;
            for (int i = from + b * batchSize; i < from + (b + 1) * batchSize; i++)
            {
                sum += value.applyAsDouble(i);
            }
            batchMeans[b] = sum / batchSize;
            grand += batchMeans[b];
        }
        grand /= BATCHES;
        double var = 0;
        for (final double m : batchMeans)
        {
            var += (m - grand) * (m - grand);
        }
        return new BatchMeans(grand, Math.sqrt(var / (BATCHES - 1) / BATCHES));
    }
}
