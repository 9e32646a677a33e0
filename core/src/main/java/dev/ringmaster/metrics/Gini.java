package dev.ringmaster.metrics;

import java.util.Arrays;

/** The Gini coefficient of a distribution of work: 0 is perfect equality, near 1 is one agent doing everything; stateless. */
public final class Gini
{
    private Gini()
    {
    }

    /**
     * @param values non-negative amounts, e.g. tasks or tokens per agent.
     * @return the Gini coefficient in [0, 1); 0 for fewer than two values or an all-zero distribution.
     */
    public static double of(final long[] values)
    {
        final int n = values.length;
        if (n < 2)
        {
            return 0.0;
        }
        final long[] sorted = values.clone();
        Arrays.sort(sorted);
        double weighted = 0;
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            if (sorted[i] < 0)
            {
                throw new IllegalArgumentException("Gini needs non-negative values, got " + sorted[i]);
            }
            weighted += (i + 1) * (double)sorted[i];
            total += sorted[i];
        }
        if (total == 0)
        {
            return 0.0;
        }
        return (2.0 * weighted) / (n * total) - (n + 1.0) / n;
    }
}
