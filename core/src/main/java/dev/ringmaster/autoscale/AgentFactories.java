package dev.ringmaster.autoscale;

import dev.ringmaster.plugin.PluginKind;
import dev.ringmaster.plugin.ServiceProviders;
import dev.ringmaster.spi.AgentFactory;
import dev.ringmaster.spi.AgentFactoryProvider;

import java.util.ArrayList;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * Finds agent factory plugins by name through {@link ServiceLoader}; stateless, every call scans the given class
 * loader afresh, so call it when setting up an autoscaler, not per evaluation.
 */
public final class AgentFactories
{
    private AgentFactories()
    {
    }

    /** @return every provider visible to the class loader, by name. */
    public static Map<String, AgentFactoryProvider> available(final ClassLoader loader)
    {
        final Map<String, AgentFactoryProvider> byName = new TreeMap<>();
        final var it = ServiceLoader.load(AgentFactoryProvider.class, loader).iterator();
        while (true)
        {
            final AgentFactoryProvider provider;
            try
            {
                if (!it.hasNext())
                {
                    break;
                }
                provider = it.next();
            }
            catch (final ServiceConfigurationError e)
            {
                throw new IllegalStateException("an agent factory plugin could not be loaded: " + e.getMessage() +
                    "; remove or fix the jar that registers it in META-INF/services/" +
                    AgentFactoryProvider.class.getName(), e);
            }
            final AgentFactoryProvider previous = byName.putIfAbsent(provider.name(), provider);
            if (previous != null && previous.getClass() != provider.getClass())
            {
                throw new IllegalStateException("two agent factories are named '" + provider.name() + "': " +
                    previous.getClass().getName() + " and " + provider.getClass().getName() + "; rename one");
            }
        }
        return byName;
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
