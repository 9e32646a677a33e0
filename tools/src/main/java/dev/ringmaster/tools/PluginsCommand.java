package dev.ringmaster.tools;

import dev.ringmaster.plugin.LoadedPlugin;
import dev.ringmaster.plugin.PluginKind;
import dev.ringmaster.plugin.PluginProblem;
import dev.ringmaster.plugin.PluginRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ringmaster plugins}: every plugin of every kind, each with its origin, then those that cannot be used and
 * why; picocli creates one instance per execution and calls it on the executing thread.
 */
@Command(name = "plugins",
    mixinStandardHelpOptions = true,
    versionProvider = RingmasterCli.Version.class,
    description = {"List every plugin on the classpath, and with --plugins in the jars of a plugins directory, by "
        + "kind (routing strategies, agent factories, task classifiers): its name, where it comes from ('classpath' or "
        + "its jar) and what it does, or BROKEN and why if it loads but cannot create what it provides (agent "
        + "factories are not tried: they need a type and options). Then every jar or plugin that was skipped, with "
        + "the fix."},
    footer = {"", "Exit code: 0 after listing (broken plugins are part of the listing), 2 for a bad --plugins "
        + "directory.",
        "Example: ringmaster plugins --plugins ./plugins"})
public final class PluginsCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Mixin
    PluginsOption plugins;

    @Override
    public Integer call()
    {
        // no warnings on stderr: the skipped jars are listed below, with the rest
        try (PluginRegistry registry = plugins.load())
        {
            final PrintWriter out = spec.commandLine().getOut();
            for (final PluginKind kind : PluginKind.values())
            {
                final List<LoadedPlugin> loaded = registry.report().loaded(kind).stream()
                    .sorted(Comparator.comparing(LoadedPlugin::name)).toList();
                out.printf("%s (%d):%n", plural(kind), loaded.size());
                if (loaded.isEmpty())
                {
                    out.println("  none: put a plugin jar that registers " + kind.servicesFile() + " on the " +
                        "classpath, or in the directory given to --plugins");
                }
                PluginsOption.printTable(out, "  ", registry, loaded);
                out.println();
            }
            final List<PluginProblem> problems = registry.report().problems();
            out.printf("skipped (%d):%n", problems.size());
            for (final PluginProblem problem : problems)
            {
                out.println("  " + problem);
            }
            out.flush();
            return 0;
        }
    }

    private static String plural(final PluginKind kind)
    {
        return switch (kind)
        {
            case ROUTING_STRATEGY -> "routing strategies";
            case AGENT_FACTORY -> "agent factories";
            case TASK_CLASSIFIER -> "task classifiers";
            case PREDICTOR -> "predictors";
        };
    }
}
