package dev.ringmaster.journal;

import dev.ringmaster.model.Task;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A document whose Chronicle header is overwritten in the middle of the only cycle file: reading resumes at the next
 * indexed document of that file, instead of giving up on the rest of the file.
 */
class UnreadableDocumentTest
{
    /** One record per document, so that the file holds many documents and many index-spacing boundaries. */
    private static final int RECORDS = 120;

    @TempDir
    Path dir;

    @ParameterizedTest
    // a length past the file's end; an unfinished document's mark; zeros (what a writer has not written yet); a length
    // that lands inside the file, on bytes that are no document
    @ValueSource(ints = {0x3FFF_FFF0, 0x8000_0000, 0, 0x0000_BEEF})
    void readingResumesInTheSameCycleFileAfterADocumentChronicleCannotReadAndTheGapIsNamed(final int header)
        throws IOException
    {
        final Map<Long, Long> indexOfId = writeOneRecordPerDocument();
        final Path file = cycleFile();
        final int spacing;
        final long damaged;
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(dir).readOnly(true)
            .rollCycle(TestRollCycles.TEST_HOURLY).build())
        {
            spacing = queue.indexSpacing();
            // a document just after an indexed one, in the middle: the documents up to the next indexed one are lost
            final long first = indexOfId.get(0L);
            final long middle = indexOfId.get((long)RECORDS / 2);
            damaged = middle - (middle - first) % spacing + spacing + 1;
            overwriteHeader(queue, file, damaged, header);
        }
        assertThat(spacing).as("index spacing of TEST_HOURLY").isGreaterThan(1).isLessThan(RECORDS / 8);
        final long resumed = damaged - 1 + spacing;

        final List<Long> read = new ArrayList<>();
        final List<JournalCorruptException> damage = new ArrayList<>();
        try (JournalReader reader = JournalReader.open(dir))
        {
            reader.readToEnd(r -> read.add(r.taskId()), damage::add);
        }
        final List<Long> expected = new ArrayList<>();
        indexOfId.forEach((id, index) ->
        {
            if (index < damaged || index >= resumed)
            {
                expected.add(id);
            }
        });
        // a length that lands inside the file still reads the damaged document's own record (it is sound), then
        // finds no document where the next should be
        final Long damagedId = indexOfId.entrySet().stream().filter(e -> e.getValue() == damaged).findFirst()
            .orElseThrow().getKey();
        assertThat(read).as("every record outside the damaged region, in order")
            .containsExactlyElementsOf(read.contains(damagedId) ? withInOrder(expected, damagedId) : expected);
        assertThat(damage).as("one damaged region").hasSize(1);
        assertThat(damage.get(0).index()).isEqualTo(damaged);
        assertThat(damage.get(0).getMessage()).contains(file.getFileName().toString(),
            "at index 0x" + Long.toHexString(damaged),
            " to 0x" + Long.toHexString(resumed - 1) + " (",
            "were skipped, their records are lost; reading resumed at index 0x" + Long.toHexString(resumed) +
                " in the same file");

        final RecoveryPlan plan = Recovery.scan(dir, PayloadCodec.standard());
        assertThat(plan.damagedRegions()).isEqualTo(1);
        assertThat(plan.maxTaskId()).as("ids journaled after the damage are reserved").isEqualTo(RECORDS - 1);
        assertThat(plan.recordsRead()).as("the records read above").isEqualTo(read.size());
    }

    @ParameterizedTest
    @ValueSource(ints = {0x3FFF_FFF0, 0})
    void damageAfterTheLastIndexedDocumentIsNamedUpToTheFilesLastDocumentNotTakenForTheEnd(final int header)
        throws IOException
    {
        final Map<Long, Long> indexOfId = writeOneRecordPerDocument();
        final long lastIndex = indexOfId.get((long)RECORDS - 1);
        final long damaged = lastIndex - 1;
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(dir).readOnly(true)
            .rollCycle(TestRollCycles.TEST_HOURLY).build())
        {
            assertThat(damaged % queue.indexSpacing()).as("not an indexed document").isNotZero();
            overwriteHeader(queue, cycleFile(), damaged, header);
        }
        final List<Long> read = new ArrayList<>();
        final List<JournalCorruptException> damage = new ArrayList<>();
        try (JournalReader reader = JournalReader.open(dir))
        {
            reader.readToEnd(r -> read.add(r.taskId()), damage::add);
        }
        assertThat(read).containsExactlyElementsOf(java.util.stream.LongStream.range(0, RECORDS - 2).boxed().toList());
        assertThat(damage).as("the lost documents are reported, not taken for the end of the journal").hasSize(1);
        assertThat(damage.get(0).index()).isEqualTo(damaged);
        assertThat(damage.get(0).getMessage()).contains("the documents from index 0x" + Long.toHexString(damaged) +
            " to 0x" + Long.toHexString(lastIndex) + " (2) were skipped, their records are lost; no readable " +
            "document follows");
    }

    private static List<Long> withInOrder(final List<Long> ids, final long id)
    {
        final List<Long> all = new ArrayList<>(ids);
        all.add(id);
        all.sort(null);
        return all;
    }

    /** @return the Chronicle index of each record's document, by task id. */
    private Map<Long, Long> writeOneRecordPerDocument()
    {
        final SetTimeProvider clock = new SetTimeProvider(TimeUnit.SECONDS.toNanos(1_800_000_000L));
        try (Journal journal = Journal.open(JournalConfig.at(dir).rollCycle(TestRollCycles.TEST_HOURLY).clock(clock)))
        {
            for (int i = 0; i < RECORDS; i++)
            {
                assertThat(journal.recordRecovered(Task.builder("coder").id(i).build(), "r" + i)).isTrue();
                // written before the next is recorded: a document of its own
                ReaderTest.awaitWritten(journal, i + 1);
            }
        }
        final Map<Long, Long> indexOfId = new LinkedHashMap<>();
        try (JournalReader reader = JournalReader.open(dir))
        {
            reader.readToEnd(r -> assertThat(indexOfId.put(r.taskId(), r.index())).as("one record per document").isNull());
        }
        assertThat(indexOfId).hasSize(RECORDS);
        assertThat(new java.util.HashSet<>(indexOfId.values())).as("one document per record").hasSize(RECORDS);
        return indexOfId;
    }

    private static void overwriteHeader(final SingleChronicleQueue queue, final Path file, final long index,
                                        final int header) throws IOException
    {
        final long position;
        final ExcerptTailer tailer = queue.createTailer();
        assertThat(tailer.moveToIndex(index)).isTrue();
        try (DocumentContext dc = tailer.readingDocument())
        {
            assertThat(dc.isPresent()).isTrue();
            position = dc.wire().bytes().readPosition() - Integer.BYTES;
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.seek(position);
            raf.writeInt(Integer.reverseBytes(header)); // Chronicle's headers are little-endian
        }
    }

    private Path cycleFile() throws IOException
    {
        try (Stream<Path> s = Files.list(dir))
        {
            final List<Path> files = s.filter(p -> p.toString().endsWith(".cq4")).toList();
            assertThat(files).as("one cycle file").hasSize(1);
            return files.get(0);
        }
    }
}
