package dev.ringmaster.bench.sim;

import java.util.SplittableRandom;

/**
 * Arrival times one at a time, in order: a Poisson process, or an on/off (interrupted Poisson) one; single-threaded,
 * one per workload. The workloads held in memory and the streamed ones draw their arrivals here, in the same order.
 */
final class ArrivalProcess
{
    private final SplittableRandom random;
    private final double meanGap;
    /** Null for Poisson; else the stream of the on and off periods. */
    private final SplittableRandom periods;
    private final double meanPeriodNanos;
    private final double meanOffNanos;
    private double t;
    private double onUntil;

    private ArrivalProcess(final SplittableRandom random, final double ratePerNano, final SplittableRandom periods,
                           final double meanPeriodNanos, final double meanOffNanos)
    {
        this.random = random;
        this.meanGap = 1.0 / ratePerNano;
        this.periods = periods;
        this.meanPeriodNanos = meanPeriodNanos;
        this.meanOffNanos = meanOffNanos;
        this.onUntil = periods == null ? Double.POSITIVE_INFINITY : exponential(periods, meanPeriodNanos);
    }

    /** @return a Poisson process of the given rate per nanosecond, whose first arrival is at 0. */
    static ArrivalProcess poisson(final SplittableRandom random, final double ratePerNano)
    {
        return new ArrivalProcess(random, ratePerNano, null, 0, 0);
    }

    /**
     * @return an on/off (interrupted Poisson) process: Poisson at {@code burst x meanRate} while on, nothing while
     *     off, on periods exponential with mean {@code meanPeriodNanos} and off periods with mean
     *     {@code meanPeriodNanos x (burst - 1)}, so the long-run rate is {@code meanRate}.
     */
    static ArrivalProcess onOff(final SplittableRandom random, final double meanRatePerNano, final double burst,
                                final double meanPeriodNanos)
    {
        // the periods come from a stream of their own, so that the same seed gives the same bursts at every load
        final SplittableRandom periods = random.split();
        return new ArrivalProcess(random, burst * meanRatePerNano, periods, meanPeriodNanos,
            meanPeriodNanos * (burst - 1));
    }

    /** @return the next arrival time, virtual nanoseconds. */
    long next()
    {
        if (periods == null)
        {
            final long arrival = (long)t;
            t += exponential(random, meanGap);
            return arrival;
        }
        double next = t + exponential(random, meanGap);
        while (next > onUntil)
        {
            // memoryless: the arrival that would fall past the burst is redrawn from the start of the next one
            final double onFrom = onUntil + exponential(periods, meanOffNanos);
            onUntil = onFrom + exponential(periods, meanPeriodNanos);
            next = onFrom + exponential(random, meanGap);
        }
        t = next;
        return (long)t;
    }

    static double exponential(final SplittableRandom random, final double mean)
    {
        return -mean * Math.log(1.0 - random.nextDouble());
    }
}
