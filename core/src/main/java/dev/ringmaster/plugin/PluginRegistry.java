package dev.ringmaster.plugin;

import dev.ringmaster.spi.AgentFactory;
import dev.ringmaster.spi.AgentFactoryProvider;
import dev.ringmaster.spi.RoutingStrategy;
import dev.ringmaster.spi.RoutingStrategyProvider;
import dev.ringmaster.spi.TaskClassifier;
import dev.ringmaster.spi.TaskClassifierProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Every plugin of every {@link PluginKind}, from the classpath and from each {@code *.jar} in a directory, each jar
 * in its own class loader; loaded once by {@link #load}, immutable afterwards, so its lookups may be called from any
 * thread. Call {@link #close} once, when nothing created from its jars runs any more.
 *
 * <p>A jar that is not a zip, whose provider is missing or fails, that registers no provider, or whose plugin name is
 * already taken (by the classpath or an earlier jar) is a {@link PluginProblem} in the {@link #report()}; the rest
 * load. See the package documentation for the rules.
 */
public final class PluginRegistry implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(PluginRegistry.class);

    private final PluginReport report;
    private final Map<PluginKind, Map<String, Object>> providers;
    private final List<URLClassLoader> openLoaders;
    private final ProviderView view;

    /** Built by {@link PluginLoading#finish} once a load is complete. */
    PluginRegistry(final PluginReport report, final Map<PluginKind, Map<String, Object>> providers,
                   final List<URLClassLoader> openLoaders, final ProviderView view)
    {
        this.report = report;
        this.providers = providers;
        this.openLoaders = openLoaders;
        this.view = view;
    }

    /** @return the plugins on the classpath of the core's class loader only. */
    public static PluginRegistry classpath()
    {
        return load(null, PluginRegistry.class.getClassLoader());
    }

    /**
     * @param directory the plugin directory, or null for the classpath only.
     * @return the plugins on the core's class loader's classpath and in the directory's jars.
     * @throws IllegalArgumentException if the directory is missing, not a directory or cannot be listed.
     */
    public static PluginRegistry load(final Path directory)
    {
        return load(directory, PluginRegistry.class.getClassLoader());
    }

    /**
     * @param directory the plugin directory, or null for the classpath only.
     * @param parent    the class loader whose classpath is scanned first and which is every jar loader's parent; it
     *                  must see the SPI types.
     * @return the plugins on the parent's classpath and in the directory's jars.
     * @throws IllegalArgumentException if the directory is missing, not a directory or cannot be listed.
     */
    public static PluginRegistry load(final Path directory, final ClassLoader parent)
    {
        final List<Path> jars = directory == null ? List.of() : jarsIn(directory);
        final PluginLoading loading = new PluginLoading(parent);
        for (final PluginKind kind : PluginKind.values())
        {
            loading.scan(kind, parent, LoadedPlugin.CLASSPATH, LoadedPlugin.CLASSPATH, false);
        }
        for (final Path jar : jars)
        {
            loading.loadJar(jar, directory);
        }
        return loading.finish();
    }

    /** @return what loaded, from where, and what was skipped. */
    public PluginReport report()
    {
        return report;
    }

    /**
     * @return a class loader through which {@link java.util.ServiceLoader} finds exactly the plugins that loaded, e.g.
     *     for {@code Dispatcher.Builder.pluginClassLoader} or {@code RoutingStrategies.create(name, loader)}.
     */
    public ClassLoader classLoader()
    {
        return view;
    }

    /** @return the routing strategy providers that loaded, by name. */
    public Map<String, RoutingStrategyProvider> strategies()
    {
        return typed(PluginKind.ROUTING_STRATEGY, RoutingStrategyProvider.class);
    }

    /** @return the agent factory providers that loaded, by name. */
    public Map<String, AgentFactoryProvider> agentFactories()
    {
        return typed(PluginKind.AGENT_FACTORY, AgentFactoryProvider.class);
    }

    /** @return the task classifier providers that loaded, by name. */
    public Map<String, TaskClassifierProvider> classifiers()
    {
        return typed(PluginKind.TASK_CLASSIFIER, TaskClassifierProvider.class);
    }

    /**
     * @return a new instance of the named strategy.
     * @throws IllegalArgumentException naming the strategies that exist and the jars that were skipped.
     */
    public RoutingStrategy createStrategy(final String name)
    {
        final RoutingStrategyProvider provider = (RoutingStrategyProvider)require(PluginKind.ROUTING_STRATEGY, name);
        return ServiceProviders.createStrategy(name, provider, origin(PluginKind.ROUTING_STRATEGY, name));
    }

    /**
     * @return a new agent factory from the named provider.
     * @throws IllegalArgumentException naming the factories that exist and the jars that were skipped, or a bad option.
     */
    public AgentFactory createAgentFactory(final String name, final String type, final Map<String, String> options)
    {
        final AgentFactoryProvider provider = (AgentFactoryProvider)require(PluginKind.AGENT_FACTORY, name);
        final Map<String, String> copy = Map.copyOf(options);
        return ServiceProviders.create(PluginKind.AGENT_FACTORY, name, provider, origin(PluginKind.AGENT_FACTORY, name),
            () -> provider.create(type, copy));
    }

    /**
     * @return a new predictor (predictive pre-routing) of that name.
     * @throws IllegalArgumentException naming the predictors that exist, for an unknown name.
     */
    public dev.ringmaster.predict.Predictor createPredictor(final String name)
    {
        final dev.ringmaster.predict.PredictorProvider provider =
            (dev.ringmaster.predict.PredictorProvider)require(PluginKind.PREDICTOR, name);
        return ServiceProviders.create(PluginKind.PREDICTOR, name, provider, origin(PluginKind.PREDICTOR, name),
            provider::create);
    }

    /**
     * @return a new classifier from the named provider.
     * @throws IllegalArgumentException naming the classifiers that exist and the jars that were skipped.
     */
    public TaskClassifier createClassifier(final String name)
    {
        final TaskClassifierProvider provider = (TaskClassifierProvider)require(PluginKind.TASK_CLASSIFIER, name);
        return ServiceProviders.create(PluginKind.TASK_CLASSIFIER, name, provider,
            origin(PluginKind.TASK_CLASSIFIER, name), provider::create);
    }

    /**
     * Creates one instance of a plugin and drops it, to tell whether it can be used at all. Agent factories are not
     * tried: they need an agent type and options that only their user knows.
     *
     * @return why the plugin cannot be used (naming it, its origin and the fix), or empty if it can or was not tried.
     */
    public Optional<String> tryCreating(final LoadedPlugin plugin)
    {
        if (plugin.kind() == PluginKind.AGENT_FACTORY)
        {
            return Optional.empty();
        }
        try
        {
            if (plugin.kind() == PluginKind.ROUTING_STRATEGY)
            {
                createStrategy(plugin.name());
            }
            else if (plugin.kind() == PluginKind.PREDICTOR)
            {
                createPredictor(plugin.name());
            }
            else
            {
                createClassifier(plugin.name());
            }
            return Optional.empty();
        }
        catch (final IllegalStateException e)
        {
            return Optional.of(e.getMessage());
        }
    }

    /** Logs every problem as a warning, for hosts without a console of their own. @return this. */
    public PluginRegistry logProblems()
    {
        for (final PluginProblem problem : report.problems())
        {
            LOG.warn("plugin skipped: {}", problem);
        }
        return this;
    }

    /** Closes the class loaders of the jars that contributed plugins; what was created from them must have stopped. */
    @Override
    public void close()
    {
        for (final URLClassLoader loader : openLoaders)
        {
            try
            {
                loader.close();
            }
            catch (final IOException e)
            {
                LOG.debug("closing plugin class loader {} failed", loader.getName(), e);
            }
        }
        openLoaders.clear();
    }

    /** @return how many jar class loaders are open, i.e. how many jars contributed a plugin; for tests. */
    int openJarLoaders()
    {
        return openLoaders.size();
    }

    private <T> Map<String, T> typed(final PluginKind kind, final Class<T> type)
    {
        final Map<String, T> out = new TreeMap<>();
        providers.get(kind).forEach((name, provider) -> out.put(name, type.cast(provider)));
        return Collections.unmodifiableMap(out);
    }

    private String origin(final PluginKind kind, final String name)
    {
        return report.loaded(kind).stream().filter(p -> p.name().equals(name)).map(LoadedPlugin::origin).findFirst()
            .orElse(LoadedPlugin.CLASSPATH);
    }

    private Object require(final PluginKind kind, final String name)
    {
        final Object provider = providers.get(kind).get(name);
        if (provider != null)
        {
            return provider;
        }
        final StringBuilder message = new StringBuilder("unknown ").append(kind.label()).append(" '").append(name)
            .append("'; available: ").append(new ArrayList<>(new TreeMap<>(providers.get(kind)).keySet()));
        if (!report.problems().isEmpty())
        {
            message.append("; skipped plugins: ");
            for (final PluginProblem problem : report.problems())
            {
                message.append(problem).append("; ");
            }
            message.setLength(message.length() - 2);
        }
        throw new IllegalArgumentException(message.toString());
    }

    private static List<Path> jarsIn(final Path directory)
    {
        if (!Files.exists(directory))
        {
            throw new IllegalArgumentException("plugin directory '" + directory + "' does not exist; create it or " +
                "point at the directory that holds the plugin jars");
        }
        if (!Files.isDirectory(directory))
        {
            throw new IllegalArgumentException("plugin directory '" + directory + "' is not a directory; give the " +
                "directory that holds the plugin jars, not a jar itself");
        }
        try (Stream<Path> entries = Files.list(directory))
        {
            return entries
                .filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jar"))
                .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()))
                .toList();
        }
        catch (final IOException | UncheckedIOException e)
        {
            throw new IllegalArgumentException("cannot list plugin directory '" + directory + "': " + e.getMessage() +
                "; check its permissions", e);
        }
    }
}
