package dev.ringmaster.journal.internal;

import dev.ringmaster.journal.DiskUsage;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The zeros ahead against a real Chronicle queue, as the journal writer drives them: across a roll, and after the
 * writer stopped writing ahead, every record must read back, and a cycle file left behind must not keep the zeros'
 * disk blocks.
 */
@Timeout(60)
class PageCacheAheadQueueTest
{
    private static final int RECORD = 1000;
    private static final int PER_CYCLE = 200;

    private final SetTimeProvider clock = new SetTimeProvider(TimeUnit.SECONDS.toNanos(1_800_000_000L));
    private final PageCacheAhead ahead = new PageCacheAhead();

    @TempDir
    Path dir;

    @Test
    void aRollPunchesTheOldCycleFilesZerosAndKeepsEveryRecord() throws Exception
    {
        try (SingleChronicleQueue queue = queue(); ExcerptAppender appender = queue.createAppender())
        {
            for (int cycle = 0; cycle < 3; cycle++)
            {
                for (int i = 0; i < PER_CYCLE; i++)
                {
                    append(appender, cycle * PER_CYCLE + i);
                    ahead.after(appender.wire().bytes());
                }
                clock.advanceMillis(1000);
            }
            append(appender, 3 * PER_CYCLE); // the roll seen by the next call: the last cycle file is left
            ahead.after(appender.wire().bytes());
            ahead.release();

            assertThat(readAll(queue)).isEqualTo(3 * PER_CYCLE + 1);
            final File[] cycles = cycleFiles();
            assertThat(cycles).hasSize(4);
            for (final File cycle : cycles)
            {
                assertThat(DiskUsage.allocatedBytes(cycle)).as("disk blocks of %s", cycle.getName()).isLessThan(2L << 20);
            }
        }
    }

    @Test
    void abandoningKeepsTheRecordsAppendedAfterTheLastStep() throws Exception
    {
        try (SingleChronicleQueue queue = queue(); ExcerptAppender appender = queue.createAppender())
        {
            for (int i = 0; i < 10; i++)
            {
                append(appender, i);
                ahead.after(appender.wire().bytes());
            }
            ahead.abandon(); // the writer's step failed: it appends on without stepping
            for (int i = 10; i < PER_CYCLE; i++)
            {
                append(appender, i);
            }
            ahead.release(); // the journal closes
            assertThat(readAll(queue)).isEqualTo(PER_CYCLE);
        }
    }

    @Test
    void aWriterThatStartsInAFileRightAfterAnIndexArrayWasAllocatedLeavesTheArrayAlone() throws Exception
    {
        final int perArray = 32 * 4; // TEST4_SECONDLY: 32 entries an index array, one every 4th document
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.single(dir.toFile())
            .rollCycle(TestRollCycles.TEST4_SECONDLY).timeProvider(clock).build();
             ExcerptAppender appender = queue.createAppender())
        {
            for (int i = 0; i <= perArray; i++)
            {
                append(appender, i); // a writer before this one: its last document's close allocated the next array
            }
            ahead.after(appender.wire().bytes()); // a restarted writer's first batch in the file
            for (int i = perArray + 1; i < 3 * perArray; i++)
            {
                append(appender, i);
                ahead.after(appender.wire().bytes());
            }
            ahead.release();
            assertThat(readAll(queue)).isEqualTo(3 * perArray);
            try (ExcerptTailer tailer = queue.createTailer())
            {
                final long first = tailer.toStart().index();
                for (int n = 0; n < 3 * perArray; n++)
                {
                    assertThat(tailer.moveToIndex(first + n)).as("index of record %d", n).isTrue();
                    try (DocumentContext dc = tailer.readingDocument())
                    {
                        assertThat(dc.wire().bytes().readInt()).as("record at index of %d", n).isEqualTo(n);
                    }
                }
            }
        }
    }

    private SingleChronicleQueue queue()
    {
        return SingleChronicleQueueBuilder.single(dir.toFile()).rollCycle(TestRollCycles.TEST_SECONDLY)
            .timeProvider(clock).build();
    }

    private static void append(final ExcerptAppender appender, final int n)
    {
        final byte[] body = new byte[RECORD];
        Arrays.fill(body, (byte)(n | 1));
        try (DocumentContext dc = appender.writingDocument())
        {
            dc.wire().bytes().writeInt(n).write(body);
        }
    }

    /** @return how many records read back, each checked whole and in order. */
    private static int readAll(final SingleChronicleQueue queue)
    {
        int n = 0;
        try (ExcerptTailer tailer = queue.createTailer())
        {
            while (true)
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        return n;
                    }
                    assertThat(dc.wire().bytes().readInt()).isEqualTo(n);
                    for (int i = 0; i < RECORD; i++)
                    {
                        assertThat(dc.wire().bytes().readByte()).isEqualTo((byte)(n | 1));
                    }
                    n++;
                }
            }
        }
    }

    private File[] cycleFiles()
    {
        final File[] files = dir.toFile().listFiles((d, name) -> name.endsWith(".cq4"));
        Arrays.sort(files);
        return files;
    }
}
