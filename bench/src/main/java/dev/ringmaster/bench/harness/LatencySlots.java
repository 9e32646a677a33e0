package dev.ringmaster.bench.harness;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The per-task state of one run, preallocated: a ring of task slots, each on its own 64-byte cache line, holding
 * whether it is in flight, the task's intended send time and its actual send time; and the two latency recorders.
 *
 * <p>How a task finds its times without allocating: the producer picks slot {@code i mod count} for its {@code i}-th
 * task, writes the times into the slot, and hands the system only the slot number (Ringmaster: a prebuilt
 * {@code Task} whose id is the slot number; the executors: a prebuilt {@code Runnable} holding it; the Disruptor: a
 * field of the ring event). A slot is reused only once its previous task completed ({@link #isFree}), so a
 * prebuilt Task is never in flight twice; a producer that finds its next slot busy waits, and that wait is
 * charged to the system, since latency is counted from the intended time.
 *
 * <pre>
 *  slot layout (longs, STRIDE = 8, one cache line per slot so the producer filling slot i+1 and the system
 *  completing slot i never write the same line):
 *   [0] busy      1 from occupy() to complete(); release-stored 0 by complete(), acquire-read by isFree()
 *   [1] intended  System.nanoTime() at which the schedule says the task is sent
 *   [2] sent      System.nanoTime() when the producer actually handed it over (naive measurement)
 *   [3..7] padding
 * </pre>
 *
 * Threads: {@link #occupy} and {@link #isFree} are called by the producer that owns the slot, {@link #complete} by
 * whichever system thread finished the task (the system's hand-off publishes the slot's times to it), the rest by
 * the harness thread before the producers start or after the system stopped.
 */
public final class LatencySlots
{
    /** Longs per slot: one 64-byte cache line. */
    static final int STRIDE = 8;
    private static final int BUSY = 0;
    private static final int INTENDED = 1;
    private static final int SENT = 2;
    /** Largest latency recorded, one hour; longer values are clamped (and would be a broken run anyway). */
    static final long HIGHEST_NANOS = 3_600_000_000_000L;
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] slots;
    private final int count;
    private final Recorder corrected = new Recorder(HIGHEST_NANOS, 3);
    private final Recorder naive = new Recorder(HIGHEST_NANOS, 3);
    private final PaddedNanos lastCompletion = new PaddedNanos();
    private long measureFrom;
    private long measureTo;

    /** @param count task slots: the most tasks one run may have in flight before the producers wait. */
    public LatencySlots(final int count)
    {
        if (count < 1)
        {
            throw new IllegalArgumentException("slot count must be positive, got " + count);
        }
        this.count = count;
        this.slots = new long[count * STRIDE];
    }

    /** @return the number of slots; slot numbers are 0 to count - 1. */
    public int count()
    {
        return count;
    }

    /**
     * Harness thread, before the producers start: tasks intended in [from, to) are recorded, the others (warm-up)
     * are not. Plain stores: Thread.start of the producers, then each hand-off, publish them to the system's threads.
     */
    void measureWindow(final long fromNanos, final long toNanos)
    {
        this.measureFrom = fromNanos;
        this.measureTo = toNanos;
        lastCompletion.set(fromNanos);
    }

    /** Producer that owns the slot: true once its previous task completed. */
    boolean isFree(final int slot)
    {
        return (long)LONGS.getAcquire(slots, slot * STRIDE + BUSY) == 0L; // pairs with the release in complete()
    }

    /** Producer that owns the slot, after {@link #isFree}: the system's hand-off that follows publishes these. */
    void occupy(final int slot, final long intendedNanos, final long sentNanos)
    {
        final long[] s = slots;
        final int at = slot * STRIDE;
        s[at + BUSY] = 1L;
        s[at + INTENDED] = intendedNanos;
        s[at + SENT] = sentNanos;
    }

    /**
     * A system thread, once the task in {@code slot} has run: records its latency (if measured) and frees the slot.
     * Allocation-free and wait-free (HdrHistogram's Recorder).
     */
    public void complete(final int slot)
    {
        final long now = System.nanoTime();
        final long[] s = slots;
        final int at = slot * STRIDE;
        final long intended = s[at + INTENDED];
        if (intended - measureFrom >= 0 && intended - measureTo < 0)
        {
            corrected.recordValue(Math.min(now - intended, HIGHEST_NANOS));
            naive.recordValue(Math.min(Math.max(0, now - s[at + SENT]), HIGHEST_NANOS));
            lastCompletion.set(now);
        }
        LONGS.setRelease(s, at + BUSY, 0L); // the producer may reuse the slot once it sees 0: our reads come first
    }

    /** Harness thread: true if no slot is in flight. */
    boolean allFree()
    {
        for (int i = 0; i < count; i++)
        {
            if (!isFree(i))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Harness thread, after the system stopped for good: records every measured task still in flight as if it
     * completed at {@code nowNanos} (a lower bound of its latency).
     *
     * @return how many were recorded so.
     */
    long recordUnfinished(final long nowNanos)
    {
        long n = 0;
        for (int i = 0; i < count; i++)
        {
            if (!isFree(i))
            {
                final long intended = slots[i * STRIDE + INTENDED];
                if (intended - measureFrom >= 0 && intended - measureTo < 0)
                {
                    recordLowerBound(nowNanos - intended);
                    n++;
                }
            }
        }
        return n;
    }

    /** Harness thread: records a task that never completed (or was never sent) with a lower bound of its latency. */
    void recordLowerBound(final long nanos)
    {
        corrected.recordValue(Math.min(Math.max(0, nanos), HIGHEST_NANOS));
    }

    /** @return the corrected histogram (completion - intended send time); call once, after the run. */
    Histogram corrected()
    {
        return corrected.getIntervalHistogram();
    }

    /** @return the naive histogram (completion - actual send time); call once, after the run. */
    Histogram naive()
    {
        return naive.getIntervalHistogram();
    }

    /** @return System.nanoTime() of the last measured completion (racy among completers; off by nanoseconds). */
    long lastCompletionNanos()
    {
        return lastCompletion.get();
    }

    /** The start of the measured window. */
    long measureFrom()
    {
        return measureFrom;
    }

    /** A timestamp on its own cache lines, opaque stores and loads: any thread may write, the harness reads. */
    @SuppressWarnings("unused")
    static final class PaddedNanos
    {
        private static final VarHandle VALUE;

        static
        {
            try
            {
                VALUE = MethodHandles.lookup().findVarHandle(PaddedNanos.class, "value", long.class);
            }
            catch (final ReflectiveOperationException e)
            {
                throw new ExceptionInInitializerError(e);
            }
        }

        private long p01, p02, p03, p04, p05, p06, p07;
        private long value;
        private long q01, q02, q03, q04, q05, q06, q07;

        void set(final long nanos)
        {
            VALUE.setOpaque(this, nanos); // no ordering needed: read once, after the run has quiesced
        }

        long get()
        {
            return (long)VALUE.getOpaque(this);
        }
    }
}
