package dev.ringmaster.tools;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.routing.RoutingStrategies;
import dev.ringmaster.spi.RoutingStrategyProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code ringmaster strategies}: lists every routing strategy the ServiceLoader finds, one per line, name first, then
 * what it optimizes and its cost per decision; picocli creates one instance per execution and calls it on the
 * executing thread.
 */
@Command(name = "strategies",
    mixinStandardHelpOptions = true,
    versionProvider = RingmasterCli.Version.class,
    description = {"List the routing strategies on the classpath, one per line: the name to pass to "
        + "'demo --strategy', then what it optimizes and its cost per decision."},
    footer = {"", "Exit code: 0 if at least one strategy was found, 1 if none."})
public final class StrategiesCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Override
    public Integer call()
    {
        final Map<String, RoutingStrategyProvider> available =
            RoutingStrategies.available(Dispatcher.class.getClassLoader());
        if (available.isEmpty())
        {
            final PrintWriter err = spec.commandLine().getErr();
            err.println("error: no routing strategy found; put ringmaster-plugins or a strategy plugin jar on the classpath");
            err.flush();
            return 1;
        }
        int width = 0;
        for (final String name : available.keySet())
        {
            width = Math.max(width, name.length());
        }
        final PrintWriter out = spec.commandLine().getOut();
        for (final Map.Entry<String, RoutingStrategyProvider> e : available.entrySet())
        {
            out.printf("%-" + width + "s  %s%n", e.getKey(), e.getValue().description());
        }
        out.flush();
        return 0;
    }
}
