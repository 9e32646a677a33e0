package dev.ringmaster.metrics;

import java.util.Map;

/**
 * What happened in the last minute (the window {@link HistogramAccumulator} and {@link CounterWindow} keep), not since
 * start; immutable.
 *
 * @param spanNanos     how long the window really is: about a minute once the dispatcher ran that long and metrics
 *                      were read every second (the admin endpoint does); the time since start before that.
 * @param accepted      tasks accepted in the window.
 * @param completed     tasks completed in the window.
 * @param deadLettered  tasks dead-lettered in the window.
 * @param expired       tasks expired in the window.
 * @param stages        latency per stage of the values recorded in the window (two significant digits).
 */
public record RecentWindow(long spanNanos, long accepted, long completed, long deadLettered, long expired,
                           Map<String, LatencySummary> stages)
{
    /** @return completed tasks per second over the window, 0 before any span. */
    public double completedPerSecond()
    {
        return perSecond(completed);
    }

    /** @return accepted tasks per second over the window, 0 before any span. */
    public double acceptedPerSecond()
    {
        return perSecond(accepted);
    }

    private double perSecond(final long count)
    {
        return spanNanos <= 0 ? 0 : count * 1e9 / spanNanos;
    }
}
