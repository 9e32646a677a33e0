package dev.ringmaster.plugins.routing;

/** Reads strategy tuning from system properties at construction, never per decision; stateless and thread-safe. */
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
}
