package dev.ringmaster.journal;

import dev.ringmaster.journal.internal.WriterLock;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The checks of a journal directory and its cycle files made before Chronicle opens them: the damage Chronicle reports
 * only from deep inside, or not at all, named with the file and the fix. Stateless; safe on any thread.
 */
final class CycleFiles
{
    /** Chronicle writes a header of a few hundred bytes before any record; a cycle file shorter than this is cut. */
    private static final long MIN_CYCLE_FILE_BYTES = 512;
    /** After the header's 4-byte length word (not compared), binary wire writes the field name "header". */
    private static final byte[] CYCLE_HEADER_START = {0, 0, 0, 0, (byte)0xb9, 6, 'h', 'e', 'a', 'd', 'e', 'r'};

    private CycleFiles()
    {
    }

    /** @throws JournalException unless {@code directory} exists and holds at least one cycle file. */
    static void checkDirectory(final Path directory)
    {
        if (!Files.exists(directory))
        {
            throw new JournalException("no journal at " + directory + ": the directory does not exist; give the " +
                "directory a run wrote with --journal DIR");
        }
        if (!Files.isDirectory(directory))
        {
            throw new JournalException("no journal at " + directory + ": it is a file, give the journal's directory");
        }
        final java.util.List<Path> cycles;
        try (Stream<Path> files = Files.list(directory))
        {
            cycles = files.filter(p -> p.getFileName().toString().endsWith(".cq4")).sorted().toList();
        }
        catch (final IOException e)
        {
            throw new JournalException("cannot list the journal directory " + directory + ": " + e.getMessage(), e);
        }
        if (cycles.isEmpty())
        {
            // a run that opened the journal leaves its description before its first record: telling that apart
            // from a wrong directory saves looking for a mistyped path that was right
            final String why = WriterLock.held(directory)
                ? "the run writing it has not written its first record yet; check again in a moment"
                : Files.exists(directory.resolve(JournalInfo.FILE_NAME))
                ? "a run opened this journal (" + JournalInfo.FILE_NAME + " is here) and stopped before it wrote " +
                  "its first record, so it holds nothing to read; check that run's output for why it stopped"
                : "give the directory a run wrote with --journal DIR";
            throw new JournalException("no journal at " + directory + ": the directory holds no cycle files (*.cq4); " +
                why);
        }
        // a live writer creates its next cycle file a moment before it writes the file's header: that file, the
        // newest, is the journal's current end, not damage
        final boolean live = WriterLock.held(directory);
        for (int i = 0; i < cycles.size(); i++)
        {
            checkCycleFile(cycles.get(i), live && i == cycles.size() - 1);
        }
    }

    /**
     * The damage Chronicle itself reports only from deep inside (a parse error of the file name, a class it cannot
     * find in a cut header) or not at all (an empty file reads as an empty journal), named with the fix.
     */
    private static void checkCycleFile(final Path cycle, final boolean beingCreated)
    {
        final String name = cycle.getFileName().toString();
        if (!name.matches("\\d{8}.*\\.cq4"))
        {
            throw JournalCorruptException.beforeReading(cycle, "not a cycle file of a journal (they are named by date, e.g. " +
                "20261129F.cq4); move it out of the journal directory", null);
        }
        final long size;
        try
        {
            size = Files.size(cycle);
        }
        catch (final IOException e)
        {
            throw JournalCorruptException.beforeReading(cycle, "cannot be read (" + e.getMessage() + "); check its permissions", e);
        }
        if (beingCreated)
        {
            return;
        }
        if (size < MIN_CYCLE_FILE_BYTES)
        {
            throw JournalCorruptException.beforeReading(cycle, "truncated to " + size + " bytes, shorter than the header every " +
                "cycle file starts with; restore it from a copy, or move it aside to read the other cycle files", null);
        }
        checkHeader(cycle);
    }

    /**
     * Chronicle names a foreign or overwritten header only as "Unexpected magic number", without the file, or reads
     * such a file as an empty journal when the queue's metadata is present.
     */
    private static void checkHeader(final Path cycle)
    {
        final byte[] start = new byte[CYCLE_HEADER_START.length];
        try (java.io.InputStream in = Files.newInputStream(cycle))
        {
            final int read = in.readNBytes(start, 0, start.length);
            // zeros after the length word: a writer killed before it wrote the header, which reads as the journal's end
            if (read == start.length && (java.util.Arrays.equals(start, 4, start.length, new byte[start.length], 4,
                start.length) || java.util.Arrays.equals(start, 4, start.length, CYCLE_HEADER_START, 4, start.length)))
            {
                return;
            }
        }
        catch (final IOException e)
        {
            throw JournalCorruptException.beforeReading(cycle, "cannot be read (" + e.getMessage() + "); check its permissions", e);
        }
        throw JournalCorruptException.beforeReading(cycle, "does not start with a journal's header (another program's " +
            "file, or overwritten); move it aside to read the other cycle files, or restore it from a copy", null);
    }
}
