package dev.ringmaster.journal;

import dev.ringmaster.journal.internal.RecordLayout;
import net.openhft.chronicle.bytes.Bytes;
import dev.ringmaster.journal.internal.RollCycleDetector;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Tells a Chronicle queue that another program wrote from a Ringmaster journal, before its documents are read as
 * records: each of them would fail the record checks and be reported as damage, with {@code --accept-damage} as the
 * fix, when the fix is to point at the journal. Stateless; each call uses its own tailer, on the calling thread.
 */
final class ForeignQueue
{
    /** A few documents, so that one damaged record at a journal's start is still read as damage, not as foreign. */
    private static final int DOCUMENTS_LOOKED_AT = 4;

    private ForeignQueue()
    {
    }

    /**
     * @throws JournalException naming the directory and the fix, if the queue's first data documents are none of them
     *     a Ringmaster batch or record; a queue with no data documents, or that Chronicle cannot read, passes (the
     *     reader reports its damage as usual).
     */
    static void check(final Path directory, final SingleChronicleQueue queue)
    {
        check(directory, queue, "give the directory a Ringmaster run wrote with --journal DIR");
    }

    /**
     * For a writer about to append to what is in {@code directory}: Ringmaster records after another program's
     * documents would spoil that program's queue and make a journal whose start reads as damage. A directory with
     * Ringmaster's {@value JournalInfo#FILE_NAME}, or without cycle files, is not looked into.
     *
     * @throws JournalException naming the directory and the fix, if it holds a queue another program wrote.
     */
    static void checkBeforeWriting(final Path directory)
    {
        if (Files.exists(directory.resolve(JournalInfo.FILE_NAME)) || !Files.isDirectory(directory))
        {
            return;
        }
        try (Stream<Path> files = Files.list(directory))
        {
            if (files.noneMatch(p -> p.getFileName().toString().endsWith(".cq4")))
            {
                return;
            }
        }
        catch (final IOException e)
        {
            return; // the writer names what is wrong with the directory
        }
        final SingleChronicleQueueBuilder builder = SingleChronicleQueueBuilder.binary(directory).readOnly(true)
            .timeoutMS(50);
        final RollCycle rollCycle = RollCycleDetector.detect(directory.toFile());
        if (rollCycle != null)
        {
            builder.rollCycle(rollCycle);
        }
        try (SingleChronicleQueue queue = builder.build())
        {
            check(directory, queue, "give --journal a new directory, or one a Ringmaster run wrote");
        }
        catch (final JournalException e)
        {
            throw e;
        }
        catch (final RuntimeException e)
        {
            // Chronicle cannot read it: damage, which the writer and the readers report in their own words
        }
    }

    private static void check(final Path directory, final SingleChronicleQueue queue, final String fix)
    {
        int foreign = 0;
        long firstLength = -1;
        try (ExcerptTailer tailer = queue.createTailer().toStart())
        {
            while (foreign < DOCUMENTS_LOOKED_AT)
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        break;
                    }
                    if (!dc.isData())
                    {
                        continue;
                    }
                    final Bytes<?> bytes = dc.wire().bytes();
                    final long length = bytes.readRemaining();
                    final int first = length > 0 ? bytes.peekUnsignedByte(bytes.readPosition()) : -1;
                    final int second = length > 1 ? bytes.peekUnsignedByte(bytes.readPosition() + 1) : -1;
                    if (isJournalDocument(first, second))
                    {
                        return;
                    }
                    firstLength = firstLength < 0 ? length : firstLength;
                    foreign++;
                }
            }
        }
        catch (final RuntimeException | InternalError e)
        {
            return;
        }
        if (foreign > 0)
        {
            throw new JournalException("not a Ringmaster journal: " + directory + " holds a Chronicle queue that " +
                "Ringmaster did not write (its first document, of " + firstLength + " bytes, is neither a batch of " +
                "records nor a record); " + fix);
        }
    }

    /** A batch document starts with its marker, a record written before batching with its event type and version. */
    private static boolean isJournalDocument(final int first, final int second)
    {
        if (first == RecordLayout.BATCH_MARKER)
        {
            // any container version: a newer Ringmaster's batch is named as such by the reader
            return second >= 0;
        }
        return EventType.ofCode(first) != null && second >= RecordLayout.OLDEST_VERSION &&
            second <= RecordLayout.VERSION;
    }
}
