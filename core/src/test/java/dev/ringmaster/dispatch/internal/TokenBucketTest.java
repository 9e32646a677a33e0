package dev.ringmaster.dispatch.internal;

import dev.ringmaster.dispatch.RateLimit;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A rate limit's bucket refills at exactly its rate on a clock the test drives, however late its caller looks: the
 * floor of the limit, which a live dispatcher on a busy machine cannot measure (the router's wake-ups are late there),
 * so ProtectionTest checks only the ceiling live.
 */
class TokenBucketTest
{
    private static final long MILLI = 1_000_000L;
    private static final long SECOND = 1_000 * MILLI;

    /**
     * Calls the bucket every {@code stepNanos} (a divisor of a second, so the last call falls on the second) for one
     * second after the start, starting all it allows each time.
     */
    private static int startedInOneSecond(final TokenBucket bucket, final long start, final long stepNanos,
                                          final long cost)
    {
        int started = 0;
        for (long t = start; t - start <= SECOND; t += stepNanos)
        {
            while (bucket.allows(cost, t))
            {
                bucket.take(cost);
                started++;
            }
        }
        return started;
    }

    @Test
    void aTaskLimitStartsItsBurstThenExactlyItsRateWhetherAskedEveryMillisecondOrLateWithinTheBurst()
    {
        final RateLimit limit = RateLimit.tasksPerSecond(RateLimit.Scope.TYPE, "coder", 200).withTaskBurst(20);
        for (final long step : new long[] {MILLI, 8 * MILLI, 50 * MILLI, 100 * MILLI})
        {
            // 20 at once, then 200 over the second: a caller late by less than the burst's worth (100 ms) loses nothing
            assertThat(startedInOneSecond(new TokenBucket(limit, 0), 0, step, 0)).as("asked every %d ms", step / MILLI)
                .isBetween(219, 220);
        }
    }

    @Test
    void aTokenLimitRefillsAtItsRatePerMinute()
    {
        // 600,000 tokens a minute is 10,000 a second: 100 tasks of 100 tokens, after a burst of 10
        final RateLimit limit = new RateLimit(RateLimit.Scope.TENANT, "acme", 0, 0, 600_000, 1_000);
        for (final long step : new long[] {MILLI, 5 * MILLI, 50 * MILLI})
        {
            assertThat(startedInOneSecond(new TokenBucket(limit, 0), 0, step, 100)).as("asked every %d ms", step / MILLI)
                .isBetween(109, 110);
        }
    }

    @Test
    void theWaitItAnnouncesIsLongEnoughAndNoLonger()
    {
        final TokenBucket bucket = new TokenBucket(new RateLimit(RateLimit.Scope.TENANT, "acme", 0, 0, 600_000, 1_000), 0);
        for (int i = 0; i < 10; i++)
        {
            assertThat(bucket.allows(100, 0)).isTrue();
            bucket.take(100);
        }
        assertThat(bucket.allows(100, 0)).isFalse();
        final long wait = bucket.nanosUntilAllowed(100);
        assertThat(wait).isEqualTo(10 * MILLI);
        assertThat(bucket.allows(100, wait - 1)).as("a moment early").isFalse();
        assertThat(bucket.allows(100, wait)).as("when it said: the router's alarm is not wasted").isTrue();
    }

    @Test
    void aCallerLateByMoreThanTheBurstLosesOnlyWhatDidNotFitInTheBucket()
    {
        final TokenBucket bucket = new TokenBucket(RateLimit.tasksPerSecond(RateLimit.Scope.TYPE, "coder", 200)
            .withTaskBurst(20), 0);
        assertThat(startedInOneSecond(bucket, 0, SECOND, 0)).as("the burst, then one full bucket a second later")
            .isEqualTo(40);
        // and the rate is back at once: the lost tokens are the bucket's, not the rate's
        assertThat(startedInOneSecond(bucket, SECOND + MILLI, MILLI, 0)).isBetween(200, 201);
    }
}
