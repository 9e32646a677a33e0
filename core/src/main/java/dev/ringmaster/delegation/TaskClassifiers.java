package dev.ringmaster.delegation;

import dev.ringmaster.plugin.PluginKind;
import dev.ringmaster.plugin.ServiceProviders;
import dev.ringmaster.spi.TaskClassifier;
import dev.ringmaster.spi.TaskClassifierProvider;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

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
     * @return every working provider visible to the class loader, by name; broken ones are skipped with a warning in
     *     the log that names the provider and the fix (see {@link ServiceProviders#available}).
     */
    public static Map<String, TaskClassifierProvider> available(final ClassLoader loader)
    {
        return ServiceProviders.available(PluginKind.TASK_CLASSIFIER, TaskClassifierProvider.class, loader);
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
