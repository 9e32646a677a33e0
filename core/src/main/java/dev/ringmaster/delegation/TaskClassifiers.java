package dev.ringmaster.delegation;

import dev.ringmaster.plugin.PluginKind;
import dev.ringmaster.plugin.ServiceProviders;
import dev.ringmaster.spi.TaskClassifier;
import dev.ringmaster.spi.TaskClassifierProvider;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * Finds task classifiers by name through {@link ServiceLoader}, as routing strategies are found; stateless, every
 * call scans the given class loader afresh, so call it at start-up, never per task.
 */
public final class TaskClassifiers
{
    private TaskClassifiers()
    {
    }

    /**
     * @return every provider visible to the class loader, by name.
     * @throws IllegalStateException naming the broken plugin, or the two classes that claim one name.
     */
    public static Map<String, TaskClassifierProvider> available(final ClassLoader loader)
    {
        final Map<String, TaskClassifierProvider> byName = new TreeMap<>();
        final var it = ServiceLoader.load(TaskClassifierProvider.class, loader).iterator();
        while (true)
        {
            final TaskClassifierProvider provider;
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
                throw new IllegalStateException("a task classifier plugin could not be loaded: " + e.getMessage() +
                    "; remove or fix the jar that registers it in META-INF/services/" +
                    TaskClassifierProvider.class.getName(), e);
            }
            final TaskClassifierProvider previous = byName.putIfAbsent(provider.name(), provider);
            if (previous != null && previous.getClass() != provider.getClass())
            {
                throw new IllegalStateException("two task classifiers are named '" + provider.name() + "': " +
                    previous.getClass().getName() + " and " + provider.getClass().getName() + "; rename one");
            }
        }
        return byName;
    }

    /**
     * @return a new instance of the named classifier.
     * @throws IllegalArgumentException naming the classifiers that exist, if none has that name.
     */
    public static TaskClassifier create(final String name, final ClassLoader loader)
    {
        final Map<String, TaskClassifierProvider> all = available(loader);
        final TaskClassifierProvider provider = all.get(name);
        if (provider == null)
        {
            throw new IllegalArgumentException("unknown task classifier '" + name + "'; available: " +
                new ArrayList<>(all.keySet()) + (all.isEmpty() ? " (none found: put a classifier plugin jar that " +
                "registers " + TaskClassifierProvider.class.getName() + " on the classpath)" : ""));
        }
        return ServiceProviders.create(PluginKind.TASK_CLASSIFIER, name, provider,
            ServiceProviders.origin(provider.getClass()), provider::create);
    }

    /** @return the names of every classifier visible to the class loader, sorted. */
    public static List<String> names(final ClassLoader loader)
    {
        return new ArrayList<>(available(loader).keySet());
    }
}
