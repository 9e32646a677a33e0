package dev.ringmaster.dispatch;

import java.time.Duration;

/** The range checks of {@link Dispatcher.Builder}'s settings, with messages naming the setting; stateless. */
final class BuilderChecks
{
    private BuilderChecks()
    {
    }

    static void positive(final String name, final Duration value)
    {
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
}
