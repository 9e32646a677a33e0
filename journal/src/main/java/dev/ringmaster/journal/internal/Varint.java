package dev.ringmaster.journal.internal;

import org.agrona.DirectBuffer;

/**
 * Variable-length integers (LEB128: seven bits a byte, low bits first, the high bit set on every byte but the last)
 * and their zig-zag form for signed values; stateless.
 *
 * <p>Used by the compact batch container ({@link RecordLayout#COMPACT_BATCH_VERSION}): most of a record's numbers
 * are small, or small once taken relative to the record before, and the journal's cost is its bytes.
 */
public final class Varint
{
    /** The most bytes one value takes (64 bits in groups of 7). */
    public static final int MAX_LENGTH = 10;

    private Varint()
    {
    }

    /** @return the index after {@code value}, written at {@code at} read as unsigned. */
    public static int put(final byte[] b, final int at, final long value)
    {
        long v = value;
        int i = at;
        while ((v & ~0x7FL) != 0)
        {
            b[i++] = (byte)((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        b[i++] = (byte)v;
        return i;
    }

    /** @return the index after a signed value written at {@code at}, zig-zag first so that small negatives stay short. */
    public static int putSigned(final byte[] b, final int at, final long value)
    {
        return put(b, at, (value << 1) ^ (value >> 63));
    }

    /** @return the bytes {@link #putSigned} takes for {@code value}. */
    public static int signedLength(final long value)
    {
        final long v = (value << 1) ^ (value >> 63);
        return v == 0 ? 1 : (70 - Long.numberOfLeadingZeros(v)) / 7;
    }

    /**
     * Reads the value at {@link Cursor#at} and moves the cursor past it.
     *
     * @throws IllegalStateException if the value runs past {@code limit} or has more than ten bytes.
     */
    public static long get(final DirectBuffer buffer, final Cursor cursor, final int limit)
    {
        long value = 0;
        int shift = 0;
        int at = cursor.at;
        while (true)
        {
            if (at >= limit)
            {
                throw new IllegalStateException("a variable-length number at offset " + cursor.at + " runs past the end " + limit);
            }
            final byte b = buffer.getByte(at++);
            value |= (long)(b & 0x7F) << shift;
            if (b >= 0)
            {
                cursor.at = at;
                return value;
            }
            shift += 7;
            if (shift >= 64)
            {
                throw new IllegalStateException("a variable-length number at offset " + cursor.at + " has more than " +
                    MAX_LENGTH + " bytes");
            }
        }
    }

    /** As {@link #get}, for a value written by {@link #putSigned}. */
    public static long getSigned(final DirectBuffer buffer, final Cursor cursor, final int limit)
    {
        final long v = get(buffer, cursor, limit);
        return (v >>> 1) ^ -(v & 1);
    }

    /** A read position that {@link #get} moves; confined to one reading thread. */
    public static final class Cursor
    {
        public int at;
    }
}
