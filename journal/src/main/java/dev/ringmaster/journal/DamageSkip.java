package dev.ringmaster.journal;

import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

import java.io.File;
import java.util.function.IntFunction;

/**
 * Finds where a {@link JournalReader} can read on after a document Chronicle cannot read, and says what that skips;
 * confined to the reader's thread.
 *
 * <p>Why the queue's index: a document's header is the only way to the next document, so past an overwritten header
 * sequential reading is lost for the rest of the file. Chronicle also keeps the position of every
 * {@code indexSpacing()}-th document of a cycle file, and moving to such an index goes straight to it, so reading
 * resumes at the first indexed document after the damage, in the same file.
 */
final class DamageSkip
{
    private final SingleChronicleQueue queue;
    /** Asks how many documents a cycle holds (by the index), without moving the reader's tailer. */
    private final ExcerptTailer probe;
    private final IntFunction<File> cycleFile;

    DamageSkip(final SingleChronicleQueue queue, final IntFunction<File> cycleFile)
    {
        this.queue = queue;
        this.probe = queue.createTailer();
        this.cycleFile = cycleFile;
    }

    /**
     * @return the last index of {@code cycle} by Chronicle's index of its file, or -1 if that cannot be told (the
     *     count scans from the last indexed document, so damage after it hides the documents behind it).
     */
    long lastIndexOf(final int cycle)
    {
        try
        {
            final long count = probe.excerptsInCycle(cycle);
            return count < 1 ? -1 : queue.rollCycle().toIndex(cycle, count - 1);
        }
        catch (final RuntimeException e)
        {
            return -1; // Chronicle fails in many ways on a damaged file: the index then says nothing
        }
    }

    /**
     * Positions {@code tailer} after the unreadable document at {@code unreadable}: at the first indexed document
     * after it in its file, else at the next cycle file.
     *
     * @param reportFrom the first document of the damaged region that was skipped (an earlier skip's, or this one)
     * @param fileCut the file is cut short: nothing after the unreadable document is in it
     * @return whether reading can go on, and what was skipped and where reading resumed, for the damage report
     */
    Skip skip(final ExcerptTailer tailer, final long unreadable, final long reportFrom, final boolean fileCut)
    {
        final RollCycle rc = queue.rollCycle();
        final int cycle = rc.toCycle(unreadable);
        final long last = fileCut ? -1 : lastIndexOf(cycle);
        final long spacing = Math.max(1, queue.indexSpacing());
        // each try is strictly after the unreadable document, so a file damaged again and again still ends
        final long lastSequence = last >= 0 ? rc.toSequenceNumber(last) :
            fileCut ? -1 : rc.toSequenceNumber(unreadable) + spacing; // the count failed: try the next indexed one
        for (long sequence = (rc.toSequenceNumber(unreadable) / spacing + 1) * spacing; sequence <= lastSequence;
             sequence += spacing)
        {
            final long index = rc.toIndex(cycle, sequence);
            if (moved(tailer, index))
            {
                return new Skip(true, skipped(reportFrom, index - 1) + "; reading resumed at index 0x" +
                    Long.toHexString(index) + " in the same file");
            }
        }
        final String skipped = last >= unreadable ? skipped(reportFrom, last) :
            "the documents from index 0x" + Long.toHexString(reportFrom) + " to the end of the file were skipped, " +
                "their records are lost";
        final int lastCycle = queue.lastCycle();
        if (lastCycle != Integer.MIN_VALUE && cycle < lastCycle)
        {
            final Long next = queue.listCyclesBetween(cycle + 1, lastCycle).ceiling((long)cycle + 1);
            if (next != null && moved(tailer, next.intValue()))
            {
                final File file = cycleFile.apply(next.intValue());
                return new Skip(true, skipped + "; reading resumed in the next cycle file" +
                    (file != null ? " " + file : ""));
            }
        }
        return new Skip(false, skipped + "; no readable document follows");
    }

    /** Whether reading can go on after the damage, and what the damage report should add; immutable. */
    record Skip(boolean resumed, String note)
    {
    }

    private static String skipped(final long from, final long to)
    {
        return "the documents from index 0x" + Long.toHexString(from) + " to 0x" + Long.toHexString(to) + " (" +
            (to - from + 1) + ") were skipped, their records are lost";
    }

    private static boolean moved(final ExcerptTailer tailer, final long index)
    {
        try
        {
            return tailer.moveToIndex(index);
        }
        catch (final RuntimeException e)
        {
            return false; // the index itself is damaged there: the next indexed document may still be found
        }
    }

    private static boolean moved(final ExcerptTailer tailer, final int cycle)
    {
        try
        {
            return tailer.moveToCycle(cycle);
        }
        catch (final RuntimeException e)
        {
            return false;
        }
    }

    void close()
    {
        probe.close();
    }
}
