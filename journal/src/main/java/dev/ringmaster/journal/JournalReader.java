package dev.ringmaster.journal;

import dev.ringmaster.journal.internal.RecordExpander;
import dev.ringmaster.journal.internal.RecordLayout;
import dev.ringmaster.journal.internal.RollCycleDetector;
import dev.ringmaster.journal.internal.Varint;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.zip.CRC32C;

/**
 * Reads a journal's records in order, across roll cycles, from the start, from a time or from an index, also while
 * a writer appends (tailing: {@link #poll} returns 0 at the current end and finds later records on a later call);
 * confined to one thread. Opens the queue read-only, so it never changes the files it reads.
 *
 * <p>Every record is checked (size, version, type, checksum, string bounds); the first bad one, or a Chronicle
 * failure to read a file, ends reading with a {@link JournalCorruptException} that names the cycle file, after every
 * record before it was delivered.
 */
public final class JournalReader implements AutoCloseable
{
    private final Path directory;
    private final SingleChronicleQueue queue;
    private final ExcerptTailer tailer;
    private final DamageSkip damageSkip;
    private final CycleFileLengths files;
    private final JournalRecord record = new JournalRecord();
    private byte[] scratch = new byte[1024];
    private final org.agrona.concurrent.UnsafeBuffer scratchView = new org.agrona.concurrent.UnsafeBuffer(scratch);
    /** The unread part of the batch document in {@link #scratch}: records from batchPos to batchEnd. */
    private int batchPos;
    private int batchEnd;
    private long batchIndex;
    /** The batch holds compact records (container version 3), expanded one by one. */
    private boolean batchCompact;
    private final RecordExpander expander = new RecordExpander();
    private final Varint.Cursor cursor = new Varint.Cursor();
    private final CRC32C crc = new CRC32C();
    /** The record holds two events and the first was delivered: the next read delivers the second. */
    private boolean secondPending;
    /** The index of a document Chronicle itself could not read (the tailer cannot step past it), else -1. */
    private long unreadableAt = -1;
    /** An end of the readable documents that the file's index confirmed, and one to look at again, else -1. */
    private long endConfirmed = -1;
    private long endSuspect = -1;
    /** Told the number of records delivered so far every {@link #progressEvery} records, or null. */
    private java.util.function.LongConsumer progress;
    private long progressEvery;
    private long delivered;
    private long fromEpochNanos = Long.MIN_VALUE;
    /** Records that passed their checks, handed over or not: {@link #readToEnd(RecordHandler,
     * java.util.function.Consumer)} tells two damaged regions apart by one between them. */
    private long sound;
    /** Records handed over. */
    private long handed;

    /** What is wrong with the queue's metadata file, read around (see {@link #metadataWarning()}), or null. */
    private final String metadataProblem;

    private JournalReader(final Path directory, final String metadataProblem)
    {
        this.directory = directory;
        this.metadataProblem = metadataProblem;
        // a live writer finishes a new cycle file's header within microseconds, a killed one never does: a short wait
        // keeps a journal whose writer died mid-roll from costing ten seconds per look at that file
        final SingleChronicleQueueBuilder builder = SingleChronicleQueueBuilder.binary(directory).readOnly(true)
            .timeoutMS(50);
        final RollCycle rollCycle = RollCycleDetector.detect(directory.toFile());
        if (rollCycle != null)
        {
            builder.rollCycle(rollCycle);
        }
        this.queue = metadataProblem == null ? builder.build() : CycleFiles.buildQuietly(builder);
        this.tailer = queue.createTailer().toStart();
        this.files = new CycleFileLengths(directory, queue);
        this.damageSkip = new DamageSkip(queue, files::cycleFile);
    }

    /**
     * @return a one-line warning if the queue's metadata file ({@code metadata.cq4t}) is missing, empty or damaged and
     *     the records were read from the cycle files without it, else null.
     */
    public String metadataWarning()
    {
        return metadataProblem == null ? null : "metadata.cq4t in " + directory + " is damaged or missing (" +
            metadataProblem + "); the records were read from the cycle files without it (a writer rebuilds it the " +
            "next time it opens the journal)";
    }

    /**
     * Opens the journal in {@code directory} for reading, positioned at its start.
     *
     * @throws JournalException if the directory is missing, unreadable or holds no journal (also: a Chronicle queue
     *     another program wrote), or the JVM lacks flags
     *     the journal needs ({@link JournalJvm}).
     */
    public static JournalReader open(final Path directory)
    {
        JournalJvm.prepare();
        CycleFiles.checkDirectory(directory);
        final String metadataProblem = CycleFiles.metadataProblem(directory);
        if (CycleFiles.OVERWRITTEN.equals(metadataProblem))
        {
            throw CycleFiles.unopenable(directory, metadataProblem, null); // Chronicle would wait 10 s for a lock, then fail
        }
        final JournalReader reader;
        try
        {
            reader = new JournalReader(directory, metadataProblem);
        }
        catch (final Exception e)
        {
            if (metadataProblem != null)
            {
                // e.g. a damaged field: "Unable to claim exclusive shared lock on file .../metadata.cq4t"
                throw CycleFiles.unopenable(directory, metadataProblem, e);
            }
            // Chronicle throws checked exceptions (StreamCorruptedException) without declaring them
            throw new JournalException("cannot open the journal in " + directory + ": " + e, e);
        }
        try
        {
            ForeignQueue.check(directory, reader.queue);
        }
        catch (final JournalException e)
        {
            reader.close();
            throw e;
        }
        return reader;
    }

    /** Positions at the first record. @return this. */
    public JournalReader toStart()
    {
        tailer.toStart();
        batchPos = batchEnd = 0;
        secondPending = false;
        unreadableAt = -1;
        fromEpochNanos = Long.MIN_VALUE;
        return this;
    }

    /**
     * Positions at the first record at or after {@code epochMillis}: jumps to the first cycle file that may hold it,
     * then skips earlier records. @return this.
     */
    public JournalReader fromTime(final long epochMillis)
    {
        tailer.toStart();
        batchPos = batchEnd = 0;
        secondPending = false;
        unreadableAt = -1;
        fromEpochNanos = epochMillis * 1_000_000L;
        final int length = queue.rollCycle().lengthInMillis();
        final int target = (int)Math.max(0, (epochMillis - queue.epoch()) / length);
        final int first = queue.firstCycle();
        final int last = queue.lastCycle();
        if (first != Integer.MAX_VALUE && target > first)
        {
            // a batch document takes the cycle in which it was opened, and its drain may go on past the cycle's
            // end: records stamped just after the target cycle began can sit in the cycle before it, so start there
            // (records before the time are skipped below)
            final NavigableSet<Long> cycles = queue.listCyclesBetween(first, last);
            final Long before = cycles.lower((long)target);
            final Long from = before != null ? before : cycles.ceiling((long)target);
            if (from != null)
            {
                tailer.moveToCycle(from.intValue());
            }
            else
            {
                tailer.toEnd();
            }
        }
        return this;
    }

    /**
     * Positions at the document with this Chronicle index (see {@link JournalRecord#index()}: a batch's records
     * share it). @return false if there is none.
     */
    public boolean moveTo(final long index)
    {
        batchPos = batchEnd = 0;
        secondPending = false;
        unreadableAt = -1;
        return tailer.moveToIndex(index);
    }

    /**
     * Delivers up to {@code limit} records to {@code handler}.
     *
     * @return the number delivered; 0 at the current end of the journal (poll again to tail a live journal).
     * @throws JournalCorruptException at the first unreadable record, naming its file.
     */
    public int poll(final RecordHandler handler, final int limit)
    {
        int delivered = 0;
        try
        {
            while (delivered < limit)
            {
                final int read = readOne(handler);
                if (read < 0)
                {
                    break;
                }
                delivered += read;
            }
        }
        catch (final InternalError e)
        {
            // a read of a mapped page past the end of a cut file faults; the JVM may raise it a little after the read
            // that faulted, outside readOne's own catch
            batchPos = batchEnd;
            unreadableAt = tailer.index();
            throw corrupt(unreadableAt, "Chronicle Queue cannot read it, the file ends early: " + e, e);
        }
        return delivered;
    }

    /** Delivers every record up to the current end. @return the number delivered. */
    public long readToEnd(final RecordHandler handler)
    {
        long total = 0;
        int n;
        while ((n = poll(handler, 4096)) > 0)
        {
            total += n;
        }
        return total;
    }

    /**
     * Delivers every readable record up to the current end, reading on past damage: a record that fails its checks
     * is skipped alone, a batch whose framing is broken from there to the next document, a document Chronicle cannot
     * read (its header overwritten) to the next document the file's index lists, else to the next cycle file. Each
     * damaged region goes to {@code onDamage}, in order, naming the file, the index, what is wrong and which
     * documents were skipped.
     *
     * @return the number of records delivered.
     */
    public long readToEnd(final RecordHandler handler, final java.util.function.Consumer<JournalCorruptException> onDamage)
    {
        // one overwritten place fails several checks in a row (a record's checksum, then the next one's length):
        // reported one by one, it read as several damaged places, all at one index
        JournalCorruptException region = null;
        int more = 0;
        // the documents skipped in the region: from its first unreadable one, to where reading last resumed
        long skippedFrom = -1;
        String skipped = null;
        // counted as handed over: a read that ends in damage still delivered the records before it
        final long handedAtStart = handed;
        while (true)
        {
            // sound records, also those before a start time that are not handed over: they end a damaged region
            final long soundBefore = sound;
            try
            {
                readToEnd(handler);
                if (region != null)
                {
                    onDamage.accept(region.withMore(more).withSkipped(skipped));
                }
                return handed - handedAtStart;
            }
            catch (final JournalCorruptException e)
            {
                if (region != null && sound == soundBefore && e.file().equals(region.file()))
                {
                    more++;
                }
                else
                {
                    if (region != null)
                    {
                        onDamage.accept(region.withMore(more).withSkipped(skipped));
                    }
                    region = e;
                    more = 0;
                    skippedFrom = -1;
                    skipped = null;
                }
                final long unreadable = unreadableAt;
                final DamageSkip.Skip skip = skipDamage(skippedFrom);
                if (skip != null)
                {
                    skippedFrom = skippedFrom < 0 ? unreadable : skippedFrom;
                    skipped = skip.note();
                }
                if (skip != null && !skip.resumed())
                {
                    onDamage.accept(region.withMore(more).withSkipped(skipped));
                    return handed - handedAtStart;
                }
            }
        }
    }

    /**
     * After damage: positions past it.
     *
     * @param reportFrom the first document this damaged region skipped already, or -1
     * @return null if the damaged document was read whole (the tailer is already past it), else what was skipped
     *     and whether anything readable follows
     */
    private DamageSkip.Skip skipDamage(final long reportFrom)
    {
        // a record that failed its checks was stepped over already: the batch's other records are still read (a
        // batch whose framing is broken was given up on where that was found)
        secondPending = false;
        final long unreadable = unreadableAt;
        if (unreadable < 0)
        {
            return null;
        }
        unreadableAt = -1;
        batchPos = batchEnd = 0;
        final int cycle = unreadable > 0 ? queue.rollCycle().toCycle(unreadable) : tailer.cycle();
        return damageSkip.skip(tailer, unreadable, reportFrom < 0 ? unreadable : reportFrom, files.cutAt(cycle) >= 0);
    }

    /** @return copies of every record up to the current end (allocates one event per record). */
    public List<JournalEvent> events()
    {
        final List<JournalEvent> events = new ArrayList<>();
        readToEnd(r -> events.add(r.toEvent()));
        return events;
    }

    /** @return the journal's directory. */
    public Path directory()
    {
        return directory;
    }

    /** @return 1 if a record was delivered, 0 if none was (metadata, a batch opened, before the start time), -1 at the end. */
    private int readOne(final RecordHandler handler)
    {
        if (secondPending)
        {
            secondPending = false;
            record.showFirstOfTwo(false);
            return offer(handler);
        }
        if (batchPos < batchEnd)
        {
            return nextInBatch(handler);
        }
        final int length;
        final long index;
        try (DocumentContext dc = tailer.readingDocument())
        {
            if (!dc.isPresent())
            {
                files.checkNotCut(tailer.cycle());
                return checkEnd();
            }
            if (!dc.isData())
            {
                return 0;
            }
            index = dc.index();
            final Bytes<?> bytes = dc.wire().bytes();
            final long remaining = bytes.readRemaining();
            if (remaining > Integer.MAX_VALUE)
            {
                throw corrupt(index, "a document claims " + remaining + " bytes", null);
            }
            final long cut = files.cutAt(tailer.cycle());
            if (cut >= 0 && bytes.readPosition() + remaining > cut)
            {
                // read on, the mapping past the cut faults, and the JVM raises that fault a little later, in this
                // document or the next: the same cut was reported at two indexes by two commands
                unreadableAt = index;
                throw corrupt(index, "the file ends at byte " + cut + ", inside this document (which runs to byte " +
                    (bytes.readPosition() + remaining) + "): the file was cut short, and the records from here to " +
                    "its end are lost", null);
            }
            final long end = bytes.readPosition() + remaining;
            if (end > files.length(tailer.cycle(), end))
            {
                // garbage in the document's header: read as a length, it would run off the file (or ask for a buffer
                // of up to a gigabyte)
                unreadableAt = index;
                throw corrupt(index, "Chronicle Queue cannot read it: its header claims " + remaining + " bytes, which " +
                    "run past the end of the file (the header is overwritten)", null);
            }
            length = (int)remaining;
            if (scratch.length < length)
            {
                scratch = new byte[Math.max(length, scratch.length * 2)];
                scratchView.wrap(scratch);
            }
            bytes.read(scratch, 0, length);
        }
        catch (final JournalCorruptException e)
        {
            throw e;
        }
        catch (final RuntimeException | InternalError e)
        {
            // Chronicle fails in many ways on a damaged file (bad header, length past the end, unmapped page)
            unreadableAt = tailer.index();
            throw corrupt(unreadableAt, "Chronicle Queue cannot read it: " + e, e);
        }
        if (length > 0 && scratch[0] == RecordLayout.BATCH_MARKER)
        {
            final int version = length > 1 ? scratch[1] : -1;
            if (length < RecordLayout.BATCH_HEADER_LENGTH ||
                (version != RecordLayout.BATCH_VERSION && version != RecordLayout.COMPACT_BATCH_VERSION))
            {
                throw corrupt(index, "a batch document of " + length + " bytes with container version " + version +
                    ", this reader knows versions " + RecordLayout.BATCH_VERSION + " and " +
                    RecordLayout.COMPACT_BATCH_VERSION + " (a newer Ringmaster wrote it: read it with that version)", null);
            }
            batchCompact = version == RecordLayout.COMPACT_BATCH_VERSION;
            expander.startBatch();
            batchPos = RecordLayout.BATCH_HEADER_LENGTH;
            batchEnd = length;
            batchIndex = index;
            return 0;
        }
        return deliver(handler, scratch, 0, length, index); // a journal written before batching: one record per document
    }

    private int nextInBatch(final RecordHandler handler)
    {
        if (batchCompact)
        {
            return nextCompact(handler);
        }
        final int left = batchEnd - batchPos - Integer.BYTES;
        final int length = left < 0 ? -1 : scratchView.getInt(batchPos);
        if (length < 0 || length > left)
        {
            final String problem = left < 0 ? "the batch document ends inside a record's length" :
                "a record in a batch document claims " + length + " bytes, " + Math.max(0, left) + " are left in the document";
            batchPos = batchEnd;
            throw corrupt(batchIndex, problem, null);
        }
        final int offset = batchPos + Integer.BYTES;
        batchPos = offset + length;
        return deliver(handler, scratch, offset, length, batchIndex);
    }

    /** The next record of a compact batch: framing and checksum checked here, the rest as for any record. */
    private int nextCompact(final RecordHandler handler)
    {
        final long length;
        final int offset;
        try
        {
            cursor.at = batchPos;
            length = Varint.get(scratchView, cursor, batchEnd);
            offset = cursor.at + Integer.BYTES;
            if (length < 1 || length > batchEnd - offset)
            {
                throw new IllegalStateException("a record in a batch document claims " + length + " bytes, " +
                    Math.max(0, batchEnd - offset) + " are left in the document");
            }
        }
        catch (final IllegalStateException e)
        {
            batchPos = batchEnd; // the framing is lost: nothing after this point in the document can be found
            throw corrupt(batchIndex, e.getMessage(), null);
        }
        batchPos = offset + (int)length;
        crc.reset();
        crc.update(scratch, offset, (int)length);
        final int stored = scratchView.getInt(offset - Integer.BYTES);
        if (stored != (int)crc.getValue())
        {
            throw corrupt(batchIndex, String.format("checksum mismatch (stored %08x, computed %08x): the record's bytes " +
                "differ from what was written, the file was overwritten or cut short", stored, (int)crc.getValue()), null);
        }
        final int expanded;
        try
        {
            expanded = expander.expand(scratchView, offset, (int)length);
        }
        catch (final IllegalStateException e)
        {
            throw corrupt(batchIndex, e.getMessage(), null);
        }
        return expanded == 0 ? 0 : deliver(handler, expander.bytes(), 0, expanded, batchIndex);
    }

    private int deliver(final RecordHandler handler, final byte[] bytes, final int offset, final int length,
                        final long index)
    {
        final String problem = record.wrap(bytes, offset, length, index);
        if (problem != null)
        {
            throw corrupt(index, problem, null);
        }
        if (record.folded())
        {
            record.showFirstOfTwo(true);
            secondPending = true;
        }
        return offer(handler);
    }

    /** Hands the record's shown event over unless it lies before the start time. @return 1 if handed over. */
    private int offer(final RecordHandler handler)
    {
        sound++;
        if (record.epochNanos() < fromEpochNanos)
        {
            return 0;
        }
        handler.onRecord(record);
        handed++;
        if (progress != null && ++delivered % progressEvery == 0)
        {
            progress.accept(delivered);
        }
        return 1;
    }

    /**
     * Reports how far reading has got, for a progress display: {@code listener} is told the number of records
     * delivered so far after every {@code every} of them, on the reading thread. @return this.
     */
    public JournalReader onProgress(final long every, final java.util.function.LongConsumer listener)
    {
        if (every < 1)
        {
            throw new IllegalArgumentException("progress interval must be >= 1 record, got " + every);
        }
        this.progressEvery = every;
        this.progress = java.util.Objects.requireNonNull(listener, "progress listener must not be null");
        return this;
    }

    /**
     * No document where the tailer stands: the end, unless the file's index lists documents from here on, which
     * sequential reading cannot reach (a header overwritten with zeros or with the mark of a document still being
     * written). Looked at twice before it is called damage: a live writer may have just finished the document.
     *
     * @return -1 at the end, 0 to look again
     */
    private int checkEnd()
    {
        final long index = tailer.index();
        if (index == endConfirmed || index <= 0)
        {
            return -1;
        }
        final long last = damageSkip.lastIndexOf(queue.rollCycle().toCycle(index));
        if (last < index)
        {
            endConfirmed = index;
            return -1;
        }
        if (endSuspect != index)
        {
            endSuspect = index;
            return 0;
        }
        endSuspect = -1;
        unreadableAt = index;
        throw corrupt(index, "Chronicle Queue finds no document here, but the file's index lists documents up to " +
            "index 0x" + Long.toHexString(last) + " (the document's header is overwritten)", null);
    }

    private JournalCorruptException corrupt(final long index, final String problem, final Throwable cause)
    {
        final int cycle = index > 0 ? queue.rollCycle().toCycle(index) : tailer.cycle();
        final File file = files.cycleFile(cycle);
        final String size = file != null ? " (the file is " + file.length() + " bytes)" : "";
        return new JournalCorruptException(file != null ? file.toPath() : directory, index, problem + size, cause);
    }

    @Override
    public void close()
    {
        damageSkip.close();
        queue.close();
    }
}
