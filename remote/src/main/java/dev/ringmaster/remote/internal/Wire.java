package dev.ringmaster.remote.internal;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * A cursor over a buffer for the fixed little-endian layouts of {@link Messages}: a writer over an expandable buffer
 * or a reader over a received fragment; one instance per thread, reused for every message.
 */
public final class Wire
{
    private MutableDirectBuffer out;
    private DirectBuffer in;
    private int position;

    /** @return a writer with its own expandable buffer. */
    public static Wire writer()
    {
        final Wire w = new Wire();
        w.out = new ExpandableDirectByteBuffer(512);
        return w;
    }

    /** Starts writing a message from the beginning of this writer's buffer. */
    public Wire reset()
    {
        position = 0;
        return this;
    }

    /** Starts reading the fragment at {@code offset}. */
    public Wire wrap(final DirectBuffer buffer, final int offset)
    {
        this.in = buffer;
        this.position = offset;
        return this;
    }

    public MutableDirectBuffer buffer()
    {
        return out;
    }

    public int position()
    {
        return position;
    }

    public Wire putInt(final int v)
    {
        out.putInt(position, v);
        position += Integer.BYTES;
        return this;
    }

    public Wire putLong(final long v)
    {
        out.putLong(position, v);
        position += Long.BYTES;
        return this;
    }

    public Wire putDouble(final double v)
    {
        out.putDouble(position, v);
        position += Double.BYTES;
        return this;
    }

    /** A 4-byte length, then the UTF-8 bytes; null is written as the empty string. */
    public Wire putString(final String v)
    {
        position += out.putStringUtf8(position, v == null ? "" : v);
        return this;
    }

    /** Reserves 4 bytes for a length written later with {@link #endBlock}, e.g. around a payload. */
    public int beginBlock()
    {
        final int at = position;
        position += Integer.BYTES;
        return at;
    }

    public void endBlock(final int at, final int length)
    {
        out.putInt(at, length);
        position += length;
    }

    public int getInt()
    {
        final int v = in.getInt(position);
        position += Integer.BYTES;
        return v;
    }

    public long getLong()
    {
        final long v = in.getLong(position);
        position += Long.BYTES;
        return v;
    }

    public double getDouble()
    {
        final double v = in.getDouble(position);
        position += Double.BYTES;
        return v;
    }

    public String getString()
    {
        final int length = in.getInt(position);
        final String v = in.getStringUtf8(position, length);
        position += Integer.BYTES + length;
        return v;
    }

    /** @return the length of the block that starts here; {@link #position()} is then its first byte. */
    public int getBlockLength()
    {
        return getInt();
    }

    public void skip(final int length)
    {
        position += length;
    }

    public DirectBuffer input()
    {
        return in;
    }
}
