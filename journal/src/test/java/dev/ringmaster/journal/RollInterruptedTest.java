package dev.ringmaster.journal;

import dev.ringmaster.model.Task;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A kill -9 while Chronicle creates the next cycle file leaves that file empty: created and not yet sized (0 bytes),
 * or sized and mapped with its header not yet written (all zeros). Every record lies before it, so it is a note, not
 * damage; the same file with records after it is damage.
 */
class RollInterruptedTest
{
    /** The size Chronicle gives a TEST_SECONDLY cycle file when it maps it, before it writes the header. */
    private static final long MAPPED_BYTES = 83_886_080;

    @TempDir
    Path dir;

    private final SetTimeProvider clock = new SetTimeProvider(TimeUnit.SECONDS.toNanos(1_800_000_000L));

    @ParameterizedTest(name = "the new cycle file left at {0} bytes")
    @ValueSource(longs = {0, MAPPED_BYTES})
    void aCycleFileLeftEmptyByAKillDuringARollIsANoteAndRecoveryAndTheNextWriterGoOn(final long size)
        throws IOException
    {
        writeCycles(2);
        final Path empty = leaveNextCycleFile(size);

        final RecoveryPlan plan = Recovery.scan(dir, PayloadCodec.standard());
        assertThat(plan.corruption()).as("damage found").isNull();
        assertThat(plan.pending()).extracting(Task::id)
            .containsExactlyElementsOf(LongStream.range(0, 20).boxed().toList());
        assertThat(plan.notes()).singleElement().asString()
            .contains(empty.getFileName().toString())
            .contains("the writer stopped while starting it (a crash during a roll); nothing was lost");
        try (JournalReader reader = JournalReader.open(dir))
        {
            assertThat(reader.events()).hasSize(20);
        }

        // the restarted writer appends after the last record, in the cycle the crash left empty and after it
        try (Journal journal = Journal.open(JournalConfig.at(dir).rollCycle(TestRollCycles.TEST_SECONDLY).clock(clock)))
        {
            journal.recordRecovered(Task.builder("coder").id(100L).build(), "after the crash");
            ReaderTest.awaitWritten(journal, 1);
            clock.advanceMillis(1_000);
            journal.recordRecovered(Task.builder("coder").id(101L).build(), "a cycle later");
            ReaderTest.awaitWritten(journal, 2);
        }
        try (JournalReader reader = JournalReader.open(dir))
        {
            assertThat(reader.events()).extracting(JournalEvent::taskId)
                .containsExactlyElementsOf(Stream.concat(LongStream.range(0, 20).boxed(), Stream.of(100L, 101L)).toList());
        }
        final RecoveryPlan after = Recovery.scan(dir, PayloadCodec.standard());
        assertThat(after.corruption()).isNull();
        assertThat(after.notes()).isEmpty();
        assertThat(after.pending()).hasSize(22);
    }

    @ParameterizedTest(name = "the new cycle file left at {0} bytes")
    @ValueSource(longs = {0, MAPPED_BYTES})
    void aWriterRestartedCyclesAfterTheCrashLeavesNoEmptyFileBetweenRecords(final long size) throws IOException
    {
        writeCycles(2);
        final Path empty = leaveNextCycleFile(size);
        clock.advanceMillis(5_000); // the restart comes cycles later: the empty file's cycle is never written
        try (Journal journal = Journal.open(JournalConfig.at(dir).rollCycle(TestRollCycles.TEST_SECONDLY).clock(clock)))
        {
            journal.recordRecovered(Task.builder("coder").id(100L).build(), "after the crash");
            ReaderTest.awaitWritten(journal, 1);
        }
        assertThat(empty).doesNotExist();
        final RecoveryPlan plan = Recovery.scan(dir, PayloadCodec.standard());
        assertThat(plan.corruption()).isNull();
        assertThat(plan.notes()).isEmpty();
        assertThat(plan.pending()).hasSize(21);
    }

    @ParameterizedTest(name = "a cycle file of {0} bytes")
    @ValueSource(longs = {0, MAPPED_BYTES})
    void anEmptyCycleFileWithRecordsAfterItIsDamage(final long size) throws IOException
    {
        writeCycles(3);
        final Path middle = cycleFiles().get(1);
        try (RandomAccessFile raf = new RandomAccessFile(middle.toFile(), "rw"))
        {
            raf.setLength(0);
            raf.setLength(size);
        }
        assertThat(damage()).contains(middle.getFileName().toString()).contains("cycle files follow it");
    }

    @Test
    void theNewestCycleFileCutToNothingAfterItWasWrittenIsDamage() throws IOException
    {
        writeCycles(2);
        final Path newest = cycleFiles().get(1);
        Files.write(newest, new byte[0]);
        assertThat(damage()).contains(newest.getFileName().toString()).contains("truncated to 0 bytes");
    }

    /** @return the damage the scan reports, before reading (thrown) or while reading (in the plan), or null. */
    private String damage()
    {
        try
        {
            final RecoveryPlan plan = Recovery.scan(dir, PayloadCodec.standard());
            assertThat(plan.notes()).as("notes beside damage").isEmpty();
            return plan.corruption() == null ? null : plan.corruption().getMessage();
        }
        catch (final JournalCorruptException e)
        {
            return e.getMessage();
        }
    }

    /** Ten records per cycle file, task ids 0.. in order. */
    private void writeCycles(final int cycles)
    {
        try (Journal journal = Journal.open(JournalConfig.at(dir).rollCycle(TestRollCycles.TEST_SECONDLY).clock(clock)))
        {
            for (int cycle = 0; cycle < cycles; cycle++)
            {
                for (int i = 0; i < 10; i++)
                {
                    journal.recordRecovered(Task.builder("coder").id(cycle * 10L + i).build(), "c" + cycle);
                }
                ReaderTest.awaitWritten(journal, (cycle + 1) * 10L);
                clock.advanceMillis(1_000);
            }
        }
    }

    /** What a writer killed in Chronicle's creation of the next cycle file leaves: the file, without a header. */
    private Path leaveNextCycleFile(final long size) throws IOException
    {
        final List<Path> files = cycleFiles();
        final String last = files.get(files.size() - 1).getFileName().toString();
        // TEST_SECONDLY names a file yyyyMMdd-HHmmssT: the next second's
        final java.time.format.DateTimeFormatter format = java.time.format.DateTimeFormatter
            .ofPattern(TestRollCycles.TEST_SECONDLY.format()).withZone(java.time.ZoneOffset.UTC);
        final java.time.Instant next = java.time.LocalDateTime.parse(last.substring(0, last.length() - 4),
            java.time.format.DateTimeFormatter.ofPattern(TestRollCycles.TEST_SECONDLY.format()))
            .toInstant(java.time.ZoneOffset.UTC).plusSeconds(1);
        final Path file = dir.resolve(format.format(next) + ".cq4");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.setLength(size);
        }
        return file;
    }

    private List<Path> cycleFiles() throws IOException
    {
        try (Stream<Path> files = Files.list(dir))
        {
            return files.filter(p -> p.getFileName().toString().endsWith(".cq4")).sorted().toList();
        }
    }
}
