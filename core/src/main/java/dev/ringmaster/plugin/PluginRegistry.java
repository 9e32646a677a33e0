package dev.ringmaster.plugin;

import dev.ringmaster.spi.AgentFactory;
import dev.ringmaster.spi.AgentFactoryProvider;
import dev.ringmaster.spi.RoutingStrategy;
import dev.ringmaster.spi.RoutingStrategyProvider;
import dev.ringmaster.spi.TaskClassifier;
import dev.ringmaster.spi.TaskClassifierProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.JarFile;
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

    private PluginRegistry(final PluginReport report, final Map<PluginKind, Map<String, Object>> providers,
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
        final Loading loading = new Loading(parent);
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

    /** The state of one {@link #load} call; used by the loading thread only. */
    private static final class Loading
    {
        private final ClassLoader parent;
        private final List<LoadedPlugin> loaded = new ArrayList<>();
        private final List<PluginProblem> problems = new ArrayList<>();
        private final Map<PluginKind, Map<String, Object>> providers = new EnumMap<>(PluginKind.class);
        private final Map<PluginKind, Map<String, String>> origins = new EnumMap<>(PluginKind.class);
        private final Map<PluginKind, Set<String>> acceptedClasses = new EnumMap<>(PluginKind.class);
        private final Map<String, ClassLoader> jarProviders = new HashMap<>();
        private final List<URLClassLoader> openLoaders = new ArrayList<>();

        Loading(final ClassLoader parent)
        {
            this.parent = parent;
            for (final PluginKind kind : PluginKind.values())
            {
                providers.put(kind, new HashMap<>());
                origins.put(kind, new HashMap<>());
                acceptedClasses.put(kind, new LinkedHashSet<>());
            }
        }

        void loadJar(final Path jar, final Path directory)
        {
            final String file = jar.getFileName().toString();
            final int problemsBefore = problems.size();
            if (!Files.isRegularFile(jar))
            {
                problems.add(new PluginProblem(file, "", "not a file; remove it from " + directory +
                    " or replace it with a plugin jar"));
                return;
            }
            // JarFile reads the central directory, so garbage and truncated files fail here, before any class loads
            try
            {
                new JarFile(jar.toFile()).close();
            }
            catch (final IOException | SecurityException e)
            {
                problems.add(new PluginProblem(file, "", "not a readable jar (" + e.getMessage() + "); rebuild it " +
                    "(e.g. mvn package) or remove it from " + directory));
                return;
            }
            final URLClassLoader loader;
            try
            {
                loader = new URLClassLoader("plugin:" + file, new URL[] {jar.toUri().toURL()}, parent);
            }
            catch (final IOException e)
            {
                problems.add(new PluginProblem(file, "", "cannot form a class path entry from " + jar + ": " +
                    e.getMessage() + "; rename the file to a plain name"));
                return;
            }
            int contributed = 0;
            for (final PluginKind kind : PluginKind.values())
            {
                contributed += scan(kind, loader, jar.toString(), file, true);
            }
            if (contributed > 0)
            {
                openLoaders.add(loader);
                return;
            }
            if (problems.size() == problemsBefore)
            {
                final List<String> files = new ArrayList<>();
                for (final PluginKind kind : PluginKind.values())
                {
                    files.add(kind.servicesFile());
                }
                problems.add(new PluginProblem(file, "", "no plugin in it: it has none of " + files + "; name your " +
                    "provider class in one of them (see example-plugin/README.md) or remove the jar from " + directory));
            }
            try
            {
                loader.close();
            }
            catch (final IOException e)
            {
                LOG.debug("closing the class loader of {} failed", file, e);
            }
        }

        /**
         * Reads the services files of one kind, the jar's own only when {@code ownOnly} (the parent's are the
         * classpath, already scanned), and accepts each provider that loads and has a free name.
         *
         * @return how many providers were accepted.
         */
        int scan(final PluginKind kind, final ClassLoader loader, final String origin, final String label,
                 final boolean ownOnly)
        {
            final Enumeration<URL> files;
            try
            {
                files = ownOnly ? ((URLClassLoader)loader).findResources(kind.servicesFile()) :
                    loader.getResources(kind.servicesFile());
            }
            catch (final IOException e)
            {
                problems.add(new PluginProblem(label, "", "cannot read " + kind.servicesFile() + ": " + e.getMessage() +
                    "; rebuild the jar"));
                return 0;
            }
            int accepted = 0;
            final Set<String> seen = new LinkedHashSet<>();
            while (files.hasMoreElements())
            {
                final URL file = files.nextElement();
                final List<String> classNames;
                try
                {
                    classNames = providerClassNames(file);
                }
                catch (final IOException e)
                {
                    problems.add(new PluginProblem(label, "", "cannot read " + kind.servicesFile() + " (" +
                        e.getMessage() + "); rebuild the jar"));
                    continue;
                }
                for (final String className : classNames)
                {
                    // a class listed twice, or in two classpath copies of one services file, is one provider
                    if (seen.add(className) && accept(kind, className, loader, origin, label))
                    {
                        accepted++;
                    }
                }
            }
            return accepted;
        }

        private boolean accept(final PluginKind kind, final String className, final ClassLoader loader,
                               final String origin, final String label)
        {
            final Object provider = instantiate(kind, className, loader, label);
            if (provider == null)
            {
                return false;
            }
            final String name;
            final String description;
            try
            {
                name = kind.pluginName(provider);
                description = kind.pluginDescription(provider);
            }
            catch (final RuntimeException | Error e)
            {
                problems.add(new PluginProblem(label, className, className + ".name() or description() threw " + e +
                    "; make them return constants"));
                return false;
            }
            if (!ServiceProviders.usableName(name))
            {
                problems.add(new PluginProblem(label, className, className + ".name() returned '" + name + "'; " +
                    ServiceProviders.NAME_FIX));
                return false;
            }
            final String previous = origins.get(kind).get(name);
            if (previous != null)
            {
                problems.add(new PluginProblem(label, name, "the " + kind.label() + " name '" + name +
                    "' is already taken by " + providers.get(kind).get(name).getClass().getName() + " from " + previous +
                    "; rename " + className + "'s plugin" + (LoadedPlugin.CLASSPATH.equals(previous) ?
                    " (a jar cannot replace what the classpath provides)" : ", or remove one of the two")));
                return false;
            }
            if (!acceptedClasses.get(kind).add(className))
            {
                problems.add(new PluginProblem(label, name, "provider class " + className + " is already loaded from " +
                    "another jar under another name; give the two jars' classes distinct names (packages)"));
                return false;
            }
            providers.get(kind).put(name, provider);
            origins.get(kind).put(name, origin);
            if (provider.getClass().getClassLoader() != parent)
            {
                jarProviders.put(className, provider.getClass().getClassLoader());
            }
            loaded.add(new LoadedPlugin(kind, name, description == null ? "" : description, origin, className));
            return true;
        }

        /** @return the provider, or null after recording why it could not be made. */
        private Object instantiate(final PluginKind kind, final String className, final ClassLoader loader,
                                   final String label)
        {
            final String where = kind.servicesFile();
            final Class<?> type;
            try
            {
                type = Class.forName(className, false, loader);
            }
            catch (final ClassNotFoundException e)
            {
                problems.add(new PluginProblem(label, className, "provider class " + className + " named in " + where +
                    " is neither in the jar nor on the classpath; add it to the jar or remove the line"));
                return null;
            }
            catch (final UnsupportedClassVersionError e)
            {
                problems.add(new PluginProblem(label, className, "provider class " + className + " " +
                    ClassFileVersions.explain(e)));
                return null;
            }
            catch (final LinkageError e)
            {
                problems.add(new PluginProblem(label, className, "provider class " + className + " cannot be linked (" +
                    e + "); shade the classes it needs into the plugin jar"));
                return null;
            }
            if (!kind.service().isAssignableFrom(type))
            {
                problems.add(new PluginProblem(label, className, className + " is named in " + where +
                    " but does not implement " + kind.service().getName() + "; fix the class or the services file"));
                return null;
            }
            try
            {
                return type.getConstructor().newInstance();
            }
            catch (final NoSuchMethodException e)
            {
                problems.add(new PluginProblem(label, className, className + " has no public no-argument " +
                    "constructor; add one, ServiceLoader needs it"));
            }
            catch (final InvocationTargetException e)
            {
                final String missing = ServiceProviders.missingClass(e.getCause());
                problems.add(new PluginProblem(label, className, className + " failed to instantiate: " +
                    e.getCause() + "; " + (missing != null ? missing : "fix its constructor")));
            }
            catch (final UnsupportedClassVersionError e)
            {
                // a class the provider uses, not the provider itself, is the one compiled for a newer Java
                problems.add(new PluginProblem(label, className, className + " failed to instantiate: " +
                    ClassFileVersions.explain(e)));
            }
            catch (final ReflectiveOperationException | RuntimeException | Error e)
            {
                // an ExceptionInInitializerError has no message of its own: what the initializer threw is its cause
                final String missing = ServiceProviders.missingClass(e);
                problems.add(new PluginProblem(label, className, className + " failed to instantiate: " + e +
                    (e.getMessage() == null && e.getCause() != null ? " (" + e.getCause() + ")" : "") + "; " +
                    (missing != null ? missing : "make the class and its constructor public and its static " +
                    "initializer safe")));
            }
            return null;
        }

        PluginRegistry finish()
        {
            final Map<String, byte[]> servicesFiles = new HashMap<>();
            for (final PluginKind kind : PluginKind.values())
            {
                servicesFiles.put(kind.servicesFile(),
                    String.join("\n", acceptedClasses.get(kind)).concat("\n").getBytes(StandardCharsets.UTF_8));
            }
            final Map<PluginKind, Map<String, Object>> frozen = new EnumMap<>(PluginKind.class);
            providers.forEach((kind, byName) -> frozen.put(kind, Map.copyOf(byName)));
            return new PluginRegistry(new PluginReport(loaded, problems), frozen, new ArrayList<>(openLoaders),
                new ProviderView(parent, jarProviders, servicesFiles));
        }

        /** Parses a services file as ServiceLoader does: one class per line, '#' starts a comment. */
        private static List<String> providerClassNames(final URL file) throws IOException
        {
            final List<String> names = new ArrayList<>();
            final var connection = file.openConnection();
            // a cached JarFile would stay open after the jar's loader is closed
            connection.setUseCaches(false);
            try (InputStream in = connection.getInputStream();
                 BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)))
            {
                String line;
                while ((line = reader.readLine()) != null)
                {
                    final int comment = line.indexOf('#');
                    final String name = (comment >= 0 ? line.substring(0, comment) : line).trim();
                    if (!name.isEmpty())
                    {
                        names.add(name);
                    }
                }
            }
            return names;
        }
    }
}
