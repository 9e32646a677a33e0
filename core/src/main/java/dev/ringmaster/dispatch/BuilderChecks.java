package dev.ringmaster.dispatch;

import java.time.Duration;
import java.util.Objects;

/**
 * The checks of {@link Dispatcher.Builder}'s settings and strategy instances, and of the dispatcher's waits, with messages
 * naming the setting; stateless.
 */
final class BuilderChecks
{
    private static final Duration LONGEST_WAIT = Duration.ofNanos(Long.MAX_VALUE);

    private BuilderChecks()
    {
    }

    /** A wait in nanoseconds; a Duration too long to count in them (ChronoUnit.FOREVER's) waits about 292 years. */
    static long waitNanos(final Duration wait, final String what)
    {
        if (wait == null)
        {
            // not requireNonNull(wait, what + ...): that builds the message on every submit, and whether the JIT
            // removes it depends on how deep the caller's inlining goes (a producer loop showed it in a profile)
            throw new NullPointerException(what + " must not be null");
        }
        return wait.compareTo(LONGEST_WAIT) >= 0 ? Long.MAX_VALUE : wait.toNanos();
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

    /** @throws IllegalStateException if a strategy instance given to the builder routes for a dispatcher it built. */
    static void notBuiltWith(final java.util.Set<dev.ringmaster.spi.RoutingStrategy> builtWith,
                             final dev.ringmaster.spi.RoutingStrategy live, final dev.ringmaster.spi.RoutingStrategy shadow)
    {
        for (final dev.ringmaster.spi.RoutingStrategy instance : new dev.ringmaster.spi.RoutingStrategy[]{live, shadow})
        {
            if (instance != null && builtWith.contains(instance))
            {
                throw new IllegalStateException("strategy instance '" + instance.name() + "' already routes for " +
                    "the dispatcher this builder built: strategies keep per-dispatcher state, so give this " +
                    "builder a new instance (or the strategy's name) before building another dispatcher");
            }
        }
    }

    /** @throws IllegalArgumentException if the shadow is the live strategy's instance. */
    static void shadowApart(final dev.ringmaster.spi.RoutingStrategy live, final dev.ringmaster.spi.RoutingStrategy shadow)
    {
        if (shadow == live)
        {
            throw new IllegalArgumentException("the shadow strategy is the live strategy's instance: a shadow must " +
                "keep its own state; give it a new instance or its name");
        }
    }
}
