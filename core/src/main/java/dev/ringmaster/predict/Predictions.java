package dev.ringmaster.predict;

import java.util.Arrays;

/**
 * What a {@link Predictor} expects over a horizon: one row per (agent type, context key), with a confidence (the
 * probability that at least one such task arrives within the horizon), the expected number of arrivals, the
 * required skills last seen for it, and which pattern gave it. Reused from tick to tick: filled and read by one
 * thread at a time, it grows as needed and then no longer allocates.
 */
public final class Predictions
{
    /** Which pattern a prediction mostly rests on. */
    public enum Basis
    {
        /** The arrival rate of the key at this time of the cycle (time bucket), or its recent rate. */
        RATE,
        /** What followed the previous arrival's key before (after a deployment, its checks). */
        TRANSITION
    }

    private int size;
    private String[] types = new String[16];
    private String[] keys = new String[16];
    private long[] skills = new long[16];
    private double[] confidence = new double[16];
    private double[] expected = new double[16];
    private Basis[] basis = new Basis[16];

    public void clear()
    {
        Arrays.fill(types, 0, size, null);
        Arrays.fill(keys, 0, size, null);
        size = 0;
    }

    /**
     * @param type       the agent type the tasks will ask for, never null or blank (no task has such a type).
     * @param key        the context key, or null to predict the type alone.
     * @param confidence probability in [0, 1] that a task of this type and key arrives within the horizon.
     * @param expected   expected arrivals within the horizon, at least 0.
     * @throws IllegalArgumentException for a missing type or an out-of-range figure, which {@link PreRouting} counts as
     *                                  a fault of the predictor, as if its predict had thrown it.
     */
    public void add(final String type, final String key, final long requiredSkills, final double confidence,
                    final double expected, final Basis basis)
    {
        if (type == null || type.isBlank())
        {
            // checked here, where the predictor's stack trace shows who added it: later, pre-routing's hot-key index
            // failed on it with a NullPointerException that pointed at the dispatcher instead
            throw new IllegalArgumentException("a prediction needs the agent type its tasks ask for, got " +
                (type == null ? "null" : "'" + type + "'") + " (key " + key + "); make the predictor add a " +
                "prediction only under the type of the arrivals it observed");
        }
        if (!(confidence >= 0 && confidence <= 1) || !(expected >= 0))
        {
            throw new IllegalArgumentException("a prediction needs a confidence in [0, 1] and expected arrivals >= 0, " +
                "got " + confidence + " and " + expected + " for " + type + "/" + key);
        }
        if (size == types.length)
        {
            final int n = size * 2;
            types = Arrays.copyOf(types, n);
            keys = Arrays.copyOf(keys, n);
            skills = Arrays.copyOf(skills, n);
            this.confidence = Arrays.copyOf(this.confidence, n);
            this.expected = Arrays.copyOf(this.expected, n);
            this.basis = Arrays.copyOf(this.basis, n);
        }
        types[size] = type;
        keys[size] = key;
        skills[size] = requiredSkills;
        this.confidence[size] = confidence;
        this.expected[size] = expected;
        this.basis[size] = basis;
        size++;
    }

    public int size()
    {
        return size;
    }

    public String type(final int i)
    {
        return types[check(i)];
    }

    /** @return the context key, or null for a prediction of the type alone. */
    public String key(final int i)
    {
        return keys[check(i)];
    }

    public long requiredSkills(final int i)
    {
        return skills[check(i)];
    }

    public double confidence(final int i)
    {
        return confidence[check(i)];
    }

    public double expected(final int i)
    {
        return expected[check(i)];
    }

    public Basis basis(final int i)
    {
        return basis[check(i)];
    }

    /** @return the row of that type and key, or -1. */
    public int indexOf(final String type, final String key)
    {
        for (int i = 0; i < size; i++)
        {
            if (types[i].equals(type) && java.util.Objects.equals(keys[i], key))
            {
                return i;
            }
        }
        return -1;
    }

    private int check(final int i)
    {
        if (i < 0 || i >= size)
        {
            throw new IndexOutOfBoundsException("prediction " + i + " of " + size);
        }
        return i;
    }
}
