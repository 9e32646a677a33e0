package dev.ringmaster.plugins.http;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Retry-After is delay-seconds or an HTTP date; anything else means "not given". */
class RetryAfterTest
{
    private static final Instant NOW = Instant.parse("2015-10-21T07:28:00Z");

    @Test
    void secondsAndDates()
    {
        assertThat(RetryAfter.millis("3", NOW)).isEqualTo(3_000);
        assertThat(RetryAfter.millis(" 0 ", NOW)).isZero();
        assertThat(RetryAfter.millis("Wed, 21 Oct 2015 07:28:30 GMT", NOW)).isEqualTo(30_000);
        assertThat(RetryAfter.millis("Wed, 21 Oct 2015 07:27:00 GMT", NOW)).as("a past date: at once").isZero();
        assertThat(RetryAfter.millis("99999999999", NOW)).as("absurd: beyond any cap").isGreaterThan(1L << 40);
    }

    @Test
    void absentOrUnreadable()
    {
        assertThat(RetryAfter.millis(null, NOW)).isEqualTo(RetryAfter.ABSENT);
        assertThat(RetryAfter.millis("", NOW)).isEqualTo(RetryAfter.ABSENT);
        assertThat(RetryAfter.millis("-5", NOW)).isEqualTo(RetryAfter.ABSENT);
        assertThat(RetryAfter.millis("soon", NOW)).isEqualTo(RetryAfter.ABSENT);
    }
}
