package dev.ringmaster.remote;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.charset.StandardCharsets;

/**
 * Turns a task's payload into bytes on the dispatcher's side and back into an object on the host's; implementations
 * must be stateless or thread-safe, since every worker thread encodes and every host thread decodes.
 *
 * <p>The dispatcher and its hosts must use the same codec. {@link #TEXT} carries strings and byte arrays as they are
 * and anything else as its {@code toString()}; an application with richer payloads supplies its own.
 */
public interface PayloadCodec
{
    /** Strings as UTF-8 (tag 1), byte arrays as they are (tag 2), null as nothing (tag 0), anything else as text. */
    PayloadCodec TEXT = new PayloadCodec()
    {
        @Override
        public int encode(final Object payload, final MutableDirectBuffer buffer, final int offset)
        {
            if (payload == null)
            {
                buffer.putByte(offset, (byte)0);
                return 1;
            }
            final byte[] bytes = payload instanceof byte[] b ? b : payload.toString().getBytes(StandardCharsets.UTF_8);
            buffer.putByte(offset, payload instanceof byte[] ? (byte)2 : (byte)1);
            buffer.putBytes(offset + 1, bytes);
            return 1 + bytes.length;
        }

        @Override
        public Object decode(final DirectBuffer buffer, final int offset, final int length)
        {
            final byte tag = buffer.getByte(offset);
            if (tag == 0)
            {
                return null;
            }
            final byte[] bytes = new byte[length - 1];
            buffer.getBytes(offset + 1, bytes);
            return tag == 2 ? bytes : new String(bytes, StandardCharsets.UTF_8);
        }
    };

    /**
     * Writes the payload at {@code offset}; the buffer grows as needed (it is expandable).
     *
     * @return the number of bytes written.
     */
    int encode(Object payload, MutableDirectBuffer buffer, int offset);

    /** @return the payload the bytes at {@code offset, length} stand for. */
    Object decode(DirectBuffer buffer, int offset, int length);
}
