package dev.ringmaster.plugin;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ringmaster.spi.RoutingStrategy;
import dev.ringmaster.spi.RoutingStrategyProvider;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Iterator;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * What the lookups by name ({@code RoutingStrategies}, {@code AgentFactories}, {@code TaskClassifiers}) and the
 * {@link PluginRegistry} share: finding the providers of a kind while skipping (and logging) the broken ones, and
 * turning a provider that fails into an error that names the plugin, where it came from and the fix; stateless, so
 * usable from any thread.
 */
public final class ServiceProviders
{
    private static final Logger LOG = LoggerFactory.getLogger(ServiceProviders.class);

    private ServiceProviders()
    {
    }

    /**
     * Every provider of a kind that {@link ServiceLoader} finds on a class loader. A provider that cannot be loaded
     * or instantiated, names itself badly or takes a name an earlier one has is skipped with a warning in the log that
     * names it and the fix, as the {@link PluginRegistry} skips it: one bad jar on the class path must not make every
     * other plugin unusable.
     *
     * @return the providers that work, by name.
     */
    public static <P> Map<String, P> available(final PluginKind kind, final Class<P> service, final ClassLoader loader)
    {
        final Map<String, P> byName = new TreeMap<>();
        final Iterator<P> it = ServiceLoader.load(service, loader).iterator();
        String previousError = null;
        while (true)
        {
            final P provider;
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
                // ServiceLoader moves on to the next line after a bad one; the same error again means it cannot
                if (String.valueOf(e).equals(previousError))
                {
                    break;
                }
                previousError = String.valueOf(e);
                LOG.warn("{} plugin skipped: {}{}; fix the provider class, or remove its line from {} in the jar " +
                    "that has it", kind.label(), e.getMessage(), e.getCause() == null ? "" : " (" + e.getCause() + ")",
                    kind.servicesFile());
                continue;
            }
            final String name;
            try
            {
                name = kind.pluginName(provider);
            }
            catch (final Exception | Error e)
            {
                LOG.warn("{} plugin skipped: {} from {}: name() threw {}; make it return a constant", kind.label(),
                    provider.getClass().getName(), origin(provider.getClass()), e);
                continue;
            }
            if (!usableName(name))
            {
                LOG.warn("{} plugin skipped: {} from {}: name() returned '{}'; {}", kind.label(),
                    provider.getClass().getName(), origin(provider.getClass()), name, NAME_FIX);
                continue;
            }
            final P previous = byName.putIfAbsent(name, provider);
            // the same class twice is one jar on the class path twice: harmless
            if (previous != null && previous.getClass() != provider.getClass())
            {
                LOG.warn("{} plugin skipped: {} from {} is named '{}', which {} from {} has already taken; rename one " +
                    "of the two, or remove one jar", kind.label(), provider.getClass().getName(),
                    origin(provider.getClass()), name, previous.getClass().getName(), origin(previous.getClass()));
            }
        }
        return byName;
    }

    /**
     * A plugin that uses a library it was not shaded with fails with a {@link NoClassDefFoundError} from its
     * constructor or create(), where "fix its constructor" would send its author to the wrong place.
     *
     * @return the missing class and the fix, or null if {@code e} is not such a failure.
     */
    static String missingClass(final Throwable e)
    {
        if (!(e instanceof NoClassDefFoundError) || e.getMessage() == null ||
            e.getMessage().startsWith("Could not initialize class"))
        {
            return null;
        }
        return "the class " + e.getMessage().replace('/', '.') + " it uses is neither in its jar nor on the " +
            "classpath; shade the libraries the plugin uses into its jar (each plugin jar has a class loader of its " +
            "own: another jar in the plugins directory is not seen)";
    }

    /** What to do about a name that {@link #usableName} refuses. */
    static final String NAME_FIX = "return a unique lower-case name without spaces, such as 'my-strategy'";

    /**
     * A name with whitespace cannot be given as one command-line argument, nor read back from a journal's or a
     * listing's columns; one with upper case breaks the rule every name follows (users type names in lower case), and
     * two names differing only in case would be two plugins to a lookup but one to a reader.
     *
     * @return whether a plugin may be selected by this name.
     */
    static boolean usableName(final String name)
    {
        return name != null && !name.isEmpty() && name.chars().noneMatch(Character::isWhitespace) &&
            name.chars().noneMatch(Character::isUpperCase);
    }

    /**
     * As {@link #create}, for a strategy, which must answer to its provider's name: the journal records the strategy's
     * own name() with every decision, and replay and audit find the strategy by that record; another name (or null)
     * makes them report it as not installed.
     *
     * @throws IllegalStateException as {@link #create}, and if the strategy's name() throws or is not the provider's.
     */
    public static RoutingStrategy createStrategy(final String name, final RoutingStrategyProvider provider,
                                                 final String origin)
    {
        final RoutingStrategy strategy = create(PluginKind.ROUTING_STRATEGY, name, provider, origin, provider::create);
        final String own;
        try
        {
            own = strategy.name();
        }
        catch (final Exception | Error e)
        {
            throw brokenCreate(PluginKind.ROUTING_STRATEGY, name, provider, origin, "made " +
                strategy.getClass().getName() + " whose name() threw " + e + "; make its name() return '" + name + "'",
                e);
        }
        if (!name.equals(own))
        {
            throw brokenCreate(PluginKind.ROUTING_STRATEGY, name, provider, origin, "made " +
                strategy.getClass().getName() + " whose name() returns " + (own == null ? "null" : "'" + own + "'") +
                " (the journal records that name with each of its decisions, and replay and audit look the strategy " +
                "up by it); make its name() return '" + name + "'",
                null);
        }
        return strategy;
    }

    /**
     * Calls a provider's {@code create}, so that its failure names the plugin instead of surfacing as a bare
     * "boom" from somebody else's code.
     *
     * @param kind     what the provider plugs in.
     * @param name     the plugin's name.
     * @param provider the provider whose create is called.
     * @param origin   where the provider came from (its jar), e.g. {@link #origin(Class)}.
     * @param create   calls the provider's create.
     * @return what create made.
     * @throws IllegalStateException naming the plugin, its provider class, its origin and the fix, if create threw
     *                               anything but an {@link IllegalArgumentException} (that is a bad setting, passed on),
     *                               or returned null.
     */
    public static <T> T create(final PluginKind kind, final String name, final Object provider, final String origin,
                               final Supplier<T> create)
    {
        final T made;
        try
        {
            made = create.get();
        }
        catch (final IllegalArgumentException e)
        {
            if (kind == PluginKind.AGENT_FACTORY)
            {
                throw e;
            }
            throw brokenCreate(kind, name, provider, origin, "threw " + e, e);
        }
        catch (final Exception | Error e) // Exception: a Kotlin, Scala or Groovy provider can throw a checked one
        {
            if (e instanceof UnsupportedClassVersionError newer)
            {
                // a class create() uses (its strategy), not the provider, is compiled for a newer Java: recompiling
                // is the fix, not changing create()
                throw broken(kind, name, provider, origin, "needs a class that " + ClassFileVersions.explain(newer),
                    null, e);
            }
            final String missing = missingClass(e);
            // a static initializer's failure hides its cause behind ExceptionInInitializerError, whose message is null
            final Throwable init = e instanceof ExceptionInInitializerError ? e.getCause() : null;
            throw broken(kind, name, provider, origin, "threw " + e + (init == null ? "" : " from a static " +
                "initializer: " + init), missing != null ? missing : (init != null ? "fix the static initializer of " +
                "the classes create() loads and rebuild " : "fix its create() and rebuild ") + origin, e);
        }
        if (made == null)
        {
            // caught here, a null names its plugin; passed on, it fails later as a bare NullPointerException
            throw brokenCreate(kind, name, provider, origin, "returned null", null);
        }
        return made;
    }

    /** @return the jar or directory a class was loaded from, or "unknown location" when its loader does not say. */
    public static String origin(final Class<?> type)
    {
        final CodeSource source = type.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null)
        {
            return "unknown location";
        }
        try
        {
            return Path.of(source.getLocation().toURI()).toString();
        }
        catch (final URISyntaxException | IllegalArgumentException | java.nio.file.FileSystemNotFoundException e)
        {
            return source.getLocation().toString();
        }
    }

    private static IllegalStateException brokenCreate(final PluginKind kind, final String name, final Object provider,
                                                      final String origin, final String what, final Throwable e)
    {
        return broken(kind, name, provider, origin, what, "fix its create() and rebuild " + origin, e);
    }

    /** @param fix what to do, or null if {@code what} already says it. */
    private static IllegalStateException broken(final PluginKind kind, final String name, final Object provider,
                                                final String origin, final String what, final String fix,
                                                final Throwable e)
    {
        return new IllegalStateException("the " + kind.label() + " '" + name + "' (" + provider.getClass().getName() +
            " from " + origin + ") is broken: its create() " + what + (fix == null ? "" : "; " + fix) +
            ", or choose another " + kind.label(), e);
    }
}
