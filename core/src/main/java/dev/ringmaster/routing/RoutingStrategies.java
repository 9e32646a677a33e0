package dev.ringmaster.routing;

import dev.ringmaster.plugin.PluginKind;
import dev.ringmaster.plugin.ServiceProviders;
import dev.ringmaster.spi.RoutingStrategy;
import dev.ringmaster.spi.RoutingStrategyProvider;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Finds routing strategies by name through {@link ServiceLoader}; stateless, every call scans the given class
 * loader afresh, so call it at build time, never per task.
 */
public final class RoutingStrategies
{
    private RoutingStrategies()
    {
    }

    /**
     * @return every working provider visible to the class loader, by name; broken ones are skipped with a warning in
     *     the log that names the provider and the fix (see {@link ServiceProviders#available}).
     */
    public static Map<String, RoutingStrategyProvider> available(final ClassLoader loader)
    {
        return ServiceProviders.available(PluginKind.ROUTING_STRATEGY, RoutingStrategyProvider.class, loader);
    }

    /**
     * @return a new instance of the named strategy.
     * @throws IllegalArgumentException naming the strategies that exist, if none has that name.
     */
    public static RoutingStrategy create(final String name, final ClassLoader loader)
    {
        final Map<String, RoutingStrategyProvider> all = available(loader);
        final RoutingStrategyProvider provider = all.get(name);
        if (provider == null)
        {
            throw new IllegalArgumentException("unknown routing strategy '" + name + "'; available: " +
                new ArrayList<>(all.keySet()) + (all.isEmpty() ?
                " (none found: put ringmaster-plugins or a strategy plugin jar on the classpath)" : ""));
        }
        return ServiceProviders.createStrategy(name, provider, ServiceProviders.origin(provider.getClass()));
    }

    /** @return the names of every strategy visible to the class loader, sorted. */
    public static List<String> names(final ClassLoader loader)
    {
        return new ArrayList<>(available(loader).keySet());
    }
}
