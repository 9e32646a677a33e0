package dev.ringmaster.journal;

import dev.ringmaster.testing.Await;
import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.model.Task;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReaderTest
{
    @TempDir
    Path dir;

    @Test
    void aJournalWithoutRecordsSaysWhetherARunOpenedItRatherThanCallingTheDirectoryWrong() throws IOException
    {
        assertThatThrownBy(() -> JournalReader.open(dir)).isInstanceOf(JournalException.class)
            .hasMessageContaining("holds no cycle files").hasMessageContaining("give the directory a run wrote");
        try (Journal journal = Journal.open(JournalConfig.at(dir)))
        {
            assertThatThrownBy(() -> JournalReader.open(dir)).as("open, nothing written yet")
                .hasMessageContaining("has not written its first record yet; check again in a moment");
        }
        // what a run killed before its first record leaves: the description, no cycle file
        try (Stream<Path> files = Files.list(dir))
        {
            assertThat(files.map(p -> p.getFileName().toString())).contains(JournalInfo.FILE_NAME)
                .noneMatch(n -> n.endsWith(".cq4"));
        }
        assertThatThrownBy(() -> JournalReader.open(dir)).as("its writer gone")
            .hasMessageContaining("stopped before it wrote its first record, so it holds nothing to read")
            .hasMessageNotContaining("give the directory a run wrote");
    }

    @Test
    void readsInOrderAcrossRollCycles() throws IOException
    {
        final SetTimeProvider clock = new SetTimeProvider(TimeUnit.SECONDS.toNanos(1_800_000_000L));
        try (Journal journal = Journal.open(JournalConfig.at(dir).rollCycle(TestRollCycles.TEST_SECONDLY).clock(clock)))
        {
            for (int cycle = 0; cycle < 4; cycle++)
            {
                for (int i = 0; i < 10; i++)
                {
                    assertThat(journal.recordRecovered(Task.builder("coder").id(cycle * 10L + i).build(), "c" + cycle))
                        .isTrue();
                }
                awaitWritten(journal, (cycle + 1) * 10L);
                clock.advanceMillis(1_000);
            }
        }
        try (Stream<Path> files = Files.list(dir))
        {
            assertThat(files.filter(p -> p.toString().endsWith(".cq4")).count()).isEqualTo(4);
        }
        try (JournalReader reader = JournalReader.open(dir))
        {
            final List<JournalEvent> events = reader.events();
            assertThat(events).extracting(JournalEvent::taskId)
                .containsExactlyElementsOf(() -> java.util.stream.LongStream.range(0, 40).boxed().iterator());
            assertThat(events.get(39).reason()).isEqualTo("c3");
        }
    }

    @Test
    void aLiveWritersNewestCycleFileWithoutItsHeaderYetReadsAsTheEndNotAsDamage() throws IOException
    {
        final SetTimeProvider clock = new SetTimeProvider(TimeUnit.SECONDS.toNanos(1_800_000_000L));
        try (Journal journal = Journal.open(JournalConfig.at(dir).rollCycle(TestRollCycles.TEST_SECONDLY).clock(clock)))
        {
            for (int cycle = 0; cycle < 2; cycle++)
            {
                for (int i = 0; i < 10; i++)
                {
                    journal.recordRecovered(Task.builder("coder").id(cycle * 10L + i).build(), "c" + cycle);
                }
                awaitWritten(journal, (cycle + 1) * 10L);
                clock.advanceMillis(1_000);
            }
        }
        final Path newest;
        try (Stream<Path> files = Files.list(dir))
        {
            newest = files.filter(p -> p.toString().endsWith(".cq4")).sorted().reduce((a, b) -> b).orElseThrow();
        }
        // the moment a writer has created its next cycle file and not yet written the file's header
        Files.write(newest, new byte[0]);
        try (dev.ringmaster.journal.internal.WriterLock held = dev.ringmaster.journal.internal.WriterLock.hold(dir);
             JournalReader reader = JournalReader.open(dir))
        {
            assertThat(reader.events()).extracting(JournalEvent::taskId)
                .containsExactlyElementsOf(() -> java.util.stream.LongStream.range(0, 10).boxed().iterator());
        }
        // with no writer, the same file is damage, and is named
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> JournalReader.open(dir))
            .isInstanceOf(JournalCorruptException.class)
            .hasMessageContaining("truncated to 0 bytes");
    }

    @Test
    void aCycleFileWhoseHeaderIsNotAJournalsIsNamedWithTheFixInsteadOfChroniclesMagicNumber() throws IOException
    {
        try (Journal journal = Journal.open(JournalConfig.at(dir)))
        {
            journal.recordRecovered(Task.builder("coder").id(1L).build(), "c");
            awaitWritten(journal, 1L);
        }
        final Path cycle;
        try (Stream<Path> files = Files.list(dir))
        {
            cycle = files.filter(p -> p.toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
        // what another tool leaves under a cycle file's name: long enough, but not a Chronicle Queue header
        final byte[] foreign = new byte[4096];
        new java.util.Random(7).nextBytes(foreign);
        Files.write(cycle, foreign);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> JournalReader.open(dir))
            .isInstanceOf(JournalCorruptException.class)
            .hasMessageContaining(cycle.getFileName().toString())
            .hasMessageContaining("does not start with a journal's header")
            .hasMessageContaining("move it aside")
            .hasMessageNotContaining("magic number");
    }

    @Test
    void aChronicleQueueThatRingmasterDidNotWriteIsNamedAsSuchNotAsDamage() throws IOException
    {
        // what another program leaves: a valid queue, in the same file layout, of text documents
        try (var queue = net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder.binary(dir).build())
        {
            final var appender = queue.createAppender();
            for (int i = 0; i < 3; i++)
            {
                appender.writeText("order " + i + " shipped");
            }
        }

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> JournalReader.open(dir).close())
            .isInstanceOf(JournalException.class)
            .isNotInstanceOf(JournalCorruptException.class)
            .hasMessageContaining(dir + " holds a Chronicle queue that Ringmaster did not write")
            .hasMessageContaining("give the directory a Ringmaster run wrote with --journal DIR")
            .hasMessageNotContaining("corrupt").hasMessageNotContaining("damage");
        // recovery, which 'recover' and 'serve --journal' run, stops there too instead of reading past 'damage'
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Recovery.scan(dir, StandardPayloadCodec.INSTANCE))
            .isInstanceOf(JournalException.class).isNotInstanceOf(JournalCorruptException.class)
            .hasMessageContaining("did not write");
        // nor does a writer append Ringmaster records to the other program's queue
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Journal.open(JournalConfig.at(dir)).close())
            .hasMessageContaining(dir + " holds a Chronicle queue that Ringmaster did not write")
            .hasMessageContaining("give --journal a new directory");
        assertThat(dir.resolve(JournalInfo.FILE_NAME)).doesNotExist();
    }

    @Test
    void tailsAJournalWhileItIsWrittenAndStartsFromATime() throws Exception
    {
        try (Journal journal = Journal.open(JournalConfig.at(dir)))
        {
            final Dispatcher d = Fleet.start(2, journal.listener());
            d.submit(Task.builder("coder").id(0).build(), Duration.ofSeconds(5));
            awaitWritten(journal, 1);
            final List<Long> accepted = new ArrayList<>();
            try (JournalReader reader = JournalReader.open(dir))
            {
                final RecordHandler onAccepted = r ->
                {
                    if (r.type() == EventType.ACCEPTED)
                    {
                        accepted.add(r.taskId());
                    }
                };
                reader.readToEnd(onAccepted);
                for (int i = 1; i <= 200; i++)
                {
                    d.submit(Task.builder("coder").id(i).build(), Duration.ofSeconds(5));
                    reader.poll(onAccepted, 16);
                }
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (accepted.size() < 201 && System.nanoTime() < deadline)
                {
                    if (reader.poll(onAccepted, 64) == 0)
                    {
                        Thread.sleep(1);
                    }
                }
                assertThat(accepted).hasSize(201).isSorted();
            }
            assertThat(d.drain(Duration.ofSeconds(10))).isTrue();
            awaitWritten(journal, journal.stats().recordsWritten());
            d.close();
        }
        // a gap between the sessions, far wider than the clock's millisecond resolution
        final long firstSessionEnded = System.currentTimeMillis();
        Await.until("the clock is past the first session", () -> System.currentTimeMillis() > firstSessionEnded + 20);
        final long marker;
        try (Journal journal = Journal.open(JournalConfig.at(dir)))
        {
            marker = System.currentTimeMillis();
            journal.recordRecovered(Task.builder("coder").id(777).build(), "later");
        }
        try (JournalReader reader = JournalReader.open(dir))
        {
            final List<JournalEvent> later = reader.fromTime(marker - 5).events();
            assertThat(later).extracting(JournalEvent::taskId).containsExactly(777L);
            assertThat(reader.toStart().events()).hasSizeGreaterThan(800);
        }
    }

    static void awaitWritten(final Journal journal, final long records)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (journal.stats().recordsWritten() < records && System.nanoTime() < deadline)
        {
            Thread.onSpinWait();
        }
        assertThat(journal.stats().recordsWritten()).isGreaterThanOrEqualTo(records);
    }

    @Test
    void progressIsReportedEveryNRecordsWithTheCountSoFar()
    {
        try (Journal journal = Journal.open(JournalConfig.at(dir)))
        {
            for (int i = 0; i < 250; i++)
            {
                assertThat(journal.recordRecovered(Task.builder("coder").id(i).build(), "r")).isTrue();
            }
            awaitWritten(journal, 250);
        }
        final List<Long> reports = new ArrayList<>();
        try (JournalReader reader = JournalReader.open(dir))
        {
            assertThat(reader.onProgress(100, reports::add).readToEnd(r -> { })).isEqualTo(250);
        }
        assertThat(reports).containsExactly(100L, 200L);
    }
}
