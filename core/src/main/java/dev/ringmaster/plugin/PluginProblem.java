package dev.ringmaster.plugin;

/**
 * Why a jar, or one plugin in it, was skipped; immutable, so usable from any thread.
 *
 * @param jar     the jar's file name, or {@link LoadedPlugin#CLASSPATH} for a provider on the host's classpath.
 * @param name    the plugin's name; its provider class when it failed before it had a name; empty when the problem
 *                is the jar as a whole (not a zip, no provider).
 * @param message what is wrong and how to fix it.
 */
public record PluginProblem(String jar, String name, String message)
{
    /** @return one line: {@code jar [name]: message}. */
    @Override
    public String toString()
    {
        return jar + (name.isEmpty() ? "" : " [" + name + "]") + ": " + message;
    }
}
