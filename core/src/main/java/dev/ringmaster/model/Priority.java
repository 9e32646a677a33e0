package dev.ringmaster.model;

/**
 * Urgency level of a task; CRITICAL is served first, LOW last but never starved (see the aging bound in
 * {@code Dispatcher}). Immutable and thread-safe.
 */
public enum Priority
{
    CRITICAL,
    HIGH,
    MEDIUM,
    LOW;

    private static final Priority[] VALUES = values();

    /**
     * @param ordinal 0 (CRITICAL) to 3 (LOW).
     * @return the priority with that ordinal, without allocating the array {@code values()} would.
     */
    public static Priority ofOrdinal(final int ordinal)
    {
        return VALUES[ordinal];
    }

    /** Number of priority levels, the size of every per-priority array in the dispatcher. */
    public static final int COUNT = 4;
}
