package dev.ringmaster.plugin;

import java.util.List;

/**
 * What a {@link PluginRegistry} loaded and what it skipped; immutable, so usable from any thread.
 *
 * @param loaded   every plugin that loaded, classpath first, then the jars in file-name order.
 * @param problems every jar or plugin that was skipped, in the order found.
 */
public record PluginReport(List<LoadedPlugin> loaded, List<PluginProblem> problems)
{
    public PluginReport
    {
        loaded = List.copyOf(loaded);
        problems = List.copyOf(problems);
    }

    /** @return the plugins of one kind that loaded, in load order. */
    public List<LoadedPlugin> loaded(final PluginKind kind)
    {
        return loaded.stream().filter(p -> p.kind() == kind).toList();
    }

    /** @return the problems that concern the jar with this file name. */
    public List<PluginProblem> problemsOf(final String jar)
    {
        return problems.stream().filter(p -> p.jar().equals(jar)).toList();
    }

    /** @return one line per loaded plugin ({@code kind name origin}), then one per problem. */
    @Override
    public String toString()
    {
        final StringBuilder sb = new StringBuilder();
        for (final LoadedPlugin p : loaded)
        {
            sb.append(p.kind().label()).append(' ').append(p.name()).append(" from ").append(p.origin()).append('\n');
        }
        for (final PluginProblem p : problems)
        {
            sb.append("problem: ").append(p).append('\n');
        }
        return sb.toString();
    }
}
