package dev.ringmaster.journal;

import dev.ringmaster.journal.internal.Utf8;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The default {@link PayloadCodec}: String (UTF-8) and byte[] payloads, told apart by a one-byte tag; stateless and
 * thread-safe.
 *
 * <pre>
 *  tag 'S': int32 length, UTF-8 bytes
 *  tag 'B': int32 length, raw bytes
 * </pre>
 */
final class StandardPayloadCodec implements PayloadCodec
{
    static final StandardPayloadCodec INSTANCE = new StandardPayloadCodec();

    @Override
    public String name()
    {
        return "standard";
    }

    private static final byte STRING = 'S';
    private static final byte BYTES = 'B';

    private StandardPayloadCodec()
    {
    }

    @Override
    public int encode(final Object payload, final MutableDirectBuffer buffer, final int offset)
    {
        if (payload instanceof String s)
        {
            buffer.putByte(offset, STRING);
            return 1 + Utf8.put(buffer, offset + 1, s);
        }
        if (payload instanceof byte[] b)
        {
            buffer.putByte(offset, BYTES);
            buffer.putInt(offset + 1, b.length);
            buffer.putBytes(offset + 1 + Integer.BYTES, b);
            return 1 + Integer.BYTES + b.length;
        }
        throw new IllegalArgumentException("the standard payload codec journals String and byte[] payloads, not " +
            payload.getClass().getName() + "; give the journal a PayloadCodec for it");
    }

    @Override
    public Object decode(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < 1 + Integer.BYTES)
        {
            throw new IllegalArgumentException("payload of " + length + " bytes is too short for the standard codec");
        }
        final byte tag = buffer.getByte(offset);
        final int limit = offset + length;
        if (tag == STRING)
        {
            return Utf8.get(buffer, offset + 1, limit);
        }
        if (tag == BYTES)
        {
            final int n = buffer.getInt(offset + 1);
            if (n < 0 || offset + 1 + Integer.BYTES + n > limit)
            {
                throw new IllegalArgumentException("byte[] payload claims " + n + " bytes in a " + length + "-byte field");
            }
            final byte[] b = new byte[n];
            buffer.getBytes(offset + 1 + Integer.BYTES, b);
            return b;
        }
        throw new IllegalArgumentException("unknown payload tag " + tag + ": not written by the standard codec");
    }
}
