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

    /**
     * A plugin skipped because its provider could not be made is known by its class only (its name() was never
     * called), so a user who asks for it by name would be told it does not exist. This finds the problems that name
     * it, or whose jar or provider class is named after it (my-strategy.jar, my-strategy-1.2.jar,
     * MyStrategyProvider): likely, not certain, so a caller should say "most likely".
     *
     * @param name the plugin name asked for.
     * @return the problems that name it exactly first, then those whose jar or provider class matches; empty if none.
     */
    public List<PluginProblem> skippedAs(final String name)
    {
        final List<PluginProblem> exact = problems.stream().filter(p -> p.name().equals(name)).toList();
        if (!exact.isEmpty())
        {
            return exact;
        }
        final String wanted = stem(name);
        return problems.stream().filter(p -> !wanted.isEmpty() && (wanted.equals(stem(jarStem(p.jar()))) ||
            wanted.equals(stem(p.name().substring(p.name().lastIndexOf('.') + 1))))).toList();
    }

    /** @return a jar's file name without .jar and a trailing version (-1.2.3, -1.0-SNAPSHOT). */
    private static String jarStem(final String jar)
    {
        final String base = jar.toLowerCase(java.util.Locale.ROOT).endsWith(".jar") ?
            jar.substring(0, jar.length() - 4) : jar;
        return base.replaceFirst("-\\d.*$", "");
    }

    /** @return letters and digits only, lower case, without a trailing "provider" or "strategy": what names share. */
    private static String stem(final String s)
    {
        String t = s.substring(s.lastIndexOf('$') + 1).toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]", "");
        for (final String suffix : new String[] {"provider", "strategy", "factory", "classifier", "predictor"})
        {
            if (t.endsWith(suffix) && t.length() > suffix.length())
            {
                t = t.substring(0, t.length() - suffix.length());
            }
        }
        return t;
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
