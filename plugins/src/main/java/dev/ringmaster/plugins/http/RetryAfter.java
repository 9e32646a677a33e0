package dev.ringmaster.plugins.http;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Parses the {@code Retry-After} header (RFC 9110 section 10.2.3): delay-seconds or an HTTP date; stateless.
 */
final class RetryAfter
{
    /** Returned when the header is absent or unreadable: the caller backs off on its own. */
    static final long ABSENT = -1;

    private RetryAfter()
    {
    }

    /**
     * @param value the header's value, or null.
     * @param now   the current time, for an HTTP date.
     * @return the wait in milliseconds, 0 for a date already past, or {@link #ABSENT}.
     */
    static long millis(final String value, final Instant now)
    {
        if (value == null || value.isBlank())
        {
            return ABSENT;
        }
        final String v = value.trim();
        if (v.chars().allMatch(Character::isDigit))
        {
            // a huge number is a server asking us to go away; the caller's cap turns it into a failure
            return v.length() > 9 ? Long.MAX_VALUE / 2 : Long.parseLong(v) * 1000;
        }
        try
        {
            final Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return Math.max(0, at.toEpochMilli() - now.toEpochMilli());
        }
        catch (final DateTimeParseException e)
        {
            return ABSENT;
        }
    }
}
