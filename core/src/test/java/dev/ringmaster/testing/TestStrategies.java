package dev.ringmaster.testing;

import dev.ringmaster.spi.Candidates;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.RoutingStrategy;
import dev.ringmaster.spi.TaskView;

/**
 * Strategies for tests of modules that cannot see the plugins module (core, admin); each instance is router-thread
 * confined, like every strategy.
 */
public final class TestStrategies
{
    private TestStrategies()
    {
    }

    /** Fewest in flight, first wins ties: deterministic and load-aware. */
    public static RoutingStrategy leastLoaded()
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

    /** Always the first eligible agent: piles work onto one agent, which is what stealing tests need. */
    public static RoutingStrategy first()
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

    /** Takes turns in pool order among the eligible agents, whatever their loads. */
    public static RoutingStrategy roundRobin()
    {
        return new RoutingStrategy()
        {
            private int cursor;

            @Override
            public String name()
            {
                return "test-round-robin";
            }

            @Override
            public int select(final TaskView task, final Candidates c, final RoutingDecision d)
            {
                int chosen = 0;
                for (int i = 0; i < c.size(); i++)
                {
                    if (c.poolPosition(i) >= cursor)
                    {
                        chosen = i;
                        break;
                    }
                }
                cursor = c.poolPosition(chosen) + 1 < c.poolSize() ? c.poolPosition(chosen) + 1 : 0;
                return chosen;
            }
        };
    }
}
