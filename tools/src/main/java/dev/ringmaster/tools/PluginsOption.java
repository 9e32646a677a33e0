package dev.ringmaster.tools;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.plugin.PluginProblem;
import dev.ringmaster.plugin.PluginRegistry;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * What the commands with {@code --plugins DIR} share: loading the registry, turning a bad directory into a usage
 * error (exit 2) and printing skipped jars as warnings on stderr; stateless, each call is used from one thread.
 */
final class PluginsOption
{
    private PluginsOption()
    {
    }

    /**
     * @param directory the value of --plugins, or null for the classpath only.
     * @return the plugins on the CLI's classpath and in the directory's jars; close it when the command is done.
     * @throws ParameterException if the directory is missing or not a directory.
     */
    static PluginRegistry load(final CommandSpec spec, final Path directory)
    {
        try
        {
            return PluginRegistry.load(directory, Dispatcher.class.getClassLoader());
        }
        catch (final IllegalArgumentException e)
        {
            throw new ParameterException(spec.commandLine(), e.getMessage() + " (--plugins)");
        }
    }

    /** Prints one warning line per skipped jar or plugin, naming the jar, the plugin and the fix. */
    static void warnAboutProblems(final CommandSpec spec, final PluginRegistry registry)
    {
        if (registry.report().problems().isEmpty())
        {
            return;
        }
        final PrintWriter err = spec.commandLine().getErr();
        for (final PluginProblem problem : registry.report().problems())
        {
            err.println("warning: plugin skipped: " + problem);
        }
        err.flush();
    }
}
