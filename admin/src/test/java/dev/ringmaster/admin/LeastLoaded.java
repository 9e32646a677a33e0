package dev.ringmaster.admin;

import dev.ringmaster.spi.Candidates;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.RoutingStrategy;
import dev.ringmaster.spi.TaskView;

/** Fewest in flight, first wins ties: the admin tests' strategy, since core's are package-private; router-thread confined. */
final class LeastLoaded implements RoutingStrategy
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
}
