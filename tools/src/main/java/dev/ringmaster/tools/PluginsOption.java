package dev.ringmaster.tools;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.plugin.LoadedPlugin;
import dev.ringmaster.plugin.PluginProblem;
import dev.ringmaster.plugin.PluginRegistry;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code --plugins DIR} option, a picocli mixin of every command that finds plugins by name: it loads the
 * registry, turns a bad directory into a usage error (exit 2) and prints skipped jars as warnings on stderr; picocli
 * creates one per command execution, used from the executing thread.
 */
final class PluginsOption
{
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--plugins", paramLabel = "DIR",
        description = "Also load plugins from every *.jar in DIR, each in its own class loader; jars that cannot be "
            + "used are skipped with a warning on stderr (default: the classpath only).")
    Path directory;

    /**
     * @return the plugins on the CLI's classpath and in the directory's jars, after a warning line on stderr for each
     *     jar or plugin skipped; close it when what was created from it has stopped.
     * @throws ParameterException if the directory is missing or not a directory.
     */
    PluginRegistry open()
    {
        final PluginRegistry registry = load();
        if (!registry.report().problems().isEmpty())
        {
            final PrintWriter err = spec.commandLine().getErr();
            for (final PluginProblem problem : registry.report().problems())
            {
                err.println("warning: plugin skipped: " + problem);
            }
            err.flush();
        }
        return registry;
    }

    /**
     * As {@link #open()} without the warnings, for a command that lists the skipped jars itself.
     *
     * @throws ParameterException if the directory is empty, missing or not a directory.
     */
    PluginRegistry load()
    {
        // an empty value would silently mean the working directory and load whatever jars lie there
        if (directory != null && directory.toString().isBlank())
        {
            throw new ParameterException(spec.commandLine(), "--plugins needs a directory; give the directory that " +
                "holds the plugin jars, e.g. --plugins ./plugins, or leave the option out");
        }
        try
        {
            return PluginRegistry.load(directory, Dispatcher.class.getClassLoader());
        }
        catch (final IllegalArgumentException e)
        {
            throw new ParameterException(spec.commandLine(), e.getMessage() + " (--plugins)");
        }
    }

    /**
     * Prints one line per plugin, in aligned columns: its name, its origin ('classpath' or its jar), then its
     * description, or BROKEN and why if it loads but cannot create what it provides.
     */
    static void printTable(final PrintWriter out, final String indent, final PluginRegistry registry,
                           final List<LoadedPlugin> loaded)
    {
        int nameWidth = 0;
        int originWidth = 0;
        for (final LoadedPlugin p : loaded)
        {
            nameWidth = Math.max(nameWidth, p.name().length());
            originWidth = Math.max(originWidth, p.origin().length());
        }
        for (final LoadedPlugin p : loaded)
        {
            // a provider whose create() throws loads fine; only making one shows that selecting it would fail
            final String description = registry.tryCreating(p).map(why -> "BROKEN: " + why).orElse(p.description());
            out.printf("%s%-" + nameWidth + "s  %-" + originWidth + "s  %s%n", indent, p.name(), p.origin(),
                description);
        }
    }

    /**
     * A plugin whose constructor fails is known only by its class, so a strategy the user means may be among the
     * skipped ones even though no problem carries its name.
     *
     * @return a hint that points at the warnings printed above, or "" when nothing was skipped.
     */
    private String skipped(final PluginRegistry registry)
    {
        final int skipped = registry.report().problems().size();
        if (skipped == 0 && !holdsJars())
        {
            return " (" + directory + " holds no .jar file: put the plugin's jar there)";
        }
        return skipped == 0 ? "" : " (" + skipped + " plugin(s) in " + directory + " were skipped, see the warnings " +
            "above: if yours is one of them, fix what they say)";
    }

    private boolean holdsJars()
    {
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(directory))
        {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(".jar"));
        }
        catch (final java.io.IOException e)
        {
            return true; // unreadable: the loader said so already; no hint rather than a wrong one
        }
    }

    /**
     * Checks the strategies asked for before anything is started (a journal opened, a server bound): each must exist
     * and make an instance.
     *
     * @param names  the strategies asked for.
     * @param option the option they came from, for the message, e.g. "--strategy".
     * @throws ParameterException    naming the first unknown strategy and the ones there are, or, for one that is most
     *                               likely a skipped plugin, that plugin, why it was skipped and the fix.
     * @throws IllegalStateException naming a strategy whose create() fails, its jar and the fix.
     */
    void requireStrategies(final PluginRegistry registry, final List<String> names, final String option)
    {
        final List<String> available = new ArrayList<>(registry.strategies().keySet());
        for (final String name : names)
        {
            if (!available.contains(name))
            {
                final List<PluginProblem> skipped = registry.report().skippedAs(name);
                if (!skipped.isEmpty())
                {
                    // the user's strategy exists but did not load: "unknown" would send them hunting for a typo
                    throw new ParameterException(spec.commandLine(), "strategy '" + name + "' for " + option +
                        " was not loaded: it is most likely the plugin that was skipped: " + skipped.get(0) +
                        "; fix that and run again, or choose another strategy" +
                        (available.isEmpty() ? "" : ", e.g. " + option + " " + available.get(0)));
                }
                throw new ParameterException(spec.commandLine(), "unknown strategy '" + name + "' for " + option +
                    "; " + (available.isEmpty() ? "none is installed: put ringmaster-plugins on the classpath" :
                    "choose one of " + String.join(", ", available) + ", e.g. " + option + " " + available.get(0)) +
                    (directory == null ? " (a strategy from a plugin jar needs --plugins DIR)" : skipped(registry)));
            }
        }
        for (final String name : names)
        {
            registry.createStrategy(name);
        }
    }
}
