package dev.ringmaster.journal.internal;

/**
 * The router's numbering of the strings it journals again and again (task types, agent ids, the strategy's name),
 * so that a record in the ring names each by a small number instead of carrying its UTF-8 bytes; confined to the
 * one thread that encodes the router's records (see {@link RecordEncoder}). Allocation-free: its arrays are sized
 * once, and once {@link #MAX_IDS} strings are numbered, new ones travel in full as before.
 *
 * <p>Why: encoding each string to UTF-8 on the router, then hashing and comparing the same bytes on the writer to
 * find it in the batch's dictionary, was a large part of the journal's cost per task (a JFR of a 200k tasks/s bench
 * run: half of the router's journal samples in the UTF-8 encoding, a sixth of the writer's in the dictionary lookup;
 * numbering cut the writer's CPU per task by about 13%, see bench/RESULTS.md).
 * Here a string is found by its cached {@link String#hashCode()} and, nearly always, by identity, since the router
 * hands over the same instances each time; the writer finds a number's batch id by indexing an array.
 *
 * <p>In the ring (never on disk) a string's length prefix may instead be {@link #marker}: the first use of a number
 * also carries the bytes ({@link #isDefinition}), after which the writer knows them (see
 * {@link RecordCompactor}). Only one encoder may number strings for a ring: the writer keeps one table.
 */
public final class RingStrings
{
    /** Strings numbered at most; the writer sizes its table to it. */
    public static final int MAX_IDS = 4096;
    /** Longer strings are never numbered (they travel in full): bounds the writer's table to MAX_IDS times this. */
    public static final int MAX_CHARS = 128;
    /** The first length prefix that is a marker; -1 is null, 0 and up a byte count. */
    private static final int FIRST_MARKER = -2;
    private static final int SLOTS = 2 * MAX_IDS; // a power of two

    private final String[] keys = new String[SLOTS];
    private final int[] ids = new int[SLOTS];
    private int count;
    /** The number of the string last passed to {@link #number}, and whether that call gave it its number. */
    private boolean defined;

    /**
     * @return the number of {@code s} (giving it one if it has none and there is room), or -1 if it travels in full;
     *     {@link #defined()} then says whether this call numbered it, so that the record must carry its bytes.
     */
    public int number(final String s)
    {
        defined = false;
        if (s == null || s.length() > MAX_CHARS)
        {
            return -1;
        }
        int slot = mix(s.hashCode()) & (SLOTS - 1);
        String key;
        while ((key = keys[slot]) != null)
        {
            if (key == s || key.equals(s))
            {
                return ids[slot];
            }
            slot = (slot + 1) & (SLOTS - 1);
        }
        if (count == MAX_IDS)
        {
            return -1;
        }
        keys[slot] = s;
        ids[slot] = count;
        defined = true;
        return count++;
    }

    /** @return true if the last {@link #number} call gave the string its number. */
    public boolean defined()
    {
        return defined;
    }

    /** @return the length prefix that stands for number {@code id}, carrying its bytes after it if {@code definition}. */
    public static int marker(final int id, final boolean definition)
    {
        return FIRST_MARKER - (2 * id + (definition ? 1 : 0));
    }

    /** @return true if {@code prefix} is a marker rather than a byte count or null. */
    public static boolean isMarker(final int prefix)
    {
        return prefix <= FIRST_MARKER && prefix > FIRST_MARKER - 2 * MAX_IDS;
    }

    /** @return the number a marker stands for. */
    public static int id(final int marker)
    {
        return (FIRST_MARKER - marker) >>> 1;
    }

    /** @return true if the marker is followed by the string's byte count and bytes. */
    public static boolean isDefinition(final int marker)
    {
        return ((FIRST_MARKER - marker) & 1) != 0;
    }

    private static int mix(final int h)
    {
        return h ^ (h >>> 16);
    }
}
