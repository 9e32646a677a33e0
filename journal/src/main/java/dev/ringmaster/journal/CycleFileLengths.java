package dev.ringmaster.journal;

import dev.ringmaster.journal.internal.RetentionSweeper;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

import java.io.File;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * What the lengths of a journal's cycle files say to its {@link JournalReader} (cut short, or a document that runs
 * past the end), each looked up once per cycle; confined to the reader's thread.
 */
final class CycleFileLengths
{
    /** Chronicle maps and grows cycle files in whole pages: a file of another length was cut by something else. */
    private static final long PAGE_BYTES = 4096;

    private final Path directory;
    private final SingleChronicleQueue queue;
    /** The cycle {@link #checkNotCut} last looked at, so that tailing at the end costs no file system call per poll. */
    private int checkedCycle = Integer.MIN_VALUE;
    /** The cycle {@link #cutAt} last looked at, and its file's length if that file is cut, else -1. */
    private int cutCycle = Integer.MIN_VALUE;
    private long cutLength = -1;
    /** The cycle whose file's length {@link #length} last looked up, and that length. */
    private int lengthCycle = Integer.MIN_VALUE;
    private long lengthBytes;

    CycleFileLengths(final Path directory, final SingleChronicleQueue queue)
    {
        this.directory = directory;
        this.queue = queue;
    }

    /**
     * At the end of the readable records: a cycle file that is not a whole number of pages was cut, and the records
     * after the cut are lost. Why here and not before reading: what lies before the cut is still read and delivered
     * (an audit shows a task's history up to the damage). A cut that lands exactly between two records, and on a page
     * boundary, cannot be told from a writer that stopped there.
     */
    void checkNotCut(final int cycle)
    {
        if (cycle == checkedCycle)
        {
            return;
        }
        checkedCycle = cycle;
        final File file = cycleFile(cycle);
        if (file != null && file.length() % PAGE_BYTES != 0)
        {
            throw new JournalCorruptException(file.toPath(), -1, "cut short: " + file.length() + " bytes is not a whole " +
                "number of " + PAGE_BYTES + "-byte pages, so the records after the cut are lost; restore the file from a " +
                "copy, or move it aside to read the other cycle files", null);
        }
    }

    /** @return the length of the cycle's file if it is cut (not whole pages), else -1; looked up once per cycle. */
    long cutAt(final int cycle)
    {
        if (cycle != cutCycle)
        {
            cutCycle = cycle;
            final File file = cycleFile(cycle);
            cutLength = file != null && file.length() % PAGE_BYTES != 0 ? file.length() : -1;
        }
        return cutLength;
    }

    /**
     * @return the length of the cycle's file (Long.MAX_VALUE if there is none), looked up again only when a document
     *     runs past the one known: a live writer grows the file
     */
    long length(final int cycle, final long atLeast)
    {
        if (cycle != lengthCycle || lengthBytes < atLeast)
        {
            final File file = cycleFile(cycle);
            lengthCycle = cycle;
            lengthBytes = file != null ? file.length() : Long.MAX_VALUE;
        }
        return lengthBytes;
    }

    /** @return the file of a cycle, named as Chronicle names it (the cycle's start, UTC, in the roll format). */
    File cycleFile(final int cycle)
    {
        final RollCycle rc = queue.rollCycle();
        final String name = DateTimeFormatter.ofPattern(rc.format()).withZone(ZoneOffset.UTC)
            .format(Instant.ofEpochMilli(queue.epoch() + (long)cycle * rc.lengthInMillis()));
        final File file = new File(directory.toFile(), name + RetentionSweeper.CYCLE_SUFFIX);
        return file.exists() ? file : null;
    }
}
