package dev.ringmaster.plugins.routing;

import dev.ringmaster.plugins.routing.index.SeededRandom;

/** Strategy tuning (system properties, weight checks) and shared sampling; stateless and thread-safe. */
final class Weights
{
    private Weights()
    {
    }

    /** @return the property parsed as a double, or the default if it is not set. */
    static double fromProperty(final String property, final double defaultValue)
    {
        final String value = System.getProperty(property);
        if (value == null)
        {
            return defaultValue;
        }
        try
        {
            return Double.parseDouble(value.trim());
        }
        catch (final NumberFormatException e)
        {
            throw new IllegalArgumentException("system property " + property + " must be a number such as " +
                defaultValue + ", got '" + value + "'", e);
        }
    }

    /** @return the weight, if it is finite and not negative. @throws IllegalArgumentException naming the strategy. */
    static double check(final String strategy, final String what, final double weight)
    {
        if (!(weight >= 0) || Double.isInfinite(weight))
        {
            throw new IllegalArgumentException(what + " weight of " + strategy + " must be a finite number >= 0, got " + weight);
        }
        return weight;
    }

    /**
     * @return a uniformly random candidate index other than {@code i}, for the power-of-two-choices strategies;
     *     n must be at least 2.
     */
    static int otherThan(final SeededRandom random, final int n, final int i)
    {
        final int j = random.nextInt(n - 1);
        return j >= i ? j + 1 : j; // skipping i keeps the draw uniform over the others
    }
}
