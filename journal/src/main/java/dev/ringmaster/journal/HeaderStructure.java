package dev.ringmaster.journal;

/**
 * Walks a cycle file's header as Chronicle Queue's binary wire lays it out (field names, values, nested lengths) to
 * find where its structure breaks: damage inside the header that leaves its start and its end intact, which Chronicle
 * reports only with a bare parse error naming no file. Stateless; safe on any thread.
 *
 * <p>Why a walk of the structure and not of the values: a healthy header must never be refused, and a walk that knows
 * only the wire's codes and their lengths cannot mistake one; a byte it does not know gives no verdict (left to
 * Chronicle), and only a place where the wire needs a field name and finds none, or a length that overruns its
 * enclosing value, counts as damage. Damage to a number's bytes alone keeps the structure and is not found here.
 */
final class HeaderStructure
{
    /** The walk found nothing wrong, or met a code it does not know. */
    static final int SOUND = -1;

    private static final int BYTES_LENGTH8 = 0x80;
    private static final int BYTES_LENGTH16 = 0x81;
    private static final int BYTES_LENGTH32 = 0x82;
    private static final int I64_ARRAY = 0x8d;
    private static final int PADDING32 = 0x8e;
    private static final int PADDING = 0x8f;
    private static final int FLOAT32 = 0x90;
    private static final int FLOAT64 = 0x91;
    private static final int UINT8 = 0xa1;
    private static final int UINT16 = 0xa2;
    private static final int UINT32 = 0xa3;
    private static final int INT8 = 0xa4;
    private static final int INT16 = 0xa5;
    private static final int INT32 = 0xa6;
    private static final int INT64 = 0xa7;
    private static final int TYPE_PREFIX = 0xb6;
    private static final int STRING_ANY = 0xb8;
    private static final int FIELD_NAME_ANY = 0xb9;
    private static final int FIELD_NAME0 = 0xc0;
    private static final int STRING0 = 0xe0;
    /** Nesting deeper than this is no header Chronicle writes (it nests two levels). */
    private static final int MAX_DEPTH = 8;

    /** Thrown inside the walk at a code it does not know: no verdict. */
    private static final class Unknown extends RuntimeException
    {
        Unknown()
        {
            super(null, null, false, false);
        }
    }

    /** Thrown inside the walk where the structure breaks. */
    private static final class Broken extends RuntimeException
    {
        final int at;

        Broken(final int at)
        {
            super(null, null, false, false);
            this.at = at;
        }
    }

    private HeaderStructure()
    {
    }

    /**
     * @param head the file's first bytes, holding the whole header.
     * @param from where the header's fields start (after its length word).
     * @param end  where the header ends, as its length word gives.
     * @return the offset in the file where the header's structure breaks, or {@link #SOUND}.
     */
    static int brokenAt(final byte[] head, final int from, final int end)
    {
        try
        {
            fields(head, from, end, 0);
            return SOUND;
        }
        catch (final Unknown e)
        {
            return SOUND;
        }
        catch (final Broken e)
        {
            return e.at;
        }
    }

    /** Walks fields, each a name then a value, from {@code at} to exactly {@code end}. */
    private static void fields(final byte[] b, final int from, final int end, final int depth)
    {
        if (depth > MAX_DEPTH)
        {
            throw new Broken(from);
        }
        int at = from;
        while ((at = padding(b, at, end)) < end)
        {
            final int code = b[at] & 0xff;
            final int name;
            if (code >= FIELD_NAME0 && code < STRING0)
            {
                name = at + 1 + (code - FIELD_NAME0);
            }
            else if (code == FIELD_NAME_ANY)
            {
                name = stopBitString(b, at + 1, end);
            }
            else
            {
                throw new Broken(at); // the wire needs a field name here
            }
            if (name > end)
            {
                throw new Broken(at);
            }
            at = value(b, padding(b, name, end), end, depth);
        }
        if (at != end)
        {
            throw new Broken(end);
        }
    }

    /** @return the position after the value at {@code at}, which must end by {@code end}. */
    private static int value(final byte[] b, final int at, final int end, final int depth)
    {
        if (at >= end)
        {
            throw new Broken(at); // a field name without its value
        }
        final int code = b[at] & 0xff;
        final int next;
        if (code < BYTES_LENGTH8)
        {
            next = at + 1; // a small number in the code itself
        }
        else if (code >= STRING0)
        {
            next = at + 1 + (code - STRING0);
        }
        else
        {
            next = switch (code)
            {
                case UINT8, INT8 -> at + 2;
                case UINT16, INT16 -> at + 3;
                case UINT32, INT32, FLOAT32 -> at + 5;
                case INT64, FLOAT64 -> at + 9;
                case STRING_ANY -> stopBitString(b, at + 1, end);
                case TYPE_PREFIX -> value(b, padding(b, stopBitString(b, at + 1, end), end), end, depth);
                case BYTES_LENGTH8, BYTES_LENGTH16, BYTES_LENGTH32 -> nested(b, at, code, end, depth);
                case I64_ARRAY -> longArray(b, at, end);
                default -> throw new Unknown();
            };
        }
        if (next > end)
        {
            throw new Broken(at);
        }
        return next;
    }

    /** A nested marshallable: a length, then fields filling exactly that length. */
    private static int nested(final byte[] b, final int at, final int code, final int end, final int depth)
    {
        final int width = code == BYTES_LENGTH8 ? 1 : code == BYTES_LENGTH16 ? 2 : 4;
        if (at + 1 + width > end)
        {
            throw new Broken(at);
        }
        final long length = little(b, at + 1, width);
        final long inner = at + 1L + width;
        if (length < 0 || inner + length > end)
        {
            throw new Broken(at);
        }
        fields(b, (int)inner, (int)(inner + length), depth + 1);
        return (int)(inner + length);
    }

    /** An array of longs: its capacity, the number used, then capacity longs. */
    private static int longArray(final byte[] b, final int at, final int end)
    {
        if (at + 17 > end)
        {
            throw new Broken(at);
        }
        final long capacity = little(b, at + 1, 8);
        final long used = little(b, at + 9, 8);
        if (capacity < 0 || capacity > end || used < 0 || used > capacity || at + 17 + capacity * Long.BYTES > end)
        {
            throw new Broken(at);
        }
        return (int)(at + 17 + capacity * Long.BYTES);
    }

    /** @return the position after a stop-bit encoded length and that many bytes. */
    private static int stopBitString(final byte[] b, final int at, final int end)
    {
        long length = 0;
        int shift = 0;
        int i = at;
        while (true)
        {
            if (i >= end || shift > 28)
            {
                throw new Broken(at);
            }
            final int v = b[i++] & 0xff;
            length |= (long)(v & 0x7f) << shift;
            if ((v & 0x80) == 0)
            {
                break;
            }
            shift += 7;
        }
        if (i + length > end)
        {
            throw new Broken(at);
        }
        return (int)(i + length);
    }

    /** Skips Chronicle's padding (a pad byte, or a pad code with a 4-byte count of bytes to skip). */
    private static int padding(final byte[] b, final int from, final int end)
    {
        int at = from;
        while (at < end)
        {
            final int code = b[at] & 0xff;
            if (code == PADDING)
            {
                at++;
            }
            else if (code == PADDING32 && at + 5 <= end)
            {
                final long skip = little(b, at + 1, 4);
                if (skip < 0 || at + 5 + skip > end)
                {
                    throw new Broken(at);
                }
                at += 5 + (int)skip;
            }
            else
            {
                break;
            }
        }
        return at;
    }

    private static long little(final byte[] b, final int at, final int width)
    {
        long v = 0;
        for (int i = width - 1; i >= 0; i--)
        {
            v = (v << 8) | (b[at + i] & 0xff);
        }
        return width == 4 ? v & 0xffff_ffffL : v;
    }
}
