package dev.ringmaster.tools;

import dev.ringmaster.journal.PayloadCodec;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Journals the demo's {@link Workload.Work} payloads (a tag byte 'W', the work in nanoseconds, the poison flag),
 * other payloads through the standard codec; stateless and thread-safe.
 */
final class WorkCodec implements PayloadCodec
{
    static final WorkCodec INSTANCE = new WorkCodec("demo-work");
    /**
     * The same encoding under the name 'serve --config' records: its tasks belong to the fleet the file declares, so
     * 'recover', which dispatches on the demo's fleet, can tell its journals apart and refuse them.
     */
    static final WorkCodec SERVE_CONFIG = new WorkCodec("serve-config");

    private static final byte WORK = 'W';
    private static final int LENGTH = 1 + Long.BYTES + 1;

    /** The name recorded in the journals the demo writes, so that 'recover' picks this codec again. */
    static final String NAME = "demo-work";

    private final String name;

    private WorkCodec(final String name)
    {
        this.name = name;
    }

    @Override
    public String name()
    {
        return name;
    }

    @Override
    public int encode(final Object payload, final MutableDirectBuffer buffer, final int offset)
    {
        if (payload instanceof Workload.Work w)
        {
            buffer.putByte(offset, WORK);
            buffer.putLong(offset + 1, w.workNanos());
            buffer.putByte(offset + 1 + Long.BYTES, (byte)(w.poison() ? 1 : 0));
            return LENGTH;
        }
        return PayloadCodec.standard().encode(payload, buffer, offset);
    }

    @Override
    public Object decode(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length == LENGTH && buffer.getByte(offset) == WORK)
        {
            return new Workload.Work(buffer.getLong(offset + 1), buffer.getByte(offset + 1 + Long.BYTES) != 0);
        }
        return PayloadCodec.standard().decode(buffer, offset, length);
    }
}
