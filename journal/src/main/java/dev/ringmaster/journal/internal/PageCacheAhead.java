package dev.ringmaster.journal.internal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.MappedBytes;
import net.openhft.chronicle.bytes.MappedFile;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Keeps the cycle file's pages ahead of the queue's write position in the page cache, by writing zeros there with
 * positional writes, a step after each batch; used by the journal's writer thread only.
 *
 * <p>Why: the first touch of a page of the memory-mapped file that the page cache lacks is a fault that reads around
 * the page as far as the device's read-ahead goes (8 MB on the machine the benchmarks run on), zeroing every page of
 * that window the file does not hold yet in one go: 8 to 16 ms of kernel CPU on the writer thread every few hundred
 * milliseconds at 200k tasks/s, which on two cores took a worker's or the router's core for as long and put
 * milliseconds into the journaled dispatcher's p99 (bench/RESULTS.md, issue 10). A page already in the cache faults
 * in without reading around, and a positional write puts it there for the cost of copying its zeros, a step at a
 * time. Zeros are what a fresh cycle file holds and what a reader takes for "not written yet", so writing them
 * beyond the position changes nothing any reader sees; nothing is written at or before the position (the end of
 * the queue's data, past any index array allocated after the last document), nor past the end of the file as
 * Chronicle sized it (it grows the file itself, a chunk at a time).
 *
 * <p>Written zeros take disk blocks where the sparse file took none, up to {@link #AHEAD_BYTES} per cycle file: when
 * the writer leaves a cycle file (a roll, or the journal closing) the zeros past its last position are punched out
 * again ({@code fallocate(PUNCH_HOLE | KEEP_SIZE)} through Chronicle's own POSIX binding), the file's length kept, so
 * a 20,000-task demo journal takes its 3 MB on disk, not 20. Where that call is not available the blocks stay, which
 * is logged once.
 */
final class PageCacheAhead
{
    /** How far ahead of the write position pages are kept: past the read-ahead window and a 2 MB folio. */
    static final long AHEAD_BYTES = 16L << 20;
    /**
     * The least written per call, about 15 us of copying; a call writes twice what the queue consumed since the
     * last one, so the zeros keep their lead at any rate while each batch pays in proportion to its own size. With a
     * fixed 256 KiB step, 436 of the writer's runs in 5 s at 200k tasks/s lasted over 0.2 ms (76 over 0.5 ms, the
     * longest 4 ms); with this one 24 did, none over 0.5 ms, and its CPU fell by a third ({@code perf sched}).
     */
    static final int MIN_STEP_BYTES = 64 << 10;
    /** The most written per call (at saturation, batches of up to 256 KiB). */
    static final int MAX_STEP_BYTES = 1 << 20;

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PageCacheAhead.class);
    private static final long PAGE = 4096;
    private static final int O_RDWR = 2;
    private static final int FALLOC_FL_KEEP_SIZE = 0x01;
    /** Linux errno values meaning the file system has no hole punching: then no cycle file is tried again. */
    private static final int EOPNOTSUPP = 95;
    private static final int ENOSYS = 38;
    private static final int FALLOC_FL_PUNCH_HOLE = 0x02;

    /** Chronicle's header word: the top bit marks a document still being written, the low 30 bits its length. */
    private static final int NOT_COMPLETE = 0x8000_0000;
    private static final int LENGTH_MASK = 0x3FFF_FFFF;

    private final ByteBuffer zeros = ByteBuffer.allocateDirect(MAX_STEP_BYTES);
    private final ByteBuffer header = ByteBuffer.allocateDirect(Integer.BYTES).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    private MappedFile file;
    private long zeroedTo;
    private long lastPosition;
    /** The file's length when last read: re-read only when the zeros reach it, a system call per chunk, not per batch. */
    private long knownLength;
    /** Set once punching proved unsupported here: the zeros then keep their blocks (logged once). */
    private boolean punchUnavailable;
    /** Set once a step failed ({@link #abandon}): no more steps, no punch. */
    private boolean abandoned;

    /**
     * The writer leaves the current cycle file (the journal closes): the zeros past its last position give their disk
     * blocks back. Call only once the queue writes nothing more there.
     */
    void release()
    {
        if (file != null)
        {
            punch(file, lastPosition, zeroedTo);
            file = null;
        }
    }

    /**
     * The writer stops writing ahead for good (a step failed) and appends on: the position known here goes stale, so
     * nothing is punched later (punching from it would zero the records appended since); the zeros keep their blocks.
     */
    void abandon()
    {
        abandoned = true;
        file = null;
    }

    /** Punches [the page after the one holding {@code position}'s header, {@code end}) out of the file, its length kept. */
    private void punch(final MappedFile mapped, final long position, final long end)
    {
        // a whole page past the next header's, which Chronicle may still mark (end of file at a roll)
        final long from = (position + 8 + PAGE - 1) / PAGE * PAGE;
        if (end <= from || punchUnavailable)
        {
            return;
        }
        final net.openhft.posix.PosixAPI posix;
        final int errno;
        try
        {
            posix = net.openhft.posix.PosixAPI.posix();
            final int fd = posix.open(mapped.file().getAbsolutePath(), O_RDWR, 0);
            if (fd < 0)
            {
                errno = posix.lastError();
            }
            else
            {
                try
                {
                    errno = posix.fallocate(fd, FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE, from, end - from) == 0 ? 0 :
                        posix.lastError();
                }
                finally
                {
                    posix.close(fd);
                }
            }
        }
        catch (final Throwable e) // an Error too: a missing native library is a LinkageError
        {
            punchUnavailable = true;
            LOG.info("journal {}: could not give back the disk blocks of the zeros written ahead of the queue ({}); " +
                "each cycle file keeps up to {} MiB of them", mapped.file(), e.toString(), AHEAD_BYTES >> 20);
            return;
        }
        if (errno == 0)
        {
            return;
        }
        final String why = "errno " + errno + ", " + posix.strerror(errno);
        if (errno == EOPNOTSUPP || errno == ENOSYS)
        {
            // the file system cannot punch holes: no later file will do better
            punchUnavailable = true;
            LOG.info("journal {}: the file system cannot give back the disk blocks of the zeros written ahead of the " +
                "queue ({}); each cycle file keeps up to {} MiB of them", mapped.file(), why, AHEAD_BYTES >> 20);
        }
        else
        {
            // this file only (removed or made read-only under the writer, say): the next cycle file is tried again
            LOG.warn("journal {}: could not give back the disk blocks of the zeros written ahead of the queue ({}); " +
                "the file keeps up to {} MiB of them", mapped.file(), why, AHEAD_BYTES >> 20);
        }
    }

    /**
     * Chronicle allocates an index array as it closes the document that needs one (every indexCount x indexSpacing
     * documents), through another wire, right after that document: past the appender's write position. Zeros from
     * that position (a writer's first step in a file) or a punch from it (leaving the file) would wipe the array,
     * and the queue would then write its next document where the index says the array is, and index entries into
     * that document.
     *
     * @return the end of the queue's data: past every whole header at or after {@code writePosition}, or -1 if one
     * there is not complete yet.
     */
    private long endOfWritten(final MappedFile mapped, final long writePosition) throws IOException
    {
        long end = writePosition;
        while (true)
        {
            end += -end & 3; // headers sit on 4-byte boundaries (Chronicle pads them)
            header.clear();
            if (mapped.raf().getChannel().read(header, end) < Integer.BYTES)
            {
                return end;
            }
            final int word = header.getInt(0);
            if (word == 0)
            {
                return end;
            }
            if ((word & NOT_COMPLETE) != 0)
            {
                return -1;
            }
            end += Integer.BYTES + (word & LENGTH_MASK);
        }
    }

    /** @return the end of the zeros written so far in the current file. */
    long zeroedTo()
    {
        return zeroedTo;
    }

    /**
     * @param bytes the appender's bytes after a document was closed: their write position is where the next one goes.
     * @throws IOException if the positional write fails (the writer then stops writing ahead and appends on).
     */
    void after(final Bytes<?> bytes) throws IOException
    {
        if (abandoned || !(bytes instanceof MappedBytes))
        {
            return;
        }
        final MappedFile mapped = ((MappedBytes)bytes).mappedFile();
        final long position = endOfWritten(mapped, bytes.writePosition());
        if (position < 0)
        {
            return; // a header past the position is still being written: no step this time
        }
        if (mapped != file)
        {
            if (file != null && file.file().equals(mapped.file()))
            {
                // the same cycle file mapped anew: the queue went on writing it past the last position seen, so a
                // punch from there would zero this batch's records
                file = mapped;
            }
            else
            {
                if (file != null)
                {
                    punch(file, lastPosition, zeroedTo); // rolled: the old file is written no more
                }
                file = mapped; // a new cycle file: start at its position
                zeroedTo = position;
                lastPosition = position;
            }
            knownLength = mapped.raf().length();
        }
        final long consumed = Math.max(0, position - lastPosition);
        lastPosition = position;
        zeroedTo = Math.max(zeroedTo, position);
        if (zeroedTo - position > AHEAD_BYTES - MIN_STEP_BYTES)
        {
            return; // far enough ahead: write whole steps, not a sliver per batch
        }
        final long step = Math.min(Math.min(MAX_STEP_BYTES, Math.max(MIN_STEP_BYTES, 2 * consumed)),
            position + AHEAD_BYTES - zeroedTo);
        if (zeroedTo + step > knownLength)
        {
            knownLength = mapped.raf().length();
        }
        final long room = Math.min(step, knownLength - zeroedTo);
        if (room > 0)
        {
            zeros.clear().limit((int)room);
            zeroedTo += mapped.raf().getChannel().write(zeros, zeroedTo);
        }
    }
}
