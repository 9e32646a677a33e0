package dev.ringmaster.predict;

/**
 * The (agent type, context key) pairs predicted above the threshold at one tick; immutable once built on the
 * pre-routing thread and published whole, so the router reads it without a lock and without allocating.
 */
final class HotKeys
{
    static final HotKeys NONE = new HotKeys(new String[1], new String[1], new int[1]);
    /** What {@link #home} answers for a pair that is not predicted. */
    static final int NOT_HOT = -2;

    private final String[] types;
    private final String[] keys;
    private final int[] homes;
    private final int mask;

    private HotKeys(final String[] types, final String[] keys, final int[] homes)
    {
        this.types = types;
        this.keys = keys;
        this.homes = homes;
        this.mask = types.length - 1;
    }

    /** @param home the home agent index of each prediction ({@link HomePlan}), -1 for none; null for no plan. */
    static HotKeys of(final Predictions p, final double threshold, final int[] home)
    {
        int n = 0;
        for (int i = 0; i < p.size(); i++)
        {
            n += p.key(i) != null && p.confidence(i) >= threshold ? 1 : 0;
        }
        if (n == 0)
        {
            return NONE;
        }
        final int size = Integer.highestOneBit(n * 2) * 2; // at most half full: short probes
        final String[] types = new String[size];
        final String[] keys = new String[size];
        final int[] homes = new int[size];
        for (int i = 0; i < p.size(); i++)
        {
            if (p.key(i) != null && p.confidence(i) >= threshold)
            {
                int at = hash(p.type(i), p.key(i)) & (size - 1);
                while (types[at] != null)
                {
                    at = (at + 1) & (size - 1);
                }
                types[at] = p.type(i);
                keys[at] = p.key(i);
                homes[at] = home == null ? -1 : home[i];
            }
        }
        return new HotKeys(types, keys, homes);
    }

    boolean contains(final String type, final String key)
    {
        return home(type, key) != NOT_HOT;
    }

    /** @return the pair's home agent index, -1 if predicted without a home, {@link #NOT_HOT} if not predicted. */
    int home(final String type, final String key)
    {
        if (key == null || type == null)
        {
            return NOT_HOT;
        }
        int at = hash(type, key) & mask;
        while (types[at] != null)
        {
            if (keys[at].equals(key) && types[at].equals(type))
            {
                return homes[at];
            }
            at = (at + 1) & mask;
        }
        return NOT_HOT;
    }

    private static int hash(final String type, final String key)
    {
        final int h = (type.hashCode() * 31 + key.hashCode()) * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
