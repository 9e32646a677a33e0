package dev.ringmaster.journal.internal;

import dev.ringmaster.journal.EventType;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/**
 * The journal's single writer: drains the ring in batches, appends each batch as one Chronicle Queue document of
 * compact records (see {@link RecordLayout}; the router's arrive compact, see {@link CompactEncoder}, others are
 * compacted here, see {@link BatchAssembler}), completes acknowledgements once the batch's document is closed and
 * applies retention. {@link #onStart}, {@link #doWork} and
 * {@link #onClose} all run on the writer thread (Agrona's {@link Agent} contract), which owns the appender; the
 * status getters may be read from any thread.
 */
public final class JournalWriter implements Agent, ControlledMessageHandler
{
    private static final Logger LOG = LoggerFactory.getLogger(JournalWriter.class);
    private static final int BATCH = 1024;
    /** How long closing waits for a record a publisher claimed in the ring but has not committed. */
    private static final long CLOSE_STALL_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(1);
    /** Keeps the pages the next batches go to in the page cache (see there for why). */
    private final PageCacheAhead ahead = new PageCacheAhead();

    private final SingleChronicleQueue queue;
    private final ManyToOneRingBuffer ring;
    private final PendingAcks acks;
    private final RetentionSweeper retention;
    private final long retentionIntervalMillis;
    /**
     * The batch being gathered during one drain of the ring, header included, appended as one document when the drain
     * ends: one copy into the mapped file per batch instead of one per record (Chronicle's per-call checks and its
     * copy loop for small arrays were a tenth of the writer's time).
     */
    private final BatchAssembler batch = new BatchAssembler();
    private int batchRecords;
    /** Task ids of the batch's ACCEPTED records that someone waits for: acknowledged once the document is closed. */
    private long[] batchAcks = new long[BATCH];
    private int batchAckCount;
    /** Set when the last drain stopped at its record or byte cap, or before a message that starts a document. */
    private volatile boolean drainCapped;
    /** Set when a message had to wait for the next document (see {@link BatchAssembler#startsNewDocument}). */
    private boolean split;

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
        try
        {
            appender = queue.createAppender();
            sweepIfDue(queue.time().currentTimeMillis(), true);
        }
        catch (final Throwable e)
        {
            // as in doWork: the failure must be known (stats, JOURNAL_FAILED's reason) and the writer dead to
            // producers, or they drop records without a cause, and after an Error, which Agrona's runner rethrows
            // without calling onClose, they wait forever for room in a ring nobody drains. A termination makes the
            // runner call onClose
            fail(e);
            throw new AgentTerminationException(e);
        }
    }

    @Override
    public int doWork()
    {
        int work;
        try
        {
            work = drainBatch();
            if (retention != null && work == 0)
            {
                work += sweepIfDue(queue.time().currentTimeMillis(), false);
            }
        }
        catch (final Throwable e)
        {
            // Throwable: Chronicle throws checked exceptions undeclared (FileNotFoundException when a cycle file cannot
            // be created), which Agrona's runner would log and then call doWork again, forever, failing nobody
            fail(e);
            throw new AgentTerminationException(e);
        }
        return work;
    }

    /** Appends up to one batch from the ring as one document. @return the records read. */
    private int drainBatch()
    {
        boolean written = false;
        try
        {
            split = false;
            final int read = ring.controlledRead(this, BATCH);
            written = true;
            drainCapped = read == BATCH || batch.length() >= RecordLayout.BATCH_MAX_BYTES || split;
            return read;
        }
        finally
        {
            if (batch.isOpen())
            {
                closeBatch(written);
            }
        }
    }

    @Override
    public Action onMessage(final int typeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        if (batch.startsNewDocument(typeId, buffer, index))
        {
            split = true;
            return Action.ABORT; // left in the ring: the next drain starts a document with it
        }
        final long taskId = batch.add(typeId, buffer, index, length);
        batchRecords++;
        if ((typeId & 0xFF) == EventType.ACCEPTED.code() && !acks.isEmpty())
        {
            if (batchAckCount == batchAcks.length)
            {
                batchAcks = java.util.Arrays.copyOf(batchAcks, batchAcks.length * 2);
            }
            batchAcks[batchAckCount++] = taskId;
        }
        return batch.length() >= RecordLayout.BATCH_MAX_BYTES ? Action.BREAK : Action.CONTINUE;
    }

    /** @param written false if the drain failed part way: nothing of the batch is appended or acknowledged. */
    private void closeBatch(final boolean written)
    {
        batch.close();
        if (written)
        {
            try (DocumentContext dc = appender.writingDocument())
            {
                try
                {
                    dc.wire().bytes().write(batch.bytes(), 0, batch.length());
                }
                catch (final Throwable e)
                {
                    dc.rollbackOnClose(); // nothing of a batch that failed part way is acknowledged
                    throw e;
                }
            }
            recordsWritten += batchRecords; // single writer: only this thread writes it, others just read the volatile
            if (batchAckCount > 0)
            {
                // after the document closed: the records are in the mapped file, so the tasks survive kill -9
                final long at = appender.lastIndexAppended();
                for (int i = 0; i < batchAckCount; i++)
                {
                    acks.appended(batchAcks[i], at);
                }
            }
            writeAhead();
        }
        batchRecords = 0;
        batchAckCount = 0;
    }

    /** After a batch, and after its acknowledgements: a step of {@link PageCacheAhead}, which only saves time. */
    private void writeAhead()
    {
        try
        {
            ahead.after(appender.wire().bytes()); // nothing once abandoned below
        }
        catch (final java.io.IOException | RuntimeException e)
        {
            // the records are written; without the pages ahead the next ones only fault in more slowly. A full disk
            // also lands here, and the next append then fails on its own and says so
            ahead.abandon();
            LOG.warn("journal {}: could not write ahead of the queue's position ({}); appends go on without it",
                queue.file(), e.toString());
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
                drainRemaining();
                ahead.release(); // nothing more is appended: the zeros ahead give their disk blocks back
            }
        }
        catch (final Throwable e)
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

    /**
     * Drains until the ring is empty. Not until a drain reads nothing: a drain that reaches the ring's end passes over
     * the padding before a wrapped record without counting it and reads 0, and the records after it (a run's last,
     * its COMPLETED ones) would be neither written nor counted as dropped.
     */
    private void drainRemaining()
    {
        long stalledSince = 0;
        while (ring.consumerPosition() != ring.producerPosition())
        {
            final long before = ring.consumerPosition();
            drainBatch();
            if (ring.consumerPosition() != before)
            {
                stalledSince = 0;
                continue;
            }
            // a publisher claimed room and has not committed yet: it will within microseconds, unless it is still
            // publishing after the dispatcher closed, against the contract; then close anyway rather than hang
            final long now = System.nanoTime();
            if (stalledSince == 0)
            {
                stalledSince = now;
            }
            else if (now - stalledSince > CLOSE_STALL_NANOS)
            {
                LOG.warn("journal {}: a record claimed in the ring was never committed; closing without it",
                    queue.file());
                return;
            }
            Thread.onSpinWait();
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

    /** Writer thread (its idle strategy): @return true if the last drain stopped at its cap. */
    public boolean drainCapped()
    {
        return drainCapped;
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
        acks.failAll(notDurable(e));
    }

    /**
     * @return what fails the acknowledgement of a task the dispatcher accepted whose ACCEPTED record the failed writer
     *     never wrote: not a refusal (the task runs), so callers do not take it for one.
     */
    public static IllegalStateException notDurable(final Throwable writerFailure)
    {
        return new IllegalStateException("the journal writer failed before the task's ACCEPTED record was written (" +
            writerFailure + "): the task was accepted and runs, but is not durable", writerFailure);
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
