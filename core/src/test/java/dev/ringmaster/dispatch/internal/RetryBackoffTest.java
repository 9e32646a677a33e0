package dev.ringmaster.dispatch.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The back-off before a retry doubles from the base up to the maximum, for as many attempts as a task may make. */
class RetryBackoffTest
{
    private static final long SECOND = 1_000_000_000L;

    @Test
    void theBackoffDoublesUpToTheMaximumAndStaysThereHoweverManyAttempts()
    {
        assertThat(Outcomes.backoffNanos(10 * SECOND, 600 * SECOND, 1)).isEqualTo(10 * SECOND);
        assertThat(Outcomes.backoffNanos(10 * SECOND, 600 * SECOND, 2)).isEqualTo(20 * SECOND);
        assertThat(Outcomes.backoffNanos(10 * SECOND, 600 * SECOND, 6)).isEqualTo(320 * SECOND);
        for (int attempt = 7; attempt <= 1_000; attempt++)
        {
            // a base of about 9 s or more shifted 30 times passes a long's range: the retry came at once
            assertThat(Outcomes.backoffNanos(10 * SECOND, 600 * SECOND, attempt)).as("attempt %d", attempt)
                .isEqualTo(600 * SECOND);
        }
        assertThat(Outcomes.backoffNanos(Long.MAX_VALUE / 2, Long.MAX_VALUE, 3)).as("no overflow at the top of the range")
            .isEqualTo(Long.MAX_VALUE);
        assertThat(Outcomes.backoffNanos(1, Long.MAX_VALUE, 1_000)).isEqualTo(1L << 30);
    }
}
