package dev.ringmaster.dispatch.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Dispatcher-wide event counts; the router is the single writer (ordered stores), any thread may read them.
 */
final class Counters
{
    final AtomicLong accepted = new AtomicLong();
    final AtomicLong assigned = new AtomicLong();
    final AtomicLong completed = new AtomicLong();
    final AtomicLong failedAttempts = new AtomicLong();
    final AtomicLong retried = new AtomicLong();
    final AtomicLong deadLettered = new AtomicLong();
    final AtomicLong expired = new AtomicLong();
    final AtomicLong cancelled = new AtomicLong();
    final AtomicLong stolen = new AtomicLong();
    final AtomicLong timedOut = new AtomicLong();
    final AtomicLong ejections = new AtomicLong();
    final AtomicLong crashes = new AtomicLong();
    /** Routing decisions in which the strategy threw or answered out of range, and its quarantines. */
    final AtomicLong strategyFaults = new AtomicLong();
    /** Of {@link #strategyFaults}, those in the strategy's callbacks (onAssigned and the like), not its decisions. */
    final AtomicLong strategyCallbackFaults = new AtomicLong();
    final AtomicLong strategyQuarantines = new AtomicLong();
    /**
     * Tasks placed for the live strategy (declines not counted), and of them those the built-in choice placed (after
     * a fault, or in quarantine).
     */
    final AtomicLong strategyDecisions = new AtomicLong();
    final AtomicLong strategyFallbacks = new AtomicLong();
    /** The shadow strategy's decisions, those that agreed with the live one, its faults, and its regret (see {@link Shadow}). */
    final AtomicLong shadowDecisions = new AtomicLong();
    final AtomicLong shadowAgreements = new AtomicLong();
    final AtomicLong shadowFaults = new AtomicLong();
    final AtomicLong shadowRegretSamples = new AtomicLong();
    final AtomicLong shadowRegretNanos = new AtomicLong();

    static void increment(final AtomicLong counter)
    {
        counter.lazySet(counter.get() + 1); // single writer: an ordered store is enough, no atomic read-modify-write
    }
}
