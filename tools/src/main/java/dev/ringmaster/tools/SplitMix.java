package dev.ringmaster.tools;

/**
 * Seeded SplitMix64 hashing, so that every random choice of the demo is a pure function of (seed, task, attempt,
 * agent) rather than of a shared generator; the static functions are thread-safe, an instance is owned by one
 * thread.
 *
 * <p>Why hashing instead of one {@code Random} per thread: which worker runs which attempt depends on timing, so a
 * per-thread stream would make the workload itself differ between runs with the same seed.
 */
public final class SplitMix
{
    /** The odd constant of SplitMix64 (2^64 / golden ratio). */
    static final long GAMMA = 0x9E3779B97F4A7C15L;

    private long state;

    /** @param seed starting state; equal seeds give equal streams. */
    public SplitMix(final long seed)
    {
        this.state = seed;
    }

    /** @return a well-mixed 64-bit hash of {@code z} (the SplitMix64 finalizer). */
    public static long mix(long z)
    {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** @return a stream seed for item {@code index} of the stream {@code salt} under {@code seed}. */
    public static long seedFor(final long seed, final long salt, final long index)
    {
        return mix(mix(seed + salt * GAMMA) + index * GAMMA);
    }

    /** @return the next 64 random bits. */
    public long nextLong()
    {
        state += GAMMA;
        return mix(state);
    }

    /** @return a uniform double in [0, 1). */
    public double nextDouble()
    {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** @return a uniform double in (0, 1], safe to take the logarithm or a negative power of. */
    public double nextOpenDouble()
    {
        return ((nextLong() >>> 11) + 1) * 0x1.0p-53;
    }

    /**
     * @param mean  the mean of the distribution, > 0.
     * @param alpha the tail index, > 1 so that the mean exists; 1.5 to 2 gives a heavy tail with a finite mean.
     * @return a Pareto (type I) sample with that mean: most values near {@code mean (alpha - 1) / alpha}, a few
     * many times larger.
     */
    public double nextPareto(final double mean, final double alpha)
    {
        final double scale = mean * (alpha - 1) / alpha;
        return scale / Math.pow(nextOpenDouble(), 1.0 / alpha);
    }
}
