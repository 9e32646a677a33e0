package dev.ringmaster.autoscale;

import dev.ringmaster.plugin.PluginKind;
import dev.ringmaster.plugin.ServiceProviders;
import dev.ringmaster.spi.AgentFactory;
import dev.ringmaster.spi.AgentFactoryProvider;

import java.util.ArrayList;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Finds agent factory plugins by name through {@link ServiceLoader}; stateless, every call scans the given class
 * loader afresh, so call it when setting up an autoscaler, not per evaluation.
 */
public final class AgentFactories
{
    private AgentFactories()
    {
    }

    /**
     * @return every working provider visible to the class loader, by name; broken ones are skipped with a warning in
     *     the log that names the provider and the fix (see {@link ServiceProviders#available}).
     */
    public static Map<String, AgentFactoryProvider> available(final ClassLoader loader)
    {
        return ServiceProviders.available(PluginKind.AGENT_FACTORY, AgentFactoryProvider.class, loader);
    }

    /**
     * @param name    the provider's name, e.g. "echo".
     * @param type    the agent type the factory's agents get.
     * @param options provider-specific settings.
     * @return a new factory.
     * @throws IllegalArgumentException naming the factories that exist, if none has that name, or a bad option.
     */
    public static AgentFactory create(
        final String name, final String type, final Map<String, String> options, final ClassLoader loader)
    {
        final Map<String, AgentFactoryProvider> all = available(loader);
        final AgentFactoryProvider provider = all.get(name);
        if (provider == null)
        {
            throw new IllegalArgumentException("unknown agent factory '" + name + "'; available: " +
                new ArrayList<>(all.keySet()) + (all.isEmpty() ?
                " (none found: put ringmaster-plugins or an agent factory plugin jar on the classpath)" : ""));
        }
        final Map<String, String> copy = Map.copyOf(options);
        final AgentFactory factory = ServiceProviders.create(PluginKind.AGENT_FACTORY, name, provider,
            ServiceProviders.origin(provider.getClass()), () -> provider.create(type, copy));
        if (!type.equals(factory.type()))
        {
            throw new IllegalStateException("agent factory '" + name + "' was asked for type '" + type +
                "' and made one for '" + factory.type() + "'");
        }
        return factory;
    }
}
