package dev.ringmaster.autoscale;

import dev.ringmaster.predict.CapacityHint;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The {@link CapacityHint} an {@link Autoscaler} takes ({@link Autoscaler#capacityHint()}): keeps the latest expected
 * arrival rate per agent type, as pre-routing predicts it, and turns it into the slots those arrivals will keep busy
 * (Little's law: rate x the type's measured time per task), so that a pool grows ahead of a predicted burst. A hint
 * older than its time to live no longer counts (pre-routing stops hinting a type it no longer predicts). Written by
 * the pre-routing thread, read by the autoscaler's evaluating thread.
 */
public final class PredictedDemand implements CapacityHint
{
    /** How long a hint counts by default: a few of pre-routing's one-second ticks. */
    public static final long DEFAULT_TTL_NANOS = 5_000_000_000L;

    private record Hint(double arrivalsPerSecond, double confidence, long atNanos)
    {
    }

    private final Map<String, Hint> hints = new ConcurrentHashMap<>();
    private final LongSupplier clock;
    private final long ttlNanos;

    /**
     * @param clock    the clock the hints are stamped with, the autoscaler's.
     * @param ttlNanos how long a hint counts, more than zero.
     */
    public PredictedDemand(final LongSupplier clock, final long ttlNanos)
    {
        if (ttlNanos <= 0)
        {
            throw new IllegalArgumentException("a capacity hint's time to live must be positive, got " + ttlNanos +
                " ns; pre-routing hints once per tick, so give a few ticks");
        }
        this.clock = java.util.Objects.requireNonNull(clock, "clock");
        this.ttlNanos = ttlNanos;
    }

    @Override
    public void expect(final String type, final double arrivalsPerSecond, final double confidence)
    {
        if (type != null && arrivalsPerSecond >= 0 && Double.isFinite(arrivalsPerSecond))
        {
            hints.put(type, new Hint(arrivalsPerSecond, confidence, clock.getAsLong()));
        }
    }

    /** @return the latest fresh expected arrivals per second of the type, or 0 if none. */
    public double arrivalsPerSecond(final String type, final long nowNanos)
    {
        final Hint h = hints.get(type);
        return h == null || nowNanos - h.atNanos >= ttlNanos ? 0 : h.arrivalsPerSecond;
    }

    /**
     * @param secondsPerTask the type's mean time per task; NaN or not positive when nothing was measured yet.
     * @return the slots the predicted arrivals will keep busy, 0 without a fresh hint or a measured time per task.
     */
    public double slots(final String type, final double secondsPerTask, final long nowNanos)
    {
        if (!(secondsPerTask > 0))
        {
            return 0;
        }
        return arrivalsPerSecond(type, nowNanos) * secondsPerTask;
    }
}
