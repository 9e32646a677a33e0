package dev.ringmaster.tools;

import dev.ringmaster.remote.PayloadCodec;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The demo's payloads on the wire to agent hosts, through the journal's codec for them ({@link WorkCodec}: the demo's
 * work descriptions, anything else through the journal's standard codec); stateless and thread-safe.
 */
final class RemoteCodec implements PayloadCodec
{
    static final RemoteCodec INSTANCE = new RemoteCodec();

    private RemoteCodec()
    {
    }

    @Override
    public int encode(final Object payload, final MutableDirectBuffer buffer, final int offset)
    {
        return WorkCodec.INSTANCE.encode(payload, buffer, offset);
    }

    @Override
    public Object decode(final DirectBuffer buffer, final int offset, final int length)
    {
        return WorkCodec.INSTANCE.decode(buffer, offset, length);
    }
}
