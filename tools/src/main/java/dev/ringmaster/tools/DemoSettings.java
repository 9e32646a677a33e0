package dev.ringmaster.tools;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The parameters of one demo run, validated by the command line before a run starts; immutable and thread-safe.
 *
 * @param tasks         tasks to submit, >= 1.
 * @param strategy      routing strategy name, one the ServiceLoader finds.
 * @param seed          seed of every random choice (workload, attempt outcomes, retry jitter).
 * @param producers     submitting threads, >= 1.
 * @param workers       dispatcher worker threads, 0 for the dispatcher's default (one per core).
 * @param queueCapacity most waiting tasks per agent type and priority; small enough that producers feel backpressure.
 * @param poisonRate    fraction of tasks that fail on every agent (they end in the dead letters).
 * @param maxSubmitWait longest a producer waits for room before counting the task as rejected.
 * @param shadow        a strategy to run as a shadow of the live one, or null for none.
 * @param predictive    whether to run predictive pre-routing on top of the strategy ({@link DemoPredictions}).
 * @param contextLoad   what an agent pays for a task whose affinity key it does not hold warm, zero for nothing.
 * @param model         a prediction model learnt offline ({@code ringmaster learn}) to start pre-routing from, or null.
 */
public record DemoSettings(int tasks, String strategy, long seed, int producers, int workers, int queueCapacity,
                           double poisonRate, Duration maxSubmitWait, String shadow, boolean predictive,
                           Duration contextLoad, Path model)
{
    /** Settings without a learnt model: pre-routing, if on, starts from nothing. */
    public DemoSettings(final int tasks, final String strategy, final long seed, final int producers, final int workers,
                        final int queueCapacity, final double poisonRate, final Duration maxSubmitWait,
                        final String shadow, final boolean predictive, final Duration contextLoad)
    {
        this(tasks, strategy, seed, producers, workers, queueCapacity, poisonRate, maxSubmitWait, shadow, predictive,
            contextLoad, null);
    }
}
