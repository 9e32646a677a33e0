package dev.ringmaster.journal;

/**
 * Counters of a running {@link Journal}, read one by one from any thread; immutable.
 *
 * @param recordsWritten  records appended to the queue; a compact record may hold two lifecycle events (an acceptance
 *                        with its assignment, or an attempt's start with its end), and readers ({@code replay},
 *                        {@code audit}) count the events, so their "records" can be more than this.
 * @param ringFullWaits   records whose producer (the router) found the ring full and waited for room.
 * @param ringFullWaitNanos total time producers spent waiting for room.
 * @param dropped         records dropped because the writer had stopped (closed or failed); 0 in a healthy run.
 * @param payloadFailures ACCEPTED records journaled without their payload (unencodable or too large).
 * @param failure         why the writer stopped, or null while it runs or after a clean close.
 */
public record JournalStats(long recordsWritten, long ringFullWaits, long ringFullWaitNanos, long dropped,
                           long payloadFailures, String failure)
{
}
