package dev.ringmaster.plugin;

/**
 * Why a jar, or one plugin in it, was skipped; immutable, so usable from any thread.
 *
 * @param jar     the jar's file name, or {@link LoadedPlugin#CLASSPATH} for a provider on the host's classpath.
 * @param name    the plugin's name; its provider class when it failed before it had a name; empty when the problem
 *                is the jar as a whole (not a zip, no provider).
 * @param message what is wrong and how to fix it.
 * @param path    the jar as the user can find it: the plugin directory as given, then the file name (the same as
 *                {@code jar} for the classpath).
 */
public record PluginProblem(String jar, String name, String message, String path)
{
    /** A problem whose path is its jar's file name. */
    public PluginProblem(final String jar, final String name, final String message)
    {
        this(jar, name, message, jar);
    }

    /** @return this problem, found in the jar at {@code path}. */
    PluginProblem at(final String path)
    {
        return new PluginProblem(jar, name, message, path);
    }

    /** @return one line: {@code path [name]: message}; the path, not the file name, so the user can find the jar. */
    @Override
    public String toString()
    {
        return path + (name.isEmpty() ? "" : " [" + name + "]") + ": " + message;
    }
}
