package dev.ringmaster.plugin;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.function.Supplier;

/**
 * What the lookups by name ({@code RoutingStrategies}, {@code AgentFactories}, {@code TaskClassifiers}) and the
 * {@link PluginRegistry} share: turning a provider that fails into an error that names the plugin, where it came from
 * and the fix; stateless, so usable from any thread.
 */
public final class ServiceProviders
{
    private ServiceProviders()
    {
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
     *                               anything but an {@link IllegalArgumentException} (that is a bad setting, passed on).
     */
    public static <T> T create(final PluginKind kind, final String name, final Object provider, final String origin,
                               final Supplier<T> create)
    {
        try
        {
            return create.get();
        }
        catch (final IllegalArgumentException e)
        {
            if (kind == PluginKind.AGENT_FACTORY)
            {
                throw e;
            }
            throw brokenCreate(kind, name, provider, origin, e);
        }
        catch (final RuntimeException | LinkageError e)
        {
            throw brokenCreate(kind, name, provider, origin, e);
        }
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
                                                      final String origin, final Throwable e)
    {
        return new IllegalStateException("the " + kind.label() + " '" + name + "' (" + provider.getClass().getName() +
            " from " + origin + ") is broken: its create() threw " + e + "; fix its create() and rebuild " + origin +
            ", or choose another " + kind.label(), e);
    }
}
