package dev.ringmaster.journal;

import dev.ringmaster.model.Task;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A journal that rolls while the writer keeps pages ahead of its position (internal/PageCacheAhead): every record
 * reads back, and no cycle file left behind keeps the zeros' disk blocks.
 */
class RollKeepsRecordsTest
{
    /** Batches a cycle: each a step of zeros (64 KiB at least), enough to take the whole 16 MiB ahead. */
    private static final int BATCHES = 300;
    private static final int PER_BATCH = 10;
    private static final int PER_CYCLE = BATCHES * PER_BATCH;
    private static final int CYCLES = 3;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everyRecordReadsBackAcrossRollsAndLeftCycleFilesGiveTheZerosBlocksBack() throws Exception
    {
        final SetTimeProvider clock = new SetTimeProvider(TimeUnit.SECONDS.toNanos(1_800_000_000L));
        try (Journal journal = Journal.open(JournalConfig.at(dir).rollCycle(TestRollCycles.TEST_SECONDLY).clock(clock)))
        {
            for (int cycle = 0; cycle < CYCLES; cycle++)
            {
                for (int i = 0; i < PER_CYCLE; i++)
                {
                    journal.recordRecovered(Task.builder("coder").id((long)cycle * PER_CYCLE + i).build(), "c" + cycle);
                    if ((i + 1) % PER_BATCH == 0)
                    {
                        ReaderTest.awaitWritten(journal, (long)cycle * PER_CYCLE + i + 1); // one batch, one step
                    }
                }
                clock.advanceMillis(1_000);
            }
        }
        final File[] cycles = dir.toFile().listFiles((d, name) -> name.endsWith(".cq4"));
        Arrays.sort(cycles);
        assertThat(cycles).as("one cycle file per second of the clock").hasSize(CYCLES);
        for (final File cycle : cycles)
        {
            assertThat(DiskUsage.allocatedBytes(cycle)).as("disk blocks of %s", cycle.getName()).isLessThan(2L << 20);
        }
        try (JournalReader reader = JournalReader.open(dir))
        {
            assertThat(reader.events()).extracting(JournalEvent::taskId)
                .containsExactlyElementsOf(() -> LongStream.range(0, (long)CYCLES * PER_CYCLE).boxed().iterator());
        }
    }

    /**
     * A reader tailing the journal while the writer rolls to new cycle files: at the end of one file it must go on in
     * the next, not stop there or skip a file, and see every record once, in order.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aReaderTailingTheJournalFollowsItAcrossRolls() throws Exception
    {
        final SetTimeProvider clock = new SetTimeProvider(TimeUnit.SECONDS.toNanos(1_800_000_000L));
        final int perCycle = 50;
        final int cycles = 4;
        final java.util.List<Long> seen = new java.util.ArrayList<>();
        final RecordHandler collect = r -> seen.add(r.taskId());
        try (Journal journal = Journal.open(JournalConfig.at(dir).rollCycle(TestRollCycles.TEST_SECONDLY).clock(clock)))
        {
            journal.recordRecovered(Task.builder("coder").id(0).build(), "first");
            ReaderTest.awaitWritten(journal, 1);
            try (JournalReader reader = JournalReader.open(dir))
            {
                for (int cycle = 0; cycle < cycles; cycle++)
                {
                    for (int i = 1; i <= perCycle; i++)
                    {
                        final long id = (long)cycle * perCycle + i;
                        journal.recordRecovered(Task.builder("coder").id(id).build(), "c" + cycle);
                        if (i % 10 == 0)
                        {
                            ReaderTest.awaitWritten(journal, id + 1);
                            reader.poll(collect, 1_000); // part way through a cycle file, and at its end
                        }
                    }
                    clock.advanceMillis(1_000);
                }
                final long total = (long)cycles * perCycle + 1;
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (seen.size() < total && System.nanoTime() < deadline)
                {
                    if (reader.poll(collect, 1_000) == 0)
                    {
                        Thread.sleep(1);
                    }
                }
            }
        }
        assertThat(dir.toFile().listFiles((d, name) -> name.endsWith(".cq4"))).as("it did roll").hasSize(cycles);
        assertThat(seen).containsExactlyElementsOf(
            () -> LongStream.rangeClosed(0, (long)cycles * perCycle).boxed().iterator());
    }
}
