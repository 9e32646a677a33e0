package dev.ringmaster.bench.harness;

import java.util.List;

/**
 * The highest offered rate a system sustained in the search: every task completed, at least 95% of the offered rate
 * achieved, corrected p99 within the bound; immutable.
 *
 * @param maxRate  the highest sustained offered rate, tasks/s, 0 if none.
 * @param achieved the achieved rate in that trial.
 * @param p99Micros its corrected p99.
 * @param trials   every trial, in order.
 */
public record MaxResult(String system, double maxRate, double achieved, double p99Micros, List<Trial> trials)
{
    public MaxResult
    {
        trials = List.copyOf(trials);
    }

    /**
     * One search trial: one offered rate, run {@code runs} times ({@code bench --repeat}); sustained when most runs
     * were, achieved and p99 the runs' medians; immutable.
     */
    public record Trial(double rate, boolean sustained, double achieved, double p99Micros, int sustainedRuns, int runs)
    {
        /** A trial of one run. */
        public Trial(final double rate, final boolean sustained, final double achieved, final double p99Micros)
        {
            this(rate, sustained, achieved, p99Micros, sustained ? 1 : 0, 1);
        }
    }
}
