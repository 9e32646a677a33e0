package dev.ringmaster.dispatch;

import java.time.Duration;
import java.util.Objects;

/** The range checks of {@link Dispatcher.Builder}'s settings, with messages naming the setting; stateless. */
final class BuilderChecks
{
    private BuilderChecks()
    {
    }

    static void positive(final String name, final Duration value)
    {
        Objects.requireNonNull(value, name + " must not be null");
        if (value.isNegative() || value.isZero())
        {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    static int atLeast(final String name, final int value, final int min)
    {
        if (value < min)
        {
            throw new IllegalArgumentException(name + " must be >= " + min + ", got " + value);
        }
        return value;
    }

    static int powerOfTwo(final String name, final int value)
    {
        if (value < 2 || Integer.bitCount(value) != 1)
        {
            throw new IllegalArgumentException(name + " must be a power of two >= 2, got " + value);
        }
        return value;
    }

    static double positive(final String name, final double value)
    {
        if (!(value > 0))
        {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
        return value;
    }

    static void backoff(final Duration base, final Duration max)
    {
        Objects.requireNonNull(base, "retry backoff base must not be null");
        Objects.requireNonNull(max, "retry backoff max must not be null");
        if (base.isNegative() || base.isZero() || max.compareTo(base) < 0)
        {
            throw new IllegalArgumentException("retry backoff needs 0 < base <= max, got base " + base + ", max " + max);
        }
    }

    static void slowStart(final Duration window, final double minFactor)
    {
        Objects.requireNonNull(window, "slow start window must not be null");
        if (window.isNegative() || window.isZero() || !(minFactor > 0 && minFactor <= 1))
        {
            throw new IllegalArgumentException("slow start needs a positive window and a minFactor in (0, 1], got " +
                window + " and " + minFactor);
        }
    }
}
