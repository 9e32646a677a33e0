package dev.ringmaster.journal.internal;

import dev.ringmaster.journal.DiskUsage;
import net.openhft.chronicle.bytes.MappedBytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The journal writer's zeros ahead of the queue's position: they must reach ahead (or the faults they spare come
 * back), and must never touch a written byte nor grow the file (or they would destroy records or waste disk).
 */
class PageCacheAheadTest
{
    private static final byte WRITTEN = (byte)0xFF;
    private static final int MB = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void zerosOnlyPastThePositionAStepAtATimeUpToSixteenMegabytesAhead() throws Exception
    {
        final File file = filled("big.cq4", 24 * MB);
        final long position = MB + 4;
        noHeaderAt(file, position);
        final PageCacheAhead ahead = new PageCacheAhead();
        final MappedBytes bytes = MappedBytes.mappedBytes(file, 4 * MB);
        try
        {
            bytes.writePosition(position);
            long zeroedTo = position;
            for (int call = 0; call < 400; call++)
            {
                ahead.after(bytes);
                final long now = ahead.zeroedTo();
                // the position stands still: minimal steps, so a quiet queue's batches pay little
                assertThat(now - zeroedTo).as("call %d", call).isBetween(0L, (long)PageCacheAhead.MIN_STEP_BYTES);
                zeroedTo = now;
            }
            assertThat(zeroedTo - position).isGreaterThan(PageCacheAhead.AHEAD_BYTES - PageCacheAhead.MIN_STEP_BYTES)
                .isLessThanOrEqualTo(PageCacheAhead.AHEAD_BYTES);
            assertContents(file, position, zeroedTo, 24 * MB, 24 * MB);

            // the queue now consumes 300 KiB between calls (big batches): the zeros keep their lead
            long moving = position;
            for (int call = 0; call < 20; call++)
            {
                moving += 300 << 10;
                bytes.writePosition(moving);
                ahead.after(bytes);
                assertThat(ahead.zeroedTo() - moving).as("lead after call %d", call)
                    .isGreaterThan(PageCacheAhead.AHEAD_BYTES - PageCacheAhead.MIN_STEP_BYTES);
            }
        }
        finally
        {
            bytes.releaseLast();
        }
    }

    @Test
    void neverWritesPastTheEndOfTheFileNorBehindWhatItZeroedOnceTheQueueWritesThere() throws Exception
    {
        final File file = filled("small.cq4", 3 * MB);
        final long position = 2 * MB;
        noHeaderAt(file, position);
        final PageCacheAhead ahead = new PageCacheAhead();
        final MappedBytes bytes = MappedBytes.mappedBytes(file, MB);
        try
        {
            bytes.writePosition(position);
            final long sized = file.length(); // as Chronicle sized it when it mapped the position's chunk
            for (int call = 0; call < 20; call++)
            {
                ahead.after(bytes);
            }
            assertThat(ahead.zeroedTo()).isEqualTo(sized);
            // the queue writes a record into the zeroed pages: later calls must leave it alone
            final byte[] record = new byte[100];
            Arrays.fill(record, WRITTEN);
            bytes.write(record);
            for (int call = 0; call < 20; call++)
            {
                ahead.after(bytes);
            }
            assertContents(file, position + record.length, sized, 3 * MB, sized);
        }
        finally
        {
            bytes.releaseLast();
        }
    }

    @Test
    void givesTheZerosDiskBlocksBackWhenTheWriterLeavesTheFileKeepingItsLengthAndWhatWasWritten() throws Exception
    {
        final File file = sparse("sparse.cq4");
        final long position = MB + 3;
        final PageCacheAhead ahead = new PageCacheAhead();
        final MappedBytes bytes = MappedBytes.mappedBytes(file, 4 * MB);
        try
        {
            final byte[] record = new byte[(int)position];
            Arrays.fill(record, WRITTEN);
            bytes.write(record); // the queue's records up to the position
            for (int call = 0; call < 400; call++)
            {
                ahead.after(bytes);
            }
            assertThat(DiskUsage.allocatedBytes(file)).as("with the zeros ahead").isGreaterThan(PageCacheAhead.AHEAD_BYTES / 2);
            ahead.release();
            assertThat(DiskUsage.allocatedBytes(file)).as("after release").isLessThan(2L * MB);
            assertContents(file, position, 24L * MB, position, 24L * MB);
        }
        finally
        {
            bytes.releaseLast();
        }
    }

    /**
     * A cycle file removed under the writer cannot be punched (ENOENT): that is logged for the file, and the next cycle
     * file still gives its zeros back, where one failure used to stop punching for the writer's lifetime.
     */
    @Test
    void aFileThatCannotBePunchedDoesNotStopTheNextOneFromGivingItsZerosBack() throws Exception
    {
        final File gone = sparse("gone.cq4");
        final File next = sparse("next.cq4");
        final PageCacheAhead ahead = new PageCacheAhead();
        final MappedBytes first = MappedBytes.mappedBytes(gone, 4 * MB);
        final MappedBytes second = MappedBytes.mappedBytes(next, 4 * MB);
        try
        {
            first.write(new byte[4096]);
            for (int call = 0; call < 400; call++)
            {
                ahead.after(first);
            }
            Files.delete(gone.toPath()); // still mapped, no longer openable by name
            second.write(new byte[4096]);
            for (int call = 0; call < 400; call++)
            {
                ahead.after(second); // the first call leaves the removed file: its punch fails
            }
            assertThat(DiskUsage.allocatedBytes(next)).as("with the zeros ahead").isGreaterThan(PageCacheAhead.AHEAD_BYTES / 2);
            ahead.release();
            assertThat(DiskUsage.allocatedBytes(next)).as("after release").isLessThan(2L * MB);
        }
        finally
        {
            first.releaseLast();
            second.releaseLast();
        }
    }

    @Test
    void theSameCycleFileMappedAnewIsNotPunchedUnderTheRecordsWrittenSince() throws Exception
    {
        final File file = sparse("remapped.cq4");
        final PageCacheAhead ahead = new PageCacheAhead();
        final MappedBytes first = MappedBytes.mappedBytes(file, 4 * MB);
        final MappedBytes second = MappedBytes.mappedBytes(file, 4 * MB); // another MappedFile, the same file
        try
        {
            final byte[] record = new byte[(int)MB];
            Arrays.fill(record, WRITTEN);
            first.write(record);
            ahead.after(first);
            second.writePosition(first.writePosition());
            second.write(record); // a record that crosses pages past the position the first mapping had
            ahead.after(second);
            ahead.release();
            assertContents(file, 2L * MB, 24L * MB, 2L * MB, 24L * MB);
        }
        finally
        {
            first.releaseLast();
            second.releaseLast();
        }
    }

    /** The header word at the position as a queue leaves it: 0, nothing written there yet. */
    private static void noHeaderAt(final File file, final long position) throws Exception
    {
        try (RandomAccessFile raf = new RandomAccessFile(file, "rw"))
        {
            raf.seek(position);
            raf.writeInt(0);
        }
    }

    @Test
    void startsPastAHeaderTheQueueWrotePastThePositionAndSkipsAStepWhileOneIsIncomplete() throws Exception
    {
        final File file = sparse("indexed.cq4");
        try (RandomAccessFile raf = new RandomAccessFile(file, "rw"))
        {
            raf.seek(MB);
            raf.writeInt(Integer.reverseBytes(0x8000_0000 | 100)); // a header still being written past the position
        }
        final PageCacheAhead ahead = new PageCacheAhead();
        final MappedBytes bytes = MappedBytes.mappedBytes(file, 4 * MB);
        try
        {
            bytes.writePosition(MB);
            ahead.after(bytes);
            assertThat(ahead.zeroedTo()).as("no zeros while a header past the position is incomplete").isZero();
            try (RandomAccessFile raf = new RandomAccessFile(file, "rw"))
            {
                raf.seek(MB);
                raf.writeInt(Integer.reverseBytes(0x4000_0000 | 100)); // done: metadata of 100 bytes (an index array)
            }
            ahead.after(bytes);
            assertThat(ahead.zeroedTo()).as("zeros from past the metadata").isEqualTo(MB + 4 + 100 +
                PageCacheAhead.MIN_STEP_BYTES);
            try (RandomAccessFile raf = new RandomAccessFile(file, "r"))
            {
                raf.seek(MB);
                assertThat(Integer.reverseBytes(raf.readInt())).as("the metadata's header").isEqualTo(0x4000_0000 | 100);
            }
        }
        finally
        {
            bytes.releaseLast();
        }
    }

    /** @return a sparse file of 24 MB, as Chronicle sizes a cycle file. */
    private File sparse(final String name) throws Exception
    {
        final File file = dir.resolve(name).toFile();
        try (RandomAccessFile raf = new RandomAccessFile(file, "rw"))
        {
            raf.setLength(24L * MB);
        }
        return file;
    }


    private File filled(final String name, final int length) throws Exception
    {
        final File file = dir.resolve(name).toFile();
        final byte[] chunk = new byte[MB];
        Arrays.fill(chunk, WRITTEN);
        try (RandomAccessFile raf = new RandomAccessFile(file, "rw"))
        {
            for (int at = 0; at < length; at += MB)
            {
                raf.write(chunk);
            }
        }
        return file;
    }

    /**
     * [0, from) as written, [from, to) zeros, [to, filled) as written, [filled, length) zeros (grown by Chronicle),
     * and the file still {@code length} long.
     */
    private static void assertContents(final File file, final long from, final long to, final long filled,
                                       final long length) throws Exception
    {
        try (RandomAccessFile raf = new RandomAccessFile(file, "r"))
        {
            assertThat(raf.length()).as("the file's length").isEqualTo(length);
            final byte[] all = new byte[(int)length];
            raf.readFully(all);
            for (int i = 0; i < all.length; i++)
            {
                final byte expected = i >= from && i < to || i >= filled ? 0 : WRITTEN;
                if (all[i] != expected)
                {
                    throw new AssertionError("byte " + i + " is " + all[i] + ", expected " + expected + " (zeros belong in [" +
                        from + ", " + to + ") only)");
                }
            }
        }
    }
}
