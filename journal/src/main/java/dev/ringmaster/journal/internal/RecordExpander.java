package dev.ringmaster.journal.internal;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

import java.util.zip.CRC32C;

import static dev.ringmaster.journal.internal.RecordLayout.*;

/**
 * Turns a compact record (written by {@link RecordCompactor}) back into the fixed {@link RecordLayout}, checksum
 * included, so that everything downstream reads one layout; confined to one reading thread. Like the compactor it
 * keeps state for one batch document: {@link #startBatch} clears it. The strings it has met are kept as positions in
 * the batch's own bytes, which must stay unchanged until the batch is read.
 */
public final class RecordExpander
{
    private final ExpandableArrayBuffer out = new ExpandableArrayBuffer(512);
    private final CRC32C crc = new CRC32C();
    private final Varint.Cursor cursor = new Varint.Cursor();
    private final int[] stringOffsets = new int[COMPACT_MAX_STRINGS];
    private final int[] stringLengths = filled(COMPACT_MAX_STRINGS);
    /** Per string id of the batch: its length, -1 while the batch has not written it; ids below {@link #used} set. */
    private int used;
    private boolean baseRead;
    private long baseTaskId;
    private long baseSequence;
    private long baseNanos;
    private long baseEpochOffset;

    /** Forgets the batch before. */
    public void startBatch()
    {
        java.util.Arrays.fill(stringLengths, 0, used, -1);
        used = 0;
        baseRead = false;
    }

    /** @return the array holding the last expanded record, from index 0. */
    public byte[] bytes()
    {
        return out.byteArray();
    }

    /**
     * Takes in the compact entry of {@code length} bytes at {@code offset} (its checksum already checked): a record is
     * expanded, the batch's base or a string definition is remembered for the records after it.
     *
     * @return the fixed record's length in {@link #bytes()}, or 0 if the entry was not a record.
     * @throws IllegalStateException naming what is wrong, if the record does not parse.
     */
    public int expand(final DirectBuffer src, final int offset, final int length)
    {
        final int end = offset + length;
        if (length < 1)
        {
            throw new IllegalStateException("an empty compact record");
        }
        final int at;
        final byte kind = src.getByte(offset);
        if (kind == COMPACT_BASE)
        {
            readBase(src, offset + 1, end);
            return 0;
        }
        if (kind == COMPACT_STRING)
        {
            readString(src, offset + 1, end);
            return 0;
        }
        if (kind == COMPACT_RAW)
        {
            out.putBytes(0, src, offset + 1, length - 1);
            at = length - 1;
        }
        else
        {
            at = expandCompact(src, offset, end);
        }
        if (at < CHECKSUMMED_FROM)
        {
            throw new IllegalStateException("a record of " + at + " bytes, shorter than its header");
        }
        crc.reset();
        crc.update(out.byteArray(), CHECKSUMMED_FROM, at - CHECKSUMMED_FROM);
        out.putInt(CHECKSUM_OFFSET, (int)crc.getValue());
        return at;
    }

    private int expandCompact(final DirectBuffer src, final int offset, final int end)
    {
        if (end - offset < 5)
        {
            throw new IllegalStateException("a compact record of " + (end - offset) + " bytes, shorter than its header");
        }
        if (!baseRead)
        {
            throw new IllegalStateException("a record of a batch whose base numbers were lost (the batch's first entry)");
        }
        final ExpandableArrayBuffer b = out;
        b.putByte(TYPE_OFFSET, src.getByte(offset));
        b.putByte(VERSION_OFFSET, src.getByte(offset + 1));
        b.putByte(PRIORITY_OFFSET, src.getByte(offset + 2));
        b.putByte(FLAGS_OFFSET, src.getByte(offset + 3));
        final int mask = src.getByte(offset + 4) & 0xFF;
        final Varint.Cursor c = cursor;
        c.at = offset + 5;
        final long taskId = baseTaskId + Varint.getSigned(src, c, end);
        final long sequence = baseSequence + Varint.getSigned(src, c, end);
        final long nanos = baseNanos + Varint.getSigned(src, c, end);
        final long epochOffset = baseEpochOffset + Varint.getSigned(src, c, end);
        final long value = Varint.getSigned(src, c, end) + ((mask & COMPACT_VALUE_DELTA) != 0 ? nanos : 0);
        b.putLong(TASK_ID_OFFSET, taskId);
        b.putLong(SEQUENCE_OFFSET, sequence);
        b.putLong(NANOS_OFFSET, nanos);
        b.putLong(EPOCH_NANOS_OFFSET, epochOffset + nanos);
        b.putLong(VALUE_OFFSET, value);
        b.putLong(SCORE_OFFSET, slot(src, end, nanos, mask, COMPACT_SCORE_PRESENT, COMPACT_SCORE_DELTA));
        b.putLong(RUNNER_UP_OFFSET, slot(src, end, nanos, mask, COMPACT_RUNNER_UP_PRESENT, COMPACT_RUNNER_UP_DELTA));
        b.putInt(ATTEMPT_OFFSET, (int)Varint.getSigned(src, c, end));
        b.putInt(AGENT_INDEX_OFFSET, (int)Varint.getSigned(src, c, end));
        int at = STRINGS_OFFSET;
        for (int i = 0; i < STRINGS_PER_RECORD; i++)
        {
            at = string(src, end, at);
        }
        if ((mask & COMPACT_PROVENANCE) != 0)
        {
            at = provenance(src, end, at);
        }
        if ((mask & COMPACT_SPEC) != 0)
        {
            b.putLong(at, Varint.getSigned(src, c, end));
            b.putLong(at + 8, Varint.getSigned(src, c, end));
            b.putLong(at + 16, Varint.getSigned(src, c, end));
            b.putLong(at + 24, Varint.getSigned(src, c, end));
            b.putInt(at + 32, (int)Varint.getSigned(src, c, end));
            need(c.at + 1, end, "the task's priority");
            b.putByte(at + 36, src.getByte(c.at++));
            at += SPEC_FIXED_BYTES;
            at = string(src, end, at);
            at = string(src, end, at);
            final long payload = Varint.get(src, c, end) - 1;
            if (payload < Utf8.NULL_LENGTH || payload > end - c.at)
            {
                throw new IllegalStateException("a payload of " + payload + " bytes, " + (end - c.at) + " are left in the record");
            }
            b.putInt(at, (int)payload);
            at += Integer.BYTES;
            if (payload > 0)
            {
                b.putBytes(at, src, c.at, (int)payload);
                c.at += (int)payload;
                at += (int)payload;
            }
            for (int i = STRINGS_PER_RECORD + 2; i < STRINGS_PER_SPEC_RECORD; i++)
            {
                at = string(src, end, at);
            }
        }
        if (c.at != end)
        {
            throw new IllegalStateException("a compact record with " + (end - c.at) + " bytes left over");
        }
        return at;
    }

    /** The version 3 provenance block, written at {@code at} as the fixed layout has it. @return the offset after it. */
    private int provenance(final DirectBuffer src, final int end, final int at)
    {
        final ExpandableArrayBuffer b = out;
        final Varint.Cursor c = cursor;
        b.putInt(at + PROV_CANDIDATES, (int)Varint.getSigned(src, c, end));
        b.putInt(at + PROV_STRATEGY_VERSION, (int)Varint.getSigned(src, c, end));
        b.putInt(at + PROV_RUNNER_UP_INDEX, (int)Varint.getSigned(src, c, end));
        need(c.at + 2, end, "a provenance block");
        b.putByte(at + PROV_HAS_RANDOM_STATE, src.getByte(c.at++));
        final int flags = src.getByte(c.at++);
        b.putLong(at + PROV_RANDOM_STATE, (flags & COMPACT_PROV_RANDOM_RAW) != 0 ? raw(src, end) : Varint.getSigned(src, c, end));
        b.putInt(at + PROV_SHADOW_INDEX, (int)Varint.getSigned(src, c, end));
        b.putLong(at + PROV_SHADOW_REGRET, (flags & COMPACT_PROV_REGRET) != 0 ? raw(src, end) : NAN_BITS);
        int next = at + PROVENANCE_FIXED_LENGTH;
        for (int i = 0; i < PROVENANCE_STRINGS; i++)
        {
            next = string(src, end, next);
        }
        return next;
    }

    private long raw(final DirectBuffer src, final int end)
    {
        need(cursor.at + Long.BYTES, end, "an eight-byte number");
        final long bits = src.getLong(cursor.at);
        cursor.at += Long.BYTES;
        return bits;
    }

    private long slot(final DirectBuffer src, final int end, final long nanos, final int mask, final int present,
                      final int delta)
    {
        if ((mask & present) == 0)
        {
            return NAN_BITS;
        }
        if ((mask & delta) != 0)
        {
            return nanos + Varint.getSigned(src, cursor, end);
        }
        return raw(src, end);
    }

    /** Reads one string reference and writes the string, length-prefixed, at {@code at}. @return the offset after it. */
    private int string(final DirectBuffer src, final int end, final int at)
    {
        final long ref = Varint.get(src, cursor, end);
        if (ref == COMPACT_STRING_NULL)
        {
            out.putInt(at, Utf8.NULL_LENGTH);
            return at + Integer.BYTES;
        }
        final int from;
        final int length;
        if (ref == COMPACT_STRING_INLINE)
        {
            final long n = Varint.get(src, cursor, end);
            if (n > end - cursor.at)
            {
                throw new IllegalStateException("a string of " + n + " bytes, " + (end - cursor.at) + " are left in the record");
            }
            from = cursor.at;
            length = (int)n;
            cursor.at += length;
        }
        else
        {
            final long id = ref - COMPACT_STRING_FIRST_ID;
            if (id >= COMPACT_MAX_STRINGS || stringLengths[(int)id] < 0)
            {
                throw new IllegalStateException("a reference to string " + id + " of the batch, never defined in it " +
                    "(its definition was lost to damage)");
            }
            from = stringOffsets[(int)id];
            length = stringLengths[(int)id];
        }
        out.putInt(at, length);
        out.putBytes(at + Integer.BYTES, src, from, length);
        return at + Integer.BYTES + length;
    }

    private void readBase(final DirectBuffer src, final int from, final int end)
    {
        cursor.at = from;
        baseTaskId = Varint.getSigned(src, cursor, end);
        baseSequence = Varint.getSigned(src, cursor, end);
        baseNanos = Varint.getSigned(src, cursor, end);
        baseEpochOffset = Varint.getSigned(src, cursor, end);
        baseRead = true;
    }

    private void readString(final DirectBuffer src, final int from, final int end)
    {
        cursor.at = from;
        final long id = Varint.get(src, cursor, end);
        final long length = Varint.get(src, cursor, end);
        if (id >= COMPACT_MAX_STRINGS || length != end - cursor.at)
        {
            throw new IllegalStateException("a string definition " + id + " of " + length + " bytes in an entry with " +
                (end - cursor.at) + " bytes left; ids go up to " + (COMPACT_MAX_STRINGS - 1));
        }
        stringOffsets[(int)id] = cursor.at;
        stringLengths[(int)id] = (int)length;
        used = Math.max(used, (int)id + 1);
    }

    private static int[] filled(final int size)
    {
        final int[] a = new int[size];
        java.util.Arrays.fill(a, -1);
        return a;
    }

    private static void need(final int upTo, final int end, final String what)
    {
        if (upTo > end)
        {
            throw new IllegalStateException(what + " runs past the end of the compact record");
        }
    }
}
