package dev.ringmaster.plugin;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;

/**
 * The state of one {@link PluginRegistry#load} call: scans the classpath and each jar, keeps what loads and records
 * what does not; used by the loading thread only.
 */
final class PluginLoading
{
    private static final Logger LOG = LoggerFactory.getLogger(PluginRegistry.class);

    private final ClassLoader parent;
    private final List<LoadedPlugin> loaded = new ArrayList<>();
    private final List<PluginProblem> problems = new ArrayList<>();
    private final Map<PluginKind, Map<String, Object>> providers = new EnumMap<>(PluginKind.class);
    private final Map<PluginKind, Map<String, String>> origins = new EnumMap<>(PluginKind.class);
    private final Map<PluginKind, Set<String>> acceptedClasses = new EnumMap<>(PluginKind.class);
    private final Map<String, ClassLoader> jarProviders = new HashMap<>();
    private final List<URLClassLoader> openLoaders = new ArrayList<>();

    PluginLoading(final ClassLoader parent)
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
        final int problemsBefore = problems.size();
        try
        {
            loadJar(jar, directory, problemsBefore);
        }
        finally
        {
            // a skip line with the file name alone leaves the user to guess which directory it was in
            for (int i = problemsBefore; i < problems.size(); i++)
            {
                problems.set(i, problems.get(i).at(jar.toString()));
            }
        }
    }

    private void loadJar(final Path jar, final Path directory, final int problemsBefore)
    {
        final String file = jar.getFileName().toString();
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
            if (classNames.isEmpty() && ownOnly)
            {
                // else the jar is said to have none of the services files, which sends its author to the wrong fix
                problems.add(new PluginProblem(label, "", kind.servicesFile() + " names no provider class (it has " +
                    "only comments or blank lines); add the provider class's fully qualified name on a line of its " +
                    "own"));
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
        catch (final Exception | Error e) // Exception: a Kotlin, Scala or Groovy provider can throw a checked one
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
