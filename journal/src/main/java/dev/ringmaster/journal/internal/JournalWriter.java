package dev.ringmaster.journal.internal;

import dev.ringmaster.journal.EventType;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.zip.CRC32C;

/**
 * The journal's single writer: drains the ring and appends each record as one Chronicle Queue document, stamps its
 * checksum, completes acknowledgements and applies retention. {@link #onStart}, {@link #doWork} and
 * {@link #onClose} all run on the writer thread (Agrona's {@link Agent} contract), which owns the appender; the
 * status getters may be read from any thread.
 */
public final class JournalWriter implements Agent, MessageHandler
{
    private static final Logger LOG = LoggerFactory.getLogger(JournalWriter.class);
    private static final int BATCH = 256;

    private final SingleChronicleQueue queue;
    private final ManyToOneRingBuffer ring;
    private final PendingAcks acks;
    private final RetentionSweeper retention;
    private final long retentionIntervalMillis;
    private final CRC32C crc = new CRC32C();
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[1024]);

    private ExcerptAppender appender;
    private long nextRetentionMillis;
    private volatile boolean alive = true;
    private volatile long recordsWritten;
    private volatile Throwable failure;

    /** @param retention null for no retention (keep every cycle). */
    public JournalWriter(final SingleChronicleQueue queue, final ManyToOneRingBuffer ring, final PendingAcks acks,
                         final RetentionSweeper retention, final long retentionIntervalMillis)
    {
        this.queue = queue;
        this.ring = ring;
        this.acks = acks;
        this.retention = retention;
        this.retentionIntervalMillis = retentionIntervalMillis;
    }

    @Override
    public void onStart()
    {
        appender = queue.createAppender();
        sweepIfDue(queue.time().currentTimeMillis(), true);
    }

    @Override
    public int doWork()
    {
        int work;
        try
        {
            work = ring.read(this, BATCH);
            if (retention != null && work == 0)
            {
                work += sweepIfDue(queue.time().currentTimeMillis(), false);
            }
        }
        catch (final RuntimeException | Error e)
        {
            fail(e);
            throw new AgentTerminationException(e);
        }
        return work;
    }

    @Override
    public void onMessage(final int typeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        if (scratch.capacity() < length)
        {
            scratch.wrap(new byte[Math.max(length, scratch.capacity() * 2)]);
        }
        final byte[] bytes = scratch.byteArray();
        buffer.getBytes(index, bytes, 0, length);
        crc.reset();
        crc.update(bytes, RecordLayout.CHECKSUMMED_FROM, length - RecordLayout.CHECKSUMMED_FROM);
        scratch.putInt(RecordLayout.CHECKSUM_OFFSET, (int)crc.getValue());
        try (DocumentContext dc = appender.writingDocument())
        {
            dc.wire().bytes().write(bytes, 0, length);
        }
        recordsWritten++; // single writer: only this thread increments, others just read the volatile
        if (typeId == EventType.ACCEPTED.code() && !acks.isEmpty())
        {
            // after the document closed: the record is in the mapped file, so the task survives kill -9
            acks.appended(scratch.getLong(RecordLayout.TASK_ID_OFFSET), appender.lastIndexAppended());
        }
    }

    @Override
    public void onClose()
    {
        alive = false;
        try
        {
            if (failure == null)
            {
                if (appender == null)
                {
                    // closed before the duty cycle ever ran: records may already wait in the ring
                    appender = queue.createAppender();
                }
                // producers have stopped (the journal closes after the dispatcher); write what they left behind
                while (ring.read(this, BATCH) > 0)
                {
                    Thread.onSpinWait();
                }
            }
        }
        catch (final RuntimeException e)
        {
            fail(e);
        }
        finally
        {
            acks.failAll(new IllegalStateException("the journal closed before the task's ACCEPTED record was written"));
            if (appender != null)
            {
                appender.close();
            }
        }
    }

    @Override
    public String roleName()
    {
        return "ringmaster-journal-writer";
    }

    /** @return false once the writer has stopped or failed; producers then drop records (counted). */
    public boolean alive()
    {
        return alive;
    }

    /** @return records appended to the queue so far. */
    public long recordsWritten()
    {
        return recordsWritten;
    }

    /** @return what stopped the writer, or null. */
    public Throwable failure()
    {
        return failure;
    }

    private void fail(final Throwable e)
    {
        if (failure == null)
        {
            failure = e;
            LOG.error("journal writer failed appending to {}; the journal stops recording, pending acknowledgements fail",
                queue.file(), e);
        }
        alive = false;
        acks.failAll(e);
    }

    private int sweepIfDue(final long nowMillis, final boolean force)
    {
        if (retention == null || (!force && nowMillis < nextRetentionMillis))
        {
            return 0;
        }
        nextRetentionMillis = nowMillis + retentionIntervalMillis;
        final int deleted = retention.sweep(nowMillis);
        if (deleted > 0)
        {
            queue.refreshDirectoryListing();
        }
        return deleted;
    }
}
