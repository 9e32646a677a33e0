package dev.ringmaster.delegation;

import dev.ringmaster.spi.Candidates;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.RoutingStrategy;
import dev.ringmaster.spi.TaskView;

/** Strategies for delegation tests, which cannot see the plugins module; each instance is router-thread confined. */
final class Strategies
{
    private Strategies()
    {
    }

    /** Fewest in flight, first in pool order wins ties: deterministic and load-aware. */
    static RoutingStrategy leastLoaded()
    {
        return new RoutingStrategy()
        {
            @Override
            public String name()
            {
                return "test-least-loaded";
            }

            @Override
            public int select(final TaskView task, final Candidates c, final RoutingDecision d)
            {
                int best = 0;
                for (int i = 1; i < c.size(); i++)
                {
                    if (c.get(i).inFlight() < c.get(best).inFlight())
                    {
                        best = i;
                    }
                }
                d.explain(-c.get(best).inFlight(), Double.NaN);
                return best;
            }
        };
    }

    /** Always the first eligible agent: whatever is not kept away from it lands there. */
    static RoutingStrategy first()
    {
        return new RoutingStrategy()
        {
            @Override
            public String name()
            {
                return "test-first";
            }

            @Override
            public int select(final TaskView task, final Candidates c, final RoutingDecision d)
            {
                return 0;
            }
        };
    }
}
