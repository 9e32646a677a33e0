package dev.ringmaster.plugins.routing;

/**
 * Stable 64-bit hashes of keys and ring points for the hashing strategies; stateless and thread-safe.
 *
 * <p>{@link String#hashCode} is only 32 bits and clusters similar keys, so keys are hashed char by char (FNV-1a, no
 * allocation, the same in every JVM) and then finalized with MurmurHash3's fmix64, which spreads every input bit over
 * the whole word: adjacent keys such as "session-1" and "session-2" land far apart on the ring.
 */
final class Hashing
{
    private static final long FNV_OFFSET = 0xCBF29CE484222325L;
    private static final long FNV_PRIME = 0x100000001B3L;
    /** 2^64 / golden ratio: successive multiples are spread evenly, which separates an agent's virtual nodes. */
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private Hashing()
    {
    }

    /** @return MurmurHash3's 64-bit finalizer: a bijection in which every input bit affects every output bit. */
    static long fmix64(final long k)
    {
        long h = k;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return h;
    }

    /** @return a well-mixed 64-bit hash of the chars of {@code key}; allocates nothing. */
    static long hash(final CharSequence key)
    {
        long h = FNV_OFFSET;
        final int length = key.length();
        for (int i = 0; i < length; i++)
        {
            h = (h ^ key.charAt(i)) * FNV_PRIME;
        }
        return fmix64(h ^ length);
    }

    /** @return the ring point of virtual node {@code replica} of the agent whose id hashes to {@code agentHash}. */
    static long point(final long agentHash, final int replica)
    {
        return fmix64(agentHash + GOLDEN * (replica + 1L));
    }
}
