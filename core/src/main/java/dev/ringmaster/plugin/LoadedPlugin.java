package dev.ringmaster.plugin;

/**
 * One plugin that loaded; immutable, so usable from any thread.
 *
 * @param kind          what it plugs in.
 * @param name          the name users select it by, unique within its kind.
 * @param description   its one line for listings.
 * @param origin        {@link #CLASSPATH}, or the path of the jar it came from.
 * @param providerClass the class registered in {@code META-INF/services}.
 */
public record LoadedPlugin(PluginKind kind, String name, String description, String origin, String providerClass)
{
    /** The origin of plugins found on the host's own classpath. */
    public static final String CLASSPATH = "classpath";

    /** @return true if it came from a jar in the plugin directory. */
    public boolean fromJar()
    {
        return !CLASSPATH.equals(origin);
    }
}
