package dev.ringmaster.journal;

import dev.ringmaster.model.Task;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A writer killed while it rolled to a new cycle file leaves that file mapped but without a finished header: it holds
 * no record, and neither a reader nor the next writer may wait on it (Chronicle's default is ten seconds a try, which
 * made a crash-recovery run time out).
 */
class KilledWriterRemainsTest
{
    /** Chronicle marks a header being written with this bit until the header is complete. */
    private static final int NOT_COMPLETE = 0x8000_0000;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "first header word {0}")
    @ValueSource(ints = {0, NOT_COMPLETE})
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aCycleFileWithoutAFinishedHeaderReadsAsTheEndAndTheNextWriterSetsItAside(final int header) throws IOException
    {
        final SetTimeProvider clock = new SetTimeProvider(TimeUnit.SECONDS.toNanos(1_800_000_000L));
        try (Journal journal = Journal.open(JournalConfig.at(dir).rollCycle(TestRollCycles.TEST_SECONDLY).clock(clock)))
        {
            for (int i = 0; i < 10; i++)
            {
                journal.recordRecovered(Task.builder("coder").id(i).build(), "c0");
            }
            ReaderTest.awaitWritten(journal, 10L);
        }
        // what the kill leaves: the next cycle file created and mapped, its header never finished (so Chronicle never
        // counted it as created in the queue's metadata; a file it counted held records, and zeroing it is damage)
        final String newest = newestCycle().getFileName().toString();
        final Path next = dir.resolve(newest.replace("080000T", "080001T"));
        assertThat(next).isNotEqualTo(dir.resolve(newest));
        try (FileChannel file = FileChannel.open(next, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW))
        {
            final ByteBuffer zeros = ByteBuffer.allocate(64 << 10).order(ByteOrder.LITTLE_ENDIAN);
            zeros.putInt(0, header);
            file.write(zeros);
        }
        assertThat(Journal.isBeingWritten(dir)).isFalse();
        try (JournalReader reader = JournalReader.open(dir))
        {
            assertThat(reader.events()).extracting(JournalEvent::taskId)
                .containsExactlyElementsOf(() -> LongStream.range(0, 10).boxed().iterator());
        }

        clock.advanceMillis(2_000);
        try (Journal journal = Journal.open(JournalConfig.at(dir).rollCycle(TestRollCycles.TEST_SECONDLY).clock(clock)))
        {
            journal.recordRecovered(Task.builder("coder").id(99).build(), "after");
            ReaderTest.awaitWritten(journal, 1);
        }
        try (JournalReader reader = JournalReader.open(dir))
        {
            assertThat(reader.events()).extracting(JournalEvent::taskId)
                .containsExactlyElementsOf(() -> LongStream.concat(LongStream.range(0, 10), LongStream.of(99)).boxed().iterator());
        }
    }

    private Path newestCycle() throws IOException
    {
        try (Stream<Path> files = Files.list(dir))
        {
            return files.filter(p -> p.toString().endsWith(".cq4")).sorted().reduce((a, b) -> b).orElseThrow();
        }
    }
}
