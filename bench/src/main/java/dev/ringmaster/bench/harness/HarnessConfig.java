package dev.ringmaster.bench.harness;

import java.util.List;

/**
 * What one {@code ringmaster bench} run does; immutable.
 *
 * @param rates             offered rates, tasks per second (all producers together).
 * @param warmupNanos       each run's unrecorded warm-up at the same rate, before the measured window.
 * @param durationNanos     each run's measured window: tasks intended in it are recorded.
 * @param producers         producer threads (the load is split evenly, each on its own slots).
 * @param workers           worker threads of every system (the Disruptor floor always has one consumer).
 * @param systems           system names ({@link Systems}), in report order.
 * @param maxSearch         whether to search each system's maximum sustained rate.
 * @param maxStartRate      first rate the search tries; it doubles until a trial fails, then bisects.
 * @param maxTrialNanos     measured window of one search trial (after a warm-up of half of it).
 * @param maxP99Nanos       a trial is sustained only if its corrected p99 is at most this (and nothing is late).
 * @param slotsPerProducer  tasks one producer may have in flight before it waits (charged to the system).
 */
public record HarnessConfig(List<Double> rates, long warmupNanos, long durationNanos, int producers, int workers,
                            List<String> systems, boolean maxSearch, double maxStartRate, long maxTrialNanos,
                            long maxP99Nanos, int slotsPerProducer)
{
    /** Default rates: 50k, 200k and 1M tasks per second. */
    public static final List<Double> DEFAULT_RATES = List.of(50_000.0, 200_000.0, 1_000_000.0);
    /** Quick (CI) rates: small, so any machine keeps up; a quick run checks the harness, never a speed. */
    public static final List<Double> QUICK_RATES = List.of(2_000.0, 10_000.0);

    public HarnessConfig
    {
        rates = List.copyOf(rates);
        systems = List.copyOf(systems);
        if (rates.isEmpty() || rates.stream().anyMatch(r -> !(r > 0)))
        {
            throw new IllegalArgumentException("rates must be positive tasks per second, got " + rates);
        }
        if (producers < 1 || workers < 1 || slotsPerProducer < 1)
        {
            throw new IllegalArgumentException("producers, workers and slots must be positive");
        }
        if (durationNanos <= 0 || warmupNanos < 0 || maxTrialNanos <= 0)
        {
            throw new IllegalArgumentException("durations must be positive");
        }
    }

    /**
     * @return the default run: 50k/200k/1M, 3 s warm-up + 5 s measured each, 1 producer, 2 workers, max search. Why 3 s:
     *     with 1 s the JIT compiler was still compiling the first system's path (and the harness's) into its measured
     *     window at 50k tasks/s, which put milliseconds into its p99 (Ringmaster's p99 at 50k: 3.2 ms after a 1 s
     *     warm-up, 38 us after 5 s, ForkJoinPool's 38 us in the same run).
     */
    public static HarnessConfig defaults()
    {
        return new HarnessConfig(DEFAULT_RATES, 3_000_000_000L, 5_000_000_000L, 1, 2, Systems.defaults(), true,
            100_000, 1_000_000_000L, 10_000_000L, 1 << 16);
    }

    /** @return the CI run: 2k and 10k tasks/s, 0.2 s warm-up + 0.5 s each, a three-trial max search; well under 1 min. */
    public static HarnessConfig quick()
    {
        return new HarnessConfig(QUICK_RATES, 200_000_000L, 500_000_000L, 1, 2, Systems.defaults(), true,
            10_000, 250_000_000L, 50_000_000L, 1 << 14);
    }

    /** @return the same settings with other rates, durations, threads or systems (null keeps the current one). */
    public HarnessConfig with(final List<Double> rates, final Long warmupNanos, final Long durationNanos,
                              final Integer producers, final Integer workers, final List<String> systems,
                              final Boolean maxSearch)
    {
        return new HarnessConfig(rates != null ? rates : this.rates,
            warmupNanos != null ? warmupNanos : this.warmupNanos,
            durationNanos != null ? durationNanos : this.durationNanos,
            producers != null ? producers : this.producers, workers != null ? workers : this.workers,
            systems != null ? systems : this.systems, maxSearch != null ? maxSearch : this.maxSearch,
            maxStartRate, maxTrialNanos, maxP99Nanos, slotsPerProducer);
    }

    /** @return whether this is a quick run's search (few trials). */
    boolean shortSearch()
    {
        return maxTrialNanos < 500_000_000L;
    }
}
