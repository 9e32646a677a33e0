package dev.ringmaster.journal;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Turns task payloads into journal bytes and back, so that recovery can dispatch a journaled task again.
 * {@link #encode} is called on the dispatcher's router thread (it must not block, and should not allocate);
 * {@link #decode} on whichever thread reads the journal. Implementations must be stateless or thread-confined
 * accordingly. Null payloads never reach a codec: the record marks them itself.
 */
public interface PayloadCodec
{
    /**
     * Writes {@code payload} at {@code offset}; the buffer is expandable and grows as the codec writes.
     *
     * @return the number of bytes written.
     * @throws IllegalArgumentException if the codec cannot encode this kind of payload; the ACCEPTED record is then
     *     journaled without it and marked unencodable, and recovery reports the task instead of dispatching it.
     */
    int encode(Object payload, MutableDirectBuffer buffer, int offset);

    /**
     * @return the payload that {@link #encode} wrote into {@code length} bytes at {@code offset}.
     * @throws IllegalArgumentException if the bytes are not something this codec wrote.
     */
    Object decode(DirectBuffer buffer, int offset, int length);

    /**
     * @return the codec's name, recorded in the journal (see {@link JournalInfo}) so that readers can tell which
     *     codec its payloads need; by default the implementing class's name.
     */
    default String name()
    {
        return getClass().getName();
    }

    /** @return the built-in codec for String and byte[] payloads, named {@code standard}. */
    static PayloadCodec standard()
    {
        return StandardPayloadCodec.INSTANCE;
    }
}
