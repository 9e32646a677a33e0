package dev.ringmaster.journal;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.journal.replay.Replay;
import dev.ringmaster.journal.replay.ReplayReport;
import dev.ringmaster.model.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CorruptionTest
{
    private static final int TASKS = 400;
    private static final int CHUNK = 25;

    @TempDir
    Path dir;

    @Test
    void aChangedRecordBodyIsReportedWithItsFileAndTheRecordsBeforeItStayReadable() throws IOException
    {
        final Path file = writeJournalAndChangeTask200();
        final List<JournalEvent> read = new ArrayList<>();
        try (JournalReader reader = JournalReader.open(dir))
        {
            assertThatThrownBy(() -> reader.readToEnd(r -> read.add(r.toEvent())))
                .isInstanceOf(JournalCorruptException.class)
                .hasMessageContaining(file.getFileName().toString())
                .hasMessageContaining("checksum mismatch");
        }
        assertThat(read).isNotEmpty();
        assertThat(read.stream().filter(e -> e.type() == EventType.ACCEPTED).count()).isGreaterThanOrEqualTo(200);
        assertThat(read.stream().noneMatch(e -> e.taskId() == 200 && e.type() == EventType.ACCEPTED)).isTrue();
    }

    @Test
    void readingGoesOnPastADamagedBatchReportsTheGapAndRecoveryReservesEveryIdAfterIt() throws IOException
    {
        final Path file = writeJournalAndChangeTask200();
        final List<JournalEvent> read = new ArrayList<>();
        final List<JournalCorruptException> gaps = new ArrayList<>();
        try (JournalReader reader = JournalReader.open(dir))
        {
            reader.readToEnd(r -> read.add(r.toEvent()), gaps::add);
        }
        assertThat(gaps).hasSize(1);
        assertThat(gaps.get(0)).hasMessageContaining(file.getFileName().toString()).hasMessageContaining("checksum mismatch");
        // only the damaged record is lost: the rest of its batch (task 201 was submitted with 200) and the batches
        // after it are read, up to the last task's acceptance
        assertThat(read.stream().anyMatch(e -> e.taskId() == 201 && e.type() == EventType.ACCEPTED)).isTrue();
        assertThat(read.stream().noneMatch(e -> e.taskId() == 200 && e.type() == EventType.ACCEPTED)).isTrue();
        assertThat(read.stream().anyMatch(e -> e.taskId() == TASKS - 1 && e.type() == EventType.ACCEPTED)).isTrue();

        final RecoveryPlan plan = Recovery.scan(dir, PayloadCodec.standard());
        assertThat(plan.corruption()).isNotNull();
        assertThat(plan.damagedRegions()).isEqualTo(1);
        assertThat(plan.maxTaskId()).as("ids after the damage are reserved too").isEqualTo(TASKS - 1);
        assertThatThrownBy(() -> plan.redispatch(null, null, java.time.Duration.ofSeconds(1)))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("recovery refused: the journal is damaged in 1 region(s)");
    }

    @Test
    void replayReadsPastEachDamagedRecordAndNamesEveryDamagedRegion() throws IOException
    {
        writeJournal();
        final Path file = cycleFile();
        change(file, "payload-100");
        change(file, "payload-300");
        final ReplayReport report;
        try (JournalReader reader = JournalReader.open(dir))
        {
            report = Replay.of(reader, 1_000);
        }
        // each changed record holds one task's acceptance (folded with its assignment): only those two are lost
        assertThat(report.acceptedTasks()).as("tasks replayed around two damaged records").isEqualTo(TASKS - 2);
        assertThat(report.count(EventType.COMPLETED)).isGreaterThanOrEqualTo(TASKS - 2);
        assertThat(report.damage()).as("each damaged region named").hasSize(2)
            .allSatisfy(d -> assertThat(d).contains(file.getFileName().toString(), "at index 0x", "checksum mismatch"));
        assertThat(report.corruption()).isEqualTo(report.damage().get(0));
    }

    @Test
    void oneOverwrittenPlaceIsOneRegionNotOnePerFailedCheck() throws IOException
    {
        writeJournal();
        final Path file = cycleFile();
        final long at = find(file, "payload-" + TASKS / 2);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            // random bytes: a record fails its checksum, and the next record's length is garbage too
            final byte[] junk = new byte[64];
            new java.util.Random(3).nextBytes(junk);
            raf.seek(at - 8);
            raf.write(junk);
        }
        final List<JournalCorruptException> damage = new ArrayList<>();
        try (JournalReader reader = JournalReader.open(dir))
        {
            reader.readToEnd(r -> { }, damage::add);
        }
        assertThat(damage).as("one place overwritten").hasSize(1);
        assertThat(damage.get(0).getMessage()).contains(file.getFileName().toString(), "at index 0x");
    }

    @Test
    void auditShowsTheWholeHistoryOfATaskRecordedAfterTheDamageAndStillReportsTheDamage() throws IOException
    {
        final Path file = writeJournalAndChangeTask200();
        final List<JournalEvent> history = new ArrayList<>();
        final List<JournalEvent> range = new ArrayList<>();
        try (JournalReader reader = JournalReader.open(dir))
        {
            assertThatThrownBy(() -> Audit.history(reader, 300, history))
                .isInstanceOf(JournalCorruptException.class).hasMessageContaining(file.getFileName().toString());
            assertThatThrownBy(() -> Audit.activity(reader, 0, Long.MAX_VALUE / 1_000_000L, null, range))
                .isInstanceOf(JournalCorruptException.class).hasMessageContaining("checksum mismatch");
        }
        // task 300 was written well after the damaged record: its records are sound and must all be shown
        assertThat(history).extracting(JournalEvent::type).as("task 300's history")
            .contains(EventType.ACCEPTED, EventType.ASSIGNED, EventType.COMPLETED);
        assertThat(range).as("the time range's events after the damage")
            .anyMatch(e -> e.taskId() == TASKS - 1 && e.type() == EventType.COMPLETED);
    }

    @Test
    void aCutInsideADocumentIsNamedAtThatDocumentByEveryReadNotAsAMemoryFault() throws IOException
    {
        writeJournal();
        final Path file = cycleFile();
        final long middle = find(file, "payload-" + TASKS / 2);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.setLength(middle + 3); // inside a record, not on a page boundary
        }
        final List<JournalCorruptException> first = new ArrayList<>();
        final List<JournalCorruptException> second = new ArrayList<>();
        try (JournalReader reader = JournalReader.open(dir))
        {
            reader.readToEnd(r -> { }, first::add);
        }
        try (JournalReader reader = JournalReader.open(dir))
        {
            // read otherwise (record by record, copying each): where the JVM raises a fault of a cut mapping varies
            final List<JournalEvent> events = new ArrayList<>();
            reader.readToEnd(r -> events.add(r.toEvent()), second::add);
        }
        assertThat(first).hasSize(1);
        assertThat(first.get(0).getMessage()).contains(file.getFileName().toString(), "at index 0x",
            "the file ends at byte " + (middle + 3)).doesNotContain("InternalError");
        assertThat(second).extracting(JournalCorruptException::index).containsExactly(first.get(0).index());
    }

    @Test
    void aTruncatedFileIsReportedAndTheRestIsRead() throws IOException
    {
        writeJournal();
        final Path file = cycleFile();
        // in the middle of the records (the file's first part is Chronicle's header and index, not records)
        final long middle = find(file, "payload-" + TASKS / 2);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.setLength(middle);
        }
        final List<JournalEvent> read = new ArrayList<>();
        Throwable error = null;
        try (JournalReader reader = JournalReader.open(dir))
        {
            reader.readToEnd(r -> read.add(r.toEvent()));
        }
        catch (final RuntimeException e)
        {
            error = e;
        }
        assertThat(read).isNotEmpty();
        assertThat(error).isInstanceOf(JournalCorruptException.class).hasMessageContaining(file.getFileName().toString());
    }

    /**
     * A cut anywhere leaves recovery's counts consistent: every accepted task it counts is either finished or open
     * (recoverable or not). A cut inside a record's payload used to fail the payload's decoding with an
     * {@code InternalError} (the mapped file ends) after the task was counted as accepted, so one task was neither.
     */
    @Test
    void recoveryCountsEveryAcceptedTaskAsFinishedOrOpenWhereverTheFileIsCut() throws IOException
    {
        writeJournal();
        final Path file = cycleFile();
        final long first = find(file, "payload-0");
        final long last = find(file, "payload-" + (TASKS - 1));
        // from the end to the start, each cut shorter than the one before, on the same file
        for (int cut = 16; cut >= 1; cut--)
        {
            final long length = first + (last - first) * cut / 16 + 3; // inside a payload's bytes
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
            {
                raf.setLength(length);
            }
            final RecoveryPlan plan = Recovery.scan(dir, PayloadCodec.standard());
            assertThat(plan.accepted() - plan.finished()).as("accepted minus finished, cut at %d bytes", length)
                .isEqualTo(plan.open());
            assertThat(plan.pending().size() + plan.unrecoverable().size()).isEqualTo(plan.open());
        }
    }

    /**
     * A record whose payload fails to decode with an {@code InternalError} (what a read past the end of a cut, mapped
     * file raises, possibly a little after the read) is reported as damage; the task is then neither counted as
     * accepted nor left open, so the counts still add up. It used to be counted first.
     */
    @Test
    void aRecordThatFaultsWhileItIsRebuiltIsDamageAndLeavesTheCountsConsistent()
    {
        writeJournal();
        final PayloadCodec standard = PayloadCodec.standard();
        final PayloadCodec faulting = new PayloadCodec()
        {
            @Override
            public int encode(final Object payload, final org.agrona.MutableDirectBuffer buffer, final int offset)
            {
                return standard.encode(payload, buffer, offset);
            }

            @Override
            public Object decode(final org.agrona.DirectBuffer buffer, final int offset, final int length)
            {
                final Object payload = standard.decode(buffer, offset, length);
                if ("payload-7".equals(payload))
                {
                    throw new InternalError("a fault occurred in an unsafe memory access operation (simulated)");
                }
                return payload;
            }

            @Override
            public String name()
            {
                return standard.name();
            }
        };
        final RecoveryPlan plan = Recovery.scan(dir, faulting);
        assertThat(plan.damagedRegions()).isEqualTo(1);
        assertThat(plan.accepted() - plan.finished()).isEqualTo(plan.open());
    }

    @Test
    void garbledBytesAcrossRecordsAreReported() throws IOException
    {
        writeJournal();
        final Path file = cycleFile();
        final long middle = find(file, "payload-" + TASKS / 2);
        final java.util.Random random = new java.util.Random(11);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            final byte[] junk = new byte[256];
            random.nextBytes(junk);
            raf.seek(middle);
            raf.write(junk);
        }
        final List<JournalEvent> read = new ArrayList<>();
        Throwable error = null;
        try (JournalReader reader = JournalReader.open(dir))
        {
            reader.readToEnd(r -> read.add(r.toEvent()));
        }
        catch (final RuntimeException e)
        {
            error = e;
        }
        assertThat(read).isNotEmpty();
        assertThat(error).isInstanceOf(JournalCorruptException.class).hasMessageContaining(file.getFileName().toString());
    }

    /** @return the cycle file, in which one byte of task 200's payload was changed after writing. */
    private Path writeJournalAndChangeTask200() throws IOException
    {
        writeJournal();
        final Path file = cycleFile();
        change(file, "payload-200");
        return file;
    }

    /** Changes one byte of the first record whose payload is {@code payload}, so that it fails its checksum. */
    private static void change(final Path file, final String payload) throws IOException
    {
        final long at = find(file, payload);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.seek(at + 3);
            raf.write('X');
        }
    }

    private void writeJournal()
    {
        try (Journal journal = Journal.open(JournalConfig.at(dir)))
        {
            final Dispatcher d = Fleet.start(2, journal.listener());
            for (int i = 0; i < TASKS; i++)
            {
                d.submit(Task.builder("coder").id(i).payload("payload-" + i).build(), Duration.ofSeconds(5));
                if ((i + 1) % CHUNK == 0)
                {
                    // the writer appends a batch per drain: wait for each chunk's records (at least two a task: the
                    // acceptance, folded with its assignment, and the outcome, folded with its start), so the journal
                    // holds many documents and damage in one leaves the others readable
                    final long expected = 2L * (i + 1);
                    final long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                    while (journal.stats().recordsWritten() < expected)
                    {
                        assertThat(System.nanoTime() - deadline).as("records of the first %d tasks written", i + 1).isNegative();
                        Thread.onSpinWait();
                    }
                }
            }
            assertThat(d.drain(Duration.ofSeconds(20))).isTrue();
        }
    }

    private Path cycleFile() throws IOException
    {
        try (Stream<Path> s = Files.list(dir))
        {
            return s.filter(p -> p.toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
    }

    private static long find(final Path file, final String text) throws IOException
    {
        final byte[] all = Files.readAllBytes(file);
        final byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        outer:
        for (int i = 0; i + needle.length <= all.length; i++)
        {
            for (int j = 0; j < needle.length; j++)
            {
                if (all[i + j] != needle[j])
                {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError(text + " not found in " + file);
    }

    @Test
    void aJournalThatCannotBeWrittenIsRefusedWhenItOpensNotDroppedRecordByRecord(
        @org.junit.jupiter.api.io.TempDir final java.nio.file.Path dir) throws Exception
    {
        final java.nio.file.Path notADirectory = java.nio.file.Files.writeString(dir.resolve("journal"), "a file");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Journal.open(JournalConfig.at(notADirectory)))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining(notADirectory.toAbsolutePath().toString())
            .hasMessageContaining("is a file")
            .hasMessageContaining("choose a directory");
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "cut to {0} bytes")
    @org.junit.jupiter.params.provider.ValueSource(longs = {0, 100})
    void aCycleFileCutBelowItsHeaderIsReportedNotReadAsAnEmptyJournal(final long length) throws IOException
    {
        writeJournal();
        final Path file = cycleFile();
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.setLength(length);
        }
        assertThatThrownBy(() -> JournalReader.open(dir))
            .isInstanceOf(JournalCorruptException.class)
            .hasMessageContaining(file.getFileName().toString())
            .hasMessageContaining("truncated to " + length + " bytes")
            .hasMessageContaining("restore it from a copy, or move it aside");
    }

    @Test
    void anUnrelatedCq4FileIsNamedWithTheFix() throws IOException
    {
        writeJournal();
        final Path fake = java.nio.file.Files.writeString(dir.resolve("fake.cq4"), "not a journal");
        assertThatThrownBy(() -> JournalReader.open(dir))
            .isInstanceOf(JournalCorruptException.class)
            .hasMessageContaining(fake.toString())
            .hasMessageContaining("not a cycle file")
            .hasMessageContaining("move it out of the journal directory");
    }
}
