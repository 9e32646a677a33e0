package dev.ringmaster.journal.internal;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.charset.StandardCharsets;

/**
 * Length-prefixed UTF-8 strings in a buffer, encoded without allocating (String.getBytes would allocate on the
 * router thread for every agent id); stateless.
 *
 * <p>Layout: a little-endian int32 byte count, -1 for null, then that many bytes of UTF-8.
 */
public final class Utf8
{
    /** The length prefix that stands for null. */
    public static final int NULL_LENGTH = -1;

    private Utf8()
    {
    }

    /** @return the bytes {@link #put} writes for {@code s}, prefix included. */
    public static int encodedLength(final String s)
    {
        return Integer.BYTES + (s == null ? 0 : utf8Length(s));
    }

    /** @return the UTF-8 byte count of {@code s}; unpaired surrogates count as the 3-byte replacement U+FFFD. */
    public static int utf8Length(final String s)
    {
        final int n = s.length();
        int bytes = n;
        for (int i = 0; i < n; i++)
        {
            final char c = s.charAt(i);
            if (c >= 0x80)
            {
                if (c < 0x800)
                {
                    bytes += 1;
                }
                else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1)))
                {
                    bytes += 2; // 4 bytes for 2 chars
                    i++;
                }
                else
                {
                    bytes += 2;
                }
            }
        }
        return bytes;
    }

    /**
     * Writes {@code s} length-prefixed at {@code index}; an expandable buffer grows as needed.
     *
     * @return the bytes written, prefix included.
     */
    public static int put(final MutableDirectBuffer buffer, final int index, final String s)
    {
        if (s == null)
        {
            buffer.putInt(index, NULL_LENGTH);
            return Integer.BYTES;
        }
        int at = index + Integer.BYTES;
        final int n = s.length();
        for (int i = 0; i < n; i++)
        {
            final char c = s.charAt(i);
            if (c < 0x80)
            {
                buffer.putByte(at++, (byte)c);
            }
            else if (c < 0x800)
            {
                buffer.putByte(at++, (byte)(0xC0 | (c >> 6)));
                buffer.putByte(at++, (byte)(0x80 | (c & 0x3F)));
            }
            else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1)))
            {
                final int cp = Character.toCodePoint(c, s.charAt(++i));
                buffer.putByte(at++, (byte)(0xF0 | (cp >> 18)));
                buffer.putByte(at++, (byte)(0x80 | ((cp >> 12) & 0x3F)));
                buffer.putByte(at++, (byte)(0x80 | ((cp >> 6) & 0x3F)));
                buffer.putByte(at++, (byte)(0x80 | (cp & 0x3F)));
            }
            else
            {
                final char u = Character.isSurrogate(c) ? '\uFFFD' : c;
                buffer.putByte(at++, (byte)(0xE0 | (u >> 12)));
                buffer.putByte(at++, (byte)(0x80 | ((u >> 6) & 0x3F)));
                buffer.putByte(at++, (byte)(0x80 | (u & 0x3F)));
            }
        }
        final int length = at - index - Integer.BYTES;
        buffer.putInt(index, length);
        return Integer.BYTES + length;
    }

    /**
     * Reads a string written by {@link #put} (allocates: used by readers, not on the dispatch path).
     *
     * @throws IllegalStateException if the prefix is negative (other than null) or runs past {@code limit}.
     */
    public static String get(final DirectBuffer buffer, final int index, final int limit)
    {
        final int length = lengthAt(buffer, index, limit);
        if (length == NULL_LENGTH)
        {
            return null;
        }
        final byte[] bytes = new byte[length];
        buffer.getBytes(index + Integer.BYTES, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** @return the bytes the string at {@code index} occupies, prefix included. */
    public static int skip(final DirectBuffer buffer, final int index, final int limit)
    {
        final int length = lengthAt(buffer, index, limit);
        return Integer.BYTES + (length == NULL_LENGTH ? 0 : length);
    }

    static int lengthAt(final DirectBuffer buffer, final int index, final int limit)
    {
        if (index + Integer.BYTES > limit)
        {
            throw new IllegalStateException("string length prefix at offset " + index + " runs past the record end " + limit);
        }
        final int length = buffer.getInt(index);
        if (length < NULL_LENGTH || (length > 0 && index + Integer.BYTES + length > limit))
        {
            throw new IllegalStateException("string at offset " + index + " claims " + length +
                " bytes, past the record end " + limit);
        }
        return length;
    }
}
