package dev.ringmaster.dispatch;

import java.time.Duration;

/**
 * When an agent counts as crashed and how it is brought back; immutable. A crashed agent (its adapter's
 * {@code start()} threw, or {@code timeoutsBeforeRestart} attempts in a row outlived their timeout, or as many as its
 * capacity, since a hung agent keeps its slots and can time out no more) leaves routing at
 * once, what waits in its inbox is routed elsewhere, attempts it still runs finish or time out and are retried
 * elsewhere, and after a back-off the {@link dev.ringmaster.spi.AgentFactory} of its type makes a new adapter with the
 * same spec; a failed restart doubles the back-off up to {@code maxBackoff}. An agent added with a
 * {@link CrashHandler} (an autoscaler's) is replaced by that owner instead, without the back-off, unless it declines.
 *
 * @param timeoutsBeforeRestart timed-out attempts in a row that mean "stopped answering", at least 1.
 * @param backoff               wait before the first restart.
 * @param maxBackoff            longest wait between restart attempts.
 */
public record Supervision(int timeoutsBeforeRestart, Duration backoff, Duration maxBackoff)
{
    public Supervision
    {
        if (timeoutsBeforeRestart < 1)
        {
            throw new IllegalArgumentException("timeoutsBeforeRestart must be >= 1, got " + timeoutsBeforeRestart);
        }
        if (backoff == null || backoff.isNegative() || backoff.isZero() || maxBackoff == null || maxBackoff.compareTo(backoff) < 0)
        {
            throw new IllegalArgumentException("supervision needs 0 < backoff <= maxBackoff, got " + backoff + " and " + maxBackoff);
        }
    }

    /** @return 3 timeouts in a row, back-off from 1 s doubling to 1 min. */
    public static Supervision defaults()
    {
        return new Supervision(3, Duration.ofSeconds(1), Duration.ofMinutes(1));
    }
}
