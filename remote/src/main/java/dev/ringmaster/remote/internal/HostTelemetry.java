package dev.ringmaster.remote.internal;

import dev.ringmaster.spi.AgentTelemetry;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What one hosted agent last published, for the host's poller to send on its next tick; agents write from any
 * thread, the poller reads (each value is a volatile, the pair may mix two reports, which only ever delays one).
 */
public final class HostTelemetry implements AgentTelemetry
{
    private volatile double utilization = Double.NaN;
    private volatile long budgetLeft = -1;
    private final AtomicBoolean dirty = new AtomicBoolean();

    @Override
    public void contextUtilization(final double fraction)
    {
        utilization = fraction;
        dirty.set(true); // after the value: a poller that clears the flag reads this value or a newer one
    }

    @Override
    public void tokenBudgetLeft(final long tokens)
    {
        budgetLeft = tokens;
        dirty.set(true);
    }

    /** @return whether something was published since the last call; clears the flag. */
    public boolean takeDirty()
    {
        return dirty.get() && dirty.compareAndSet(true, false);
    }

    public double utilization()
    {
        return utilization;
    }

    public long budgetLeft()
    {
        return budgetLeft;
    }
}
