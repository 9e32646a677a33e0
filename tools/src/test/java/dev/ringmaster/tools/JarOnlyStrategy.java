package dev.ringmaster.tools;

import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.Candidates;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.RoutingStrategy;
import dev.ringmaster.spi.RoutingStrategyProvider;
import dev.ringmaster.spi.TaskView;

/**
 * A strategy registered only by the jar that {@link PluginsOptionTest} writes (no services file on the test class
 * path names it): the least loaded candidate. Router thread only.
 */
public final class JarOnlyStrategy implements RoutingStrategy
{
    static final String NAME = "jar-only-least-loaded";

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public int select(final TaskView task, final Candidates candidates, final RoutingDecision decision)
    {
        int best = 0;
        double bestLoad = Double.MAX_VALUE;
        for (int i = 0; i < candidates.size(); i++)
        {
            final AgentView a = candidates.get(i);
            final double load = a.inFlight() / (double)a.capacity();
            if (load < bestLoad)
            {
                bestLoad = load;
                best = i;
            }
        }
        return best;
    }

    /** Registers {@link JarOnlyStrategy}; stateless. */
    public static final class Provider implements RoutingStrategyProvider
    {
        @Override
        public String name()
        {
            return NAME;
        }

        @Override
        public String description()
        {
            return "least loaded, from a test jar; O(n)";
        }

        @Override
        public RoutingStrategy create()
        {
            return new JarOnlyStrategy();
        }
    }

    /** Loads and lists fine, but cannot make a strategy: what a plugin with a bug in create() looks like. */
    public static final class BrokenProvider implements RoutingStrategyProvider
    {
        static final String NAME = "jar-only-broken";

        @Override
        public String name()
        {
            return NAME;
        }

        @Override
        public String description()
        {
            return "fails in create(), from a test jar";
        }

        @Override
        public RoutingStrategy create()
        {
            throw new IllegalStateException("boom in create");
        }
    }
}
