package com.example.ringmaster;

import dev.ringmaster.spi.Candidates;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.RoutingStrategy;
import dev.ringmaster.spi.RoutingStrategyProvider;
import dev.ringmaster.spi.TaskView;

/** A provider that claims the built-in name "round-robin", for the clash test; stateless. */
public final class RoundRobinImpostor implements RoutingStrategyProvider
{
    @Override
    public String name()
    {
        return "round-robin";
    }

    @Override
    public String description()
    {
        return "always the first agent; O(1)";
    }

    @Override
    public RoutingStrategy create()
    {
        return new RoutingStrategy()
        {
            @Override
            public String name()
            {
                return "round-robin";
            }

            @Override
            public int select(final TaskView task, final Candidates candidates, final RoutingDecision decision)
            {
                return 0;
            }
        };
    }
}
