package dev.ringmaster.dispatch.internal;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.WriterReaderPhaser;

/**
 * One HdrHistogram per {@link Stage}, written by the routing role's holder and read as interval histograms by metrics
 * readers on any thread.
 *
 * <p>Why not one {@code SingleWriterRecorder} per stage: each of its records costs two atomic increments (enter and
 * leave its phaser), four stages per task. Here the role's holder enters one shared phaser once per hold, however many
 * values it records, and records into plain histograms; a reader swaps a stage's histogram for a cleared one and flips
 * the phaser, which waits only for holders already inside.
 */
public final class StageRecorders
{
    /** One hour in nanoseconds: longer values are clamped, a fixed range keeps recording allocation-free. */
    public static final long HIGHEST_TRACKABLE_NANOS = 3_600_000_000_000L;

    private final WriterReaderPhaser phaser = new WriterReaderPhaser();
    private final Pair[] pairs = new Pair[Stage.values().length];

    StageRecorders()
    {
        for (int i = 0; i < pairs.length; i++)
        {
            pairs[i] = new Pair();
        }
    }

    /**
     * The thread inside the writer section (the role's holder). Callbacks run there: a callback that reads metrics
     * must not flip the phaser, which would wait for the callback's own thread to leave the section.
     */
    private final java.util.concurrent.atomic.AtomicReference<Thread> writer = new java.util.concurrent.atomic.AtomicReference<>();

    /** A reader does not wait for a holder whose work started this long ago (see {@link #working}). */
    static final long STUCK_WRITER_NANOS = 20_000_000L;

    /**
     * When the holder last started a piece of work (a cycle, an arrival), by its own clock reads; an ordered store,
     * cheap, router-owned. Why: a holder stays inside the writer section for as long as a strategy or listener call
     * takes, and one that never returns made every metrics read (the admin endpoint's, a demo's summary) wait for ever
     * in {@code flipPhase}. What is left: a reader that came in the call's first {@value #STUCK_WRITER_NANOS} ns still
     * waits for it (flipPhase has no timeout), and holds the metrics reader's lock meanwhile; a shorter patience makes
     * that less likely and costs only a read that finds nothing new while a cycle runs long (its values stay).
     */
    private final java.util.concurrent.atomic.AtomicLong workingSince = new java.util.concurrent.atomic.AtomicLong();

    /** Role holder: its clock at the start of a piece of work. */
    void working(final long nowNanos)
    {
        workingSince.lazySet(nowNanos);
    }

    /** Role holder: @return the token to pass to {@link #exit}. */
    long enter()
    {
        final long token = phaser.writerCriticalSectionEnter();
        writer.set(Thread.currentThread());
        return token;
    }

    void exit(final long token)
    {
        writer.compareAndSet(Thread.currentThread(), null); // not a later holder's mark
        phaser.writerCriticalSectionExit(token);
    }

    /** Role holder, between {@link #enter} and {@link #exit}. */
    void record(final Stage stage, final long nanos)
    {
        pairs[stage.ordinal()].active.recordValue(Math.max(1, Math.min(nanos, HIGHEST_TRACKABLE_NANOS)));
    }

    /** Reader side (any thread): the values recorded since the last call, into {@code recycle} if not null. */
    public Histogram intervalHistogram(final Stage stage, final Histogram recycle)
    {
        final Pair pair = pairs[stage.ordinal()];
        final Histogram out = recycle != null ? recycle : newHistogram();
        if (writer.get() == Thread.currentThread())
        {
            // called from a callback on the role's holder: the values recorded so far go to the next reader
            out.reset();
            return out;
        }
        if (writer.get() != null && System.nanoTime() - workingSince.get() > STUCK_WRITER_NANOS)
        {
            // the holder is stuck in a call (or its last clock read is old): its values stay in the active histogram
            // for the next read, rather than this reader waiting for it, perhaps for ever, holding the reader lock
            out.reset();
            return out;
        }
        phaser.readerLock();
        try
        {
            final Histogram cleared = pair.inactive;
            cleared.reset();
            final Histogram filled = pair.active;
            pair.active = cleared;
            phaser.flipPhase(); // returns once no holder can still be writing into 'filled'
            pair.inactive = filled;
            out.reset();
            out.add(filled);
            return out;
        }
        finally
        {
            phaser.readerUnlock();
        }
    }

    private static Histogram newHistogram()
    {
        return new Histogram(1, HIGHEST_TRACKABLE_NANOS, 3);
    }

    /** The histogram holders write into, and its spare; swapped under the phaser's reader lock. */
    private static final class Pair
    {
        volatile Histogram active = newHistogram();
        Histogram inactive = newHistogram();
    }
}
