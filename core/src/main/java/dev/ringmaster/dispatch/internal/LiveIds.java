package dev.ringmaster.dispatch.internal;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The ids of accepted, not yet terminal tasks, so that a second submission of a live id is refused with
 * {@code DUPLICATE_ID}; lock-free and allocation-free, {@link #add} from any submitter, {@link #remove} from the
 * routing role's holder or a submitter backing out.
 *
 * <p>Layout: buckets of one cache line (8 longs), 7 id cells and an overflow count of the ids that found the bucket
 * full and went on to the next ones (at most {@link #PROBES} buckets). A lookup reads one line unless the count says
 * otherwise. Claiming a cell is a CAS; after it the claimer looks again for another copy of its id, and withdraws if
 * it finds one. Two submissions of one id racing at the same instant may therefore both be refused, never both
 * accepted: under sequential consistency of the atomics, each of them sees the other's claim or one of them sees none.
 */
final class LiveIds
{
    /** Never a task id: the task builder reserves it for "no explicit id". */
    private static final long EMPTY = Long.MIN_VALUE;
    private static final int CELLS = 7;
    private static final int LINE = 8;
    private static final int PROBES = 4;
    /** 16 MiB of table at most; beyond its reach ids are accepted untracked rather than refused. */
    private static final int MAX_BUCKETS = 1 << 18;

    /** {@link #add}: a live task has this id. */
    static final int DUPLICATE = -1;
    /** {@link #add}: every probed bucket is full; the id is accepted without duplicate detection (table outgrown). */
    static final int UNTRACKED = -2;

    private final AtomicLongArray table;
    private final int bucketMask;

    /** @param expectedLive the most ids live at once that the table should hold with room to spare. */
    LiveIds(final int expectedLive)
    {
        final int buckets = Integer.highestOneBit(Math.min(MAX_BUCKETS, Math.max(64, expectedLive / 4)) - 1) << 1;
        this.bucketMask = buckets - 1;
        this.table = new AtomicLongArray(buckets * LINE);
        for (int b = 0; b < buckets; b++)
        {
            for (int c = 0; c < CELLS; c++)
            {
                table.set(b * LINE + c, EMPTY);
            }
        }
    }

    private int bucket(final long id)
    {
        // sequential ids (the builder's) share a bucket seven at a time, so the live ids, a sliding window, stay in
        // few cache lines: the submitter's claim and the completer's removal move a line between cores once per seven
        // tasks, not once per task (with one id per bucket, LiveIds.remove was 15% of a busy worker's samples); the
        // folded high bits spread explicit ids sharing low bits
        final long group = id / CELLS;
        return (int)(group ^ (group >>> 21) ^ (group >>> 42)) & bucketMask;
    }

    /** @return where the id is, or -1; any thread. */
    private int find(final long id, final int exceptCell)
    {
        int b = bucket(id);
        for (int probe = 0; probe < PROBES; probe++)
        {
            final int base = b * LINE;
            for (int c = 0; c < CELLS; c++)
            {
                if (base + c != exceptCell && table.get(base + c) == id)
                {
                    return base + c;
                }
            }
            if (table.get(base + CELLS) == 0)
            {
                return -1; // nothing went past this bucket
            }
            b = (b + 1) & bucketMask;
        }
        return -1;
    }

    /** @return whether a live task has this id now (a racy read, for a refusal's reason); any thread. */
    boolean contains(final long id)
    {
        return find(id, -1) >= 0;
    }

    /** @return the cell now holding the id (pass it to {@link #remove}), {@link #DUPLICATE} or {@link #UNTRACKED}. */
    int add(final long id)
    {
        if (find(id, -1) >= 0)
        {
            return DUPLICATE;
        }
        int b = bucket(id);
        for (int probe = 0; probe < PROBES; probe++)
        {
            final int base = b * LINE;
            for (int c = 0; c < CELLS; c++)
            {
                if (table.get(base + c) == EMPTY && table.compareAndSet(base + c, EMPTY, id))
                {
                    if (find(id, base + c) >= 0)
                    {
                        remove(id, base + c); // a racing submission of the same id: back out
                        return DUPLICATE;
                    }
                    return base + c;
                }
            }
            // full: later lookups of ids hashed here must look further
            table.getAndIncrement(base + CELLS);
            b = (b + 1) & bucketMask;
        }
        undoOverflow(id, PROBES);
        return UNTRACKED;
    }

    /**
     * Forgets a live id by the cell {@link #add} returned for it, never another claim of the same id (a racing
     * duplicate's) nor another id that took the cell since; a no-op for {@link #UNTRACKED}.
     */
    void remove(final long id, final int cell)
    {
        if (cell >= 0 && table.compareAndSet(cell, id, EMPTY))
        {
            undoOverflow(id, ((cell / LINE) - bucket(id)) & bucketMask);
        }
    }

    /** The buckets an id skipped on its way to the probe it sits in no longer need to send lookups on for it. */
    private void undoOverflow(final long id, final int skipped)
    {
        int b = bucket(id);
        for (int i = 0; i < skipped; i++)
        {
            table.getAndDecrement(b * LINE + CELLS);
            b = (b + 1) & bucketMask;
        }
    }
}
