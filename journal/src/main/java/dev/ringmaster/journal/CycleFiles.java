package dev.ringmaster.journal;

import dev.ringmaster.journal.internal.RetentionSweeper;
import dev.ringmaster.journal.internal.RollCycleDetector;
import dev.ringmaster.journal.internal.WriterLock;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.TableStore;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.impl.table.Metadata;
import net.openhft.chronicle.queue.impl.table.SingleTableBuilder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
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
    /** Chronicle's key, in the queue metadata, of the highest cycle whose file it finished creating. */
    private static final String HIGHEST_CYCLE_KEY = "listing.highestCycle";
    /** How much of the header, after {@link #CYCLE_HEADER_START}, holds the writePosition field. */
    private static final int HEADER_PROBE_BYTES = 64;
    /** Binary wire's code of an array of longs, which the writePosition field is. */
    private static final int LONG_ARRAY = 0x8d;
    /** Chronicle's writePosition array holds 2 longs; more than this is no header Chronicle wrote. */
    private static final long MAX_WRITE_POSITION_LONGS = 64;
    /** Chronicle's mark on a document's length word while the document, here the header, is being written. */
    private static final int NOT_COMPLETE = 0x8000_0000;
    /** The length bits of a document's length word (the two top bits are Chronicle's marks). */
    private static final int LENGTH_MASK = 0x3fff_ffff;
    /** More than any header Chronicle writes (a few hundred bytes); how much of a file the header checks read. */
    private static final int MAX_HEADER_BYTES = 64 << 10;
    /** Binary wire's code of a type prefix: the header's value, right after its name, is a typed SCQStore. */
    private static final int TYPE_PREFIX = 0xb6;
    /**
     * A finished header ends in a field name and a scalar value (at most 9 bytes); this many zeros at its end are
     * where the writing stopped.
     */
    private static final int CUT_HEADER_ZEROS = 16;
    private static final String HEADER_FIX = "restore it from a copy, or move it aside to read the other cycle files " +
        "(the records in it are then missing, and the tasks accepted in it are not recovered)";

    private CycleFiles()
    {
    }

    /**
     * @return the newest cycle file if a writer was killed while it created that file (it holds no record: nothing was
     *     lost), else null.
     * @throws JournalException unless {@code directory} exists and holds at least one cycle file, and each is sound.
     */
    static Path checkDirectory(final Path directory)
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
        Path startedOnly = null;
        for (int i = 0; i < cycles.size(); i++)
        {
            final Path cycle = cycles.get(i);
            final boolean newest = i == cycles.size() - 1;
            if (!checkCycleFile(cycle, live && newest))
            {
                // without a header: a writer killed while it created the file, if the file is the newest and Chronicle
                // never counted it as created; a file it did count held records once, and they are gone
                if (!newest || !neverCompleted(directory, cycle))
                {
                    throw JournalCorruptException.beforeReading(cycle, emptyProblem(cycle, newest), null);
                }
                startedOnly = cycle;
            }
        }
        return startedOnly;
    }

    /**
     * For a writer about to open the journal (holding its writer lock): the newest cycle file if a writer was killed
     * while it created it, else null. Never throws: damage is for readers to report.
     */
    static Path startedOnly(final Path directory)
    {
        final Path newest;
        try (Stream<Path> files = Files.list(directory))
        {
            newest = files.filter(p -> p.getFileName().toString().matches("\\d{8}.*\\.cq4")).sorted()
                .reduce((a, b) -> b).orElse(null);
        }
        catch (final IOException e)
        {
            return null;
        }
        return newest != null && headerless(newest) && neverCompleted(directory, newest) ? newest : null;
    }

    /** @return true if the file is 0 bytes, or long enough and zeros where the header goes. */
    private static boolean headerless(final Path cycle)
    {
        final byte[] start = new byte[CYCLE_HEADER_START.length];
        try (java.io.InputStream in = Files.newInputStream(cycle))
        {
            final long size = Files.size(cycle);
            return size == 0 || (size >= MIN_CYCLE_FILE_BYTES && in.readNBytes(start, 0, start.length) == start.length &&
                (java.util.Arrays.equals(start, 4, start.length, new byte[start.length], 4, start.length) ||
                 unfinished(start)));
        }
        catch (final IOException e)
        {
            return false;
        }
    }

    /** @return what is wrong with a cycle file without a header, for the damage report. */
    private static String emptyProblem(final Path cycle, final boolean newest)
    {
        final long size = cycle.toFile().length();
        final String fix = "restore it from a copy, or move it aside to read the other cycle files";
        final byte[] start = new byte[CYCLE_HEADER_START.length];
        try (java.io.InputStream in = Files.newInputStream(cycle))
        {
            if (in.readNBytes(start, 0, start.length) == start.length && unfinished(start))
            {
                return "its header is marked unfinished (Chronicle Queue's not-complete mark is still on the header's " +
                    "length word: a writer stopped while it wrote the header, or the word was overwritten), yet the " +
                    "file was counted as created" + (newest ? "" : " and cycle files follow it") + ", so none of its " +
                    "records can be read; " + HEADER_FIX;
            }
        }
        catch (final IOException e)
        {
            // the messages below need only the size
        }
        if (size == 0)
        {
            return "truncated to 0 bytes, shorter than the header every cycle file starts with" +
                (newest ? "" : ", and cycle files follow it") + "; " + fix;
        }
        return "its header is zeros, so every record it held is lost" + (newest ? "" : ", and cycle files follow it") +
            "; " + fix;
    }

    /**
     * Chronicle reads the queue's metadata file (the highest cycle, the roll) with the cycle files, and a reader finds
     * every record without it: missing or empty, Chronicle logs a warning with a stack trace and reads on.
     *
     * @return what is wrong with {@code metadata.cq4t} in {@code directory} ("missing", "empty", "damaged (why)"), or
     *     null if Chronicle opens it.
     */
    static String metadataProblem(final Path directory)
    {
        final Path metadata = directory.resolve(SingleChronicleQueue.QUEUE_METADATA_FILE);
        if (!Files.exists(metadata))
        {
            return "missing";
        }
        try
        {
            if (Files.size(metadata) == 0)
            {
                return "empty";
            }
        }
        catch (final IOException e)
        {
            return "unreadable (" + e.getMessage() + ")";
        }
        if (metadataOverwritten(metadata))
        {
            return OVERWRITTEN;
        }
        SingleChronicleQueueBuilder.addAliases();
        try (TableStore<Metadata.NoMeta> store = SingleTableBuilder.binary(metadata, Metadata.NoMeta.INSTANCE)
            .readOnly(true).build())
        {
            store.acquireValueFor(HIGHEST_CYCLE_KEY).getVolatileValue();
            return null;
        }
        catch (final Exception e)
        {
            // Chronicle throws checked exceptions undeclared
            return "damaged (" + e.getMessage() + ")";
        }
    }

    /**
     * For a writer about to open the journal: Chronicle Queue would wait about 10 s for a lock it can never claim on a
     * metadata file whose header is overwritten (twice: about 21 s), then fail.
     *
     * @throws JournalException as a reader refuses such a journal (the same message and fix).
     */
    static void refuseOverwrittenMetadata(final Path directory)
    {
        final Path metadata = directory.resolve(SingleChronicleQueue.QUEUE_METADATA_FILE);
        if (Files.isRegularFile(metadata) && metadataOverwritten(metadata))
        {
            throw unopenable(directory, OVERWRITTEN, null);
        }
    }

    /** @return the refusal of a journal whose metadata file Chronicle Queue cannot open with, and the fix. */
    static JournalException unopenable(final Path directory, final String problem, final Exception cause)
    {
        final Path metadata = directory.resolve(SingleChronicleQueue.QUEUE_METADATA_FILE);
        return new JournalException("cannot open the journal in " + directory + ": its queue metadata file " + metadata +
            " is " + problem + ", and Chronicle Queue cannot open the journal with it. Move it aside (mv " + metadata +
            " " + metadata + ".damaged): the records are then read from the cycle files without it, and a writer " +
            "rebuilds it the next time it opens the journal", cause);
    }

    /** {@link #metadataProblem}'s answer for a metadata file whose header is not one Chronicle wrote. */
    static final String OVERWRITTEN = "damaged (its header is not one Chronicle Queue writes: overwritten)";

    /**
     * @return true if the metadata file's first bytes are not a Chronicle header (a length word, then the field name
     *     "header", as a cycle file's). Why check before Chronicle does: with such a header, Chronicle waits about 10 s
     *     for a lock it can never claim, once to read the file and once to open the queue, so {@code replay} of such a
     *     journal printed its error after 21 s.
     */
    private static boolean metadataOverwritten(final Path metadata)
    {
        final byte[] start = new byte[CYCLE_HEADER_START.length];
        try (java.io.InputStream in = Files.newInputStream(metadata))
        {
            final int read = in.readNBytes(start, 0, start.length);
            return read == start.length && !java.util.Arrays.equals(start, 4, read, CYCLE_HEADER_START, 4, read);
        }
        catch (final IOException e)
        {
            return false; // left to Chronicle, which names what it cannot read
        }
    }

    /**
     * Builds the queue without Chronicle's "Failback to readonly tablestore" warning, whose stack trace reads as a
     * crash on a command line while every record is still read: the reader reports the metadata file itself. Other
     * warnings still go to Chronicle's handler.
     */
    static SingleChronicleQueue buildQuietly(final SingleChronicleQueueBuilder builder)
    {
        final net.openhft.chronicle.core.onoes.ExceptionHandler warn = net.openhft.chronicle.core.Jvm.warn();
        if (!(warn instanceof net.openhft.chronicle.core.onoes.ThreadLocalisedExceptionHandler local))
        {
            return builder.build();
        }
        final net.openhft.chronicle.core.onoes.ExceptionHandler before = local.threadLocalHandler();
        final net.openhft.chronicle.core.onoes.ExceptionHandler next = before != null ? before : local.defaultHandler();
        local.threadLocalHandler(new net.openhft.chronicle.core.onoes.ExceptionHandler()
        {
            @Override
            public void on(final org.slf4j.Logger logger, final String message, final Throwable thrown)
            {
                if (message == null || !message.startsWith("Failback to readonly tablestore"))
                {
                    next.on(logger, message, thrown);
                }
            }
        });
        try
        {
            return builder.build();
        }
        finally
        {
            if (before == null)
            {
                local.resetThreadLocalHandler();
            }
            else
            {
                local.threadLocalHandler(before);
            }
        }
    }

    /**
     * Chronicle counts a cycle file as created (the queue metadata's highest cycle) only once its header is written,
     * before any record goes into it. @return true if {@code cycle} lies past the highest cycle counted: its creation
     * was cut off, so it never held a record. False when the metadata cannot tell (missing, unreadable), so that
     * doubt reads as damage.
     */
    private static boolean neverCompleted(final Path directory, final Path cycle)
    {
        final Path metadata = directory.resolve(SingleChronicleQueue.QUEUE_METADATA_FILE);
        final RollCycle rollCycle = RollCycleDetector.detect(directory.toFile());
        if (!Files.isRegularFile(metadata) || rollCycle == null)
        {
            return false;
        }
        // the metadata's header names Chronicle's SCQMeta by an alias the queue builder registers
        SingleChronicleQueueBuilder.addAliases();
        final long highest;
        try (TableStore<Metadata.NoMeta> store = SingleTableBuilder.binary(metadata, Metadata.NoMeta.INSTANCE)
            .readOnly(true).build())
        {
            highest = store.acquireValueFor(HIGHEST_CYCLE_KEY).getVolatileValue();
        }
        catch (final Exception e)
        {
            // Chronicle throws checked exceptions undeclared
            return false;
        }
        if (highest < 0 || highest > Integer.MAX_VALUE)
        {
            return false;
        }
        // the queue's epoch is 0: the journal never sets one
        final String counted = DateTimeFormatter.ofPattern(rollCycle.format()).withZone(ZoneOffset.UTC)
            .format(Instant.ofEpochMilli(highest * rollCycle.lengthInMillis())) + RetentionSweeper.CYCLE_SUFFIX;
        // the names sort chronologically (see RetentionSweeper)
        return cycle.getFileName().toString().compareTo(counted) > 0;
    }

    /**
     * The damage Chronicle itself reports only from deep inside (a parse error of the file name, a class it cannot
     * find in a cut header) or not at all (an empty file reads as an empty journal), named with the fix.
     *
     * @return false if the file has no header yet (0 bytes, or zeros where the header goes): for the caller to judge.
     */
    private static boolean checkCycleFile(final Path cycle, final boolean beingCreated)
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
            return true;
        }
        if (size == 0)
        {
            return false;
        }
        if (size < MIN_CYCLE_FILE_BYTES)
        {
            throw JournalCorruptException.beforeReading(cycle, "truncated to " + size + " bytes, shorter than the header every " +
                "cycle file starts with; restore it from a copy, or move it aside to read the other cycle files", null);
        }
        return checkHeader(cycle);
    }

    /**
     * Chronicle names a foreign or overwritten header only as "Unexpected magic number", without the file, or reads
     * such a file as an empty journal when the queue's metadata is present.
     *
     * @return false if the header is zeros (not written yet), true if it is a journal's.
     */
    private static boolean checkHeader(final Path cycle)
    {
        try (java.io.InputStream file = Files.newInputStream(cycle))
        {
            final byte[] start = file.readNBytes(MAX_HEADER_BYTES);
            final int read = Math.min(start.length, CYCLE_HEADER_START.length);
            if (read == CYCLE_HEADER_START.length && java.util.Arrays.equals(start, 4, read, CYCLE_HEADER_START, 4,
                read))
            {
                if (unfinished(start))
                {
                    // begun and never finished: for the caller to judge, as a file without a header
                    return false;
                }
                checkHeaderFinished(cycle, start);
                checkWritePosition(cycle, new java.io.ByteArrayInputStream(start, read, start.length - read));
                checkStructure(cycle, start);
                return true;
            }
            // zeros after the length word: no header written (yet)
            if (read == CYCLE_HEADER_START.length && java.util.Arrays.equals(start, 4, read, new byte[read], 4, read))
            {
                return false;
            }
        }
        catch (final IOException e)
        {
            throw JournalCorruptException.beforeReading(cycle, "cannot be read (" + e.getMessage() + "); check its permissions", e);
        }
        throw JournalCorruptException.beforeReading(cycle, "does not start with a journal's header (another program's " +
            "file, or overwritten); move it aside to read the other cycle files, or restore it from a copy", null);
    }

    /** @return true if the header's length word carries Chronicle's not-complete mark (little-endian, top bit). */
    private static boolean unfinished(final byte[] start)
    {
        return (start[3] & 0x80) != 0;
    }

    /**
     * A header whose writing was cut off (zeros up to the end its length word gives) or whose length word alone is
     * zeros: Chronicle fails with a bare "UnsupportedOperationException: Unknown_0x0" that names no file, or reads the
     * file as one not yet begun, an empty journal, while its records are all there.
     *
     * @param head the file's first bytes (up to {@link #MAX_HEADER_BYTES}), starting with {@link #CYCLE_HEADER_START}.
     */
    private static void checkHeaderFinished(final Path cycle, final byte[] head)
    {
        final int word = java.nio.ByteBuffer.wrap(head, 0, Integer.BYTES).order(java.nio.ByteOrder.LITTLE_ENDIAN)
            .getInt();
        final int length = word & LENGTH_MASK;
        if (length == 0)
        {
            throw JournalCorruptException.beforeReading(cycle, "the length word of its header (bytes 0x0-0x3) is " +
                "zeros while the header itself is there, so Chronicle Queue takes the file for one not yet begun and " +
                "none of its records can be read; " + HEADER_FIX, null);
        }
        final int end = Integer.BYTES + length;
        if (end > head.length)
        {
            throw JournalCorruptException.beforeReading(cycle, String.format(java.util.Locale.ROOT, "its header is " +
                "damaged (its length word reads %d bytes, more than the file's header can hold), so Chronicle Queue " +
                "cannot open the file and none of its records can be read; %s", length, HEADER_FIX), null);
        }
        int zerosFrom = end;
        while (zerosFrom > CYCLE_HEADER_START.length && head[zerosFrom - 1] == 0)
        {
            zerosFrom--;
        }
        if (end - zerosFrom >= CUT_HEADER_ZEROS || (head[CYCLE_HEADER_START.length] & 0xff) != TYPE_PREFIX)
        {
            final int from = (head[CYCLE_HEADER_START.length] & 0xff) != TYPE_PREFIX ? CYCLE_HEADER_START.length
                : zerosFrom;
            throw JournalCorruptException.beforeReading(cycle, String.format(java.util.Locale.ROOT, "its header is " +
                "cut short (zeros or foreign bytes from byte 0x%x, where the header runs to byte 0x%x: a writer " +
                "stopped while Chronicle Queue wrote it, or it was overwritten), so Chronicle Queue cannot open the " +
                "file and none of its records can be read; %s", from, end, HEADER_FIX), null);
        }
    }

    /**
     * Damage inside a header whose start and end are intact (the checks above pass): Chronicle fails with a bare
     * "UnsupportedOperationException: Unknown_0x0" (zeros) or another parse error that names no file.
     *
     * @param head the file's first bytes, holding the whole header (checked by {@link #checkHeaderFinished}).
     */
    private static void checkStructure(final Path cycle, final byte[] head)
    {
        final int end = Integer.BYTES + (java.nio.ByteBuffer.wrap(head, 0, Integer.BYTES)
            .order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt() & LENGTH_MASK);
        final int broken = HeaderStructure.brokenAt(head, Integer.BYTES, end);
        if (broken != HeaderStructure.SOUND)
        {
            throw JournalCorruptException.beforeReading(cycle, String.format(java.util.Locale.ROOT, "its header is " +
                "damaged (bytes that are not Chronicle Queue's header at byte 0x%x, inside the header that runs to " +
                "byte 0x%x: overwritten), so Chronicle Queue cannot open the file and none of its records can be " +
                "read; %s", broken, end, HEADER_FIX), null);
        }
    }

    /**
     * Chronicle fails on an overwritten writePosition field of the header with a bare "IllegalArgumentException:
     * Capacity ... is too large" that names no file. The field is an array of longs (code {@link #LONG_ARRAY}, then
     * its capacity and the number used, 2 and 2 as Chronicle writes it) right after its name; a header laid out
     * otherwise (another Chronicle version) is left to Chronicle.
     *
     * @param in the file, read up to the end of {@link #CYCLE_HEADER_START}.
     */
    private static void checkWritePosition(final Path cycle, final java.io.InputStream in) throws IOException
    {
        final byte[] head = in.readNBytes(HEADER_PROBE_BYTES);
        final byte[] name = "writePosition".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int at = -1;
        for (int i = 0; i + name.length <= head.length && at < 0; i++)
        {
            at = java.util.Arrays.equals(head, i, i + name.length, name, 0, name.length) ? i + name.length : -1;
        }
        if (at < 0)
        {
            return;
        }
        // Chronicle pads the array to 8 bytes: the code follows a few padding bytes
        int code = -1;
        for (int i = at; i < Math.min(head.length, at + 8) && code < 0; i++)
        {
            code = (head[i] & 0xff) == LONG_ARRAY ? i : -1;
        }
        if (code < 0 || code + 1 + 2 * Long.BYTES > head.length)
        {
            return;
        }
        final java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(head, code + 1, 2 * Long.BYTES)
            .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        final long capacity = b.getLong();
        final long used = b.getLong();
        if (capacity < 1 || capacity > MAX_WRITE_POSITION_LONGS || used < 0 || used > capacity)
        {
            final long offset = CYCLE_HEADER_START.length + code + 1;
            throw JournalCorruptException.beforeReading(cycle, String.format(java.util.Locale.ROOT, "its header is " +
                "damaged (the writePosition field at byte 0x%x reads capacity %d, %d used), so Chronicle Queue " +
                "cannot open the file and none of its records can be read; restore it from a copy, or move it aside " +
                "to read the other cycle files (the records in it are then missing, and the tasks accepted in it are " +
                "not recovered)", offset, capacity, used), null);
        }
    }
}
