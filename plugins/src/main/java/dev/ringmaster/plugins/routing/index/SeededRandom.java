package dev.ringmaster.plugins.routing.index;

/**
 * The generator of {@link java.util.SplittableRandom#SplittableRandom(long)}, draw for draw (SplitMix64 with the golden
 * gamma; {@link #nextInt(int)} is the JDK's bounded draw), with its state readable: a strategy records
 * {@link #state()} before a decision's first draw, and {@code new SeededRandom(state)} draws the same numbers again,
 * which is what re-deriving a journaled decision needs. Not thread-safe: confined to the routing role, like the
 * strategies that own one.
 */
public final class SeededRandom
{
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private long seed;

    public SeededRandom(final long seed)
    {
        this.seed = seed;
    }

    /** @return the state: a generator made with it draws what this one draws next. */
    public long state()
    {
        return seed;
    }

    /** Sets the state, e.g. to one recorded with a decision, so that the next draws are the recorded ones. */
    public void restore(final long state)
    {
        this.seed = state;
    }

    /** @return a uniformly distributed int, as {@link java.util.SplittableRandom#nextInt()}. */
    public int nextInt()
    {
        long z = seed += GOLDEN_GAMMA;
        z = (z ^ (z >>> 33)) * 0x62a9d9ed799705f5L;
        return (int)(((z ^ (z >>> 28)) * 0xcb24d0a5c88c35b3L) >>> 32);
    }

    /**
     * @return a uniformly distributed int in [0, bound), as {@link java.util.SplittableRandom#nextInt(int)}.
     * @throws IllegalArgumentException if bound is not positive.
     */
    public int nextInt(final int bound)
    {
        if (bound <= 0)
        {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        int r = nextInt();
        final int m = bound - 1;
        if ((bound & m) == 0)
        {
            return r & m;
        }
        for (int u = r >>> 1; u + m - (r = u % bound) < 0; u = nextInt() >>> 1)
        {
            // rejected: u fell in the partial last interval, which would bias the draw
        }
        return r;
    }
}
