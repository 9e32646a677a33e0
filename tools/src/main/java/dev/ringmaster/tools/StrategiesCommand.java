package dev.ringmaster.tools;

import dev.ringmaster.plugin.LoadedPlugin;
import dev.ringmaster.plugin.PluginKind;
import dev.ringmaster.plugin.PluginRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ringmaster strategies}: lists every routing strategy the ServiceLoader finds, one per line, name first, then
 * where it was loaded from and what it optimizes with its cost per decision; picocli creates one instance per
 * execution and calls it on the executing thread.
 */
@Command(name = "strategies",
    mixinStandardHelpOptions = true,
    versionProvider = RingmasterCli.Version.class,
    description = {"List the routing strategies on the classpath, and with --plugins in a plugins directory, one per "
        + "line: the name to pass to 'demo --strategy', where it comes from ('classpath' or its jar), then what it "
        + "optimizes and its cost per decision, or BROKEN and why if it cannot create a strategy. Jars that cannot be "
        + "used are listed on stderr with the fix."},
    footer = {"", "Exit code: 0 if at least one strategy was found, 1 if none, 2 for a bad --plugins directory."})
public final class StrategiesCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Mixin
    PluginsOption plugins;

    @Override
    public Integer call()
    {
        try (PluginRegistry registry = plugins.open())
        {
            final List<LoadedPlugin> available = registry.report().loaded(PluginKind.ROUTING_STRATEGY).stream()
                .sorted(Comparator.comparing(LoadedPlugin::name)).toList();
            if (available.isEmpty())
            {
                final PrintWriter err = spec.commandLine().getErr();
                err.println("error: no routing strategy found; put ringmaster-plugins or a strategy plugin jar on the " +
                    "classpath, or give --plugins the directory that holds one");
                err.flush();
                return 1;
            }
            final PrintWriter out = spec.commandLine().getOut();
            PluginsOption.printTable(out, "", registry, available);
            out.flush();
            return 0;
        }
    }
}
