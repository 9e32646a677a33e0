package dev.ringmaster.journal.internal;

import org.agrona.DirectBuffer;

import java.util.Arrays;

/**
 * Gathers one compact batch document (see {@link RecordLayout}) from the ring's messages, in a heap array that the
 * writer appends with one copy; confined to the journal writer thread. Two kinds of message arrive: the router's,
 * already compact (see {@link CompactEncoder}), which it copies, adding what the document lacks of the router's
 * epoch; and fixed records from other encoders (recovery markers, admin and prediction records), which
 * {@link RecordCompactor} compacts. Allocation-free once its arrays have grown to the largest document.
 *
 * <p>A document holds one router epoch, or records the compactor numbered, never both and never two epochs
 * ({@link #startsNewDocument}): each numbers its strings and its base from scratch, and a document that defined an id
 * twice would let damage to the second definition pass the first one's string off as the record's.
 */
public final class BatchAssembler
{
    private static final int EMPTY = 0;
    private static final int ROUTER = 1;
    private static final int FIXED = 2;

    private final RecordCompactor compactor = new RecordCompactor();
    private byte[] batch = new byte[RecordLayout.BATCH_MAX_BYTES + 64 * 1024];
    private int batchBytes;
    private boolean open;
    /** What the open document holds: nothing yet, the router's compact messages, or records the compactor wrote. */
    private int mode;
    /** Counts documents: a string whose document mark is this one is defined in the open document. */
    private long document;
    private boolean hasBase;
    /** The router's epoch: its base entry and string definitions, framed, by id, for the documents after the first. */
    private long epoch;
    private byte[] epochBase = new byte[64];
    private int epochBaseLength;
    private byte[] epochBytes = new byte[16 * 1024];
    private int epochBytesUsed;
    private final int[] stringOffsets = new int[RecordLayout.COMPACT_MAX_STRINGS];
    private final int[] stringLengths = new int[RecordLayout.COMPACT_MAX_STRINGS];
    /** Longs: an int would wrap within months at full rate, and a stale mark would pass for a current one. */
    private final long[] stringEpochs = new long[RecordLayout.COMPACT_MAX_STRINGS];
    private final long[] stringDocuments = new long[RecordLayout.COMPACT_MAX_STRINGS];

    /** @return true while a document is open (between the first {@link #add} and {@link #close}). */
    public boolean isOpen()
    {
        return open;
    }

    /** @return the open document's bytes, header included, from index 0 up to {@link #length()}. */
    public byte[] bytes()
    {
        return batch;
    }

    /** @return the open document's length. */
    public int length()
    {
        return batchBytes;
    }

    /** Ends the open document: the next {@link #add} starts another. */
    public void close()
    {
        open = false;
    }

    /**
     * @return true if the message of ring type {@code typeId} may not join the open document: the writer appends the
     *     document and adds the message to the next one.
     */
    public boolean startsNewDocument(final int typeId, final DirectBuffer buffer, final int index)
    {
        if (!open || mode == EMPTY)
        {
            return false;
        }
        if (typeId < CompactEncoder.RING_TYPE)
        {
            return mode == ROUTER;
        }
        return mode == FIXED || (buffer.getByte(index + CompactEncoder.FLAGS_AT) & CompactEncoder.FLAG_EPOCH) != 0;
    }

    /**
     * Adds the message of ring type {@code typeId} (a router message or a fixed record) to the open document,
     * opening one if none is. @return the record's task id.
     */
    public long add(final int typeId, final DirectBuffer buffer, final int index, final int length)
    {
        if (!open)
        {
            open = true;
            batch[0] = (byte)RecordLayout.BATCH_MARKER;
            batch[1] = (byte)RecordLayout.COMPACT_BATCH_VERSION;
            batch[2] = 0;
            batch[3] = 0;
            batchBytes = RecordLayout.BATCH_HEADER_LENGTH;
            compactor.startBatch();
            document++;
            mode = EMPTY;
            hasBase = false;
        }
        if (typeId >= CompactEncoder.RING_TYPE)
        {
            appendCompact(buffer, index);
            mode = ROUTER;
            return buffer.getLong(index + CompactEncoder.TASK_ID_AT);
        }
        // the compactor frames its entries (the batch's base, new strings, the record), each with its checksum
        final int entries = compactor.compact(buffer, index, length);
        append(compactor.bytes(), 0, entries);
        mode = FIXED;
        return buffer.getLong(index + RecordLayout.TASK_ID_OFFSET);
    }

    /**
     * Copies a message the router encoded compactly into the batch: first what the document lacks of the router's
     * epoch (its base, the definitions of strings the record uses that an earlier document holds), then the message's
     * own new definitions, which it keeps for later documents, then the record.
     */
    private void appendCompact(final DirectBuffer m, final int index)
    {
        final int refs = m.getByte(index + CompactEncoder.REFS_AT) & 0xFF;
        final int keptCount = m.getByte(index + CompactEncoder.KEPT_AT) & 0xFF;
        final int recordFrom = index + (m.getByte(index + CompactEncoder.RECORD_FROM_AT) & 0xFF);
        final int recordEnd = index + m.getInt(index + CompactEncoder.RECORD_END_AT);
        final int keptEnd = index + m.getInt(index + CompactEncoder.KEPT_END_AT);
        if ((m.getByte(index + CompactEncoder.FLAGS_AT) & CompactEncoder.FLAG_EPOCH) != 0)
        {
            epoch++;
            epochBytesUsed = 0;
        }
        else if (!hasBase)
        {
            append(epochBase, 0, epochBaseLength);
        }
        hasBase = true;
        int at = keptEnd;
        for (int i = 0; i < refs; i++, at += Short.BYTES)
        {
            final int id = m.getShort(at) & 0xFFFF;
            if (stringDocuments[id] != document && stringEpochs[id] == epoch)
            {
                stringDocuments[id] = document;
                append(epochBytes, stringOffsets[id], stringLengths[id]);
            }
        }
        final int keptLength = keptEnd - recordEnd;
        final int recordLength = recordEnd - recordFrom;
        ensure(keptLength + recordLength);
        m.getBytes(recordEnd, batch, batchBytes, keptLength);
        int from = batchBytes;
        for (int i = 0; i < keptCount; i++, at += 2 * Short.BYTES)
        {
            final int id = m.getShort(at) & 0xFFFF;
            final int entryLength = m.getShort(at + Short.BYTES) & 0xFFFF;
            keep(id, from, entryLength);
            from += entryLength;
        }
        batchBytes += keptLength;
        m.getBytes(recordFrom, batch, batchBytes, recordLength);
        batchBytes += recordLength;
    }

    /** Keeps a framed entry of the router's epoch (its base, or a string's definition) for the documents after this. */
    private void keep(final int id, final int from, final int length)
    {
        if (id == CompactEncoder.BASE_ID)
        {
            if (epochBase.length < length)
            {
                epochBase = new byte[length];
            }
            System.arraycopy(batch, from, epochBase, 0, length);
            epochBaseLength = length;
            return;
        }
        if (epochBytesUsed + length > epochBytes.length)
        {
            epochBytes = Arrays.copyOf(epochBytes, Math.max(2 * epochBytes.length, epochBytesUsed + length));
        }
        System.arraycopy(batch, from, epochBytes, epochBytesUsed, length);
        stringOffsets[id] = epochBytesUsed;
        stringLengths[id] = length;
        stringEpochs[id] = epoch;
        stringDocuments[id] = document;
        epochBytesUsed += length;
    }

    private void append(final byte[] src, final int from, final int length)
    {
        ensure(length);
        System.arraycopy(src, from, batch, batchBytes, length);
        batchBytes += length;
    }

    private void ensure(final int more)
    {
        if (batchBytes + more > batch.length)
        {
            // a record larger than any before (a large payload): the writer thread may allocate, the router never
            batch = Arrays.copyOf(batch, Math.max(2 * batch.length, batchBytes + more));
        }
    }
}
