package dev.ringmaster.plugins.routing;

import dev.ringmaster.plugins.routing.index.ScoredStrategy;
import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.Candidates;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.RoutingStrategy;
import dev.ringmaster.spi.RoutingStrategyProvider;
import dev.ringmaster.spi.TaskView;

/**
 * Shortest expected delay (SED): picks the eligible agent minimizing {@code (inFlight + 1) / (capacity x speed)}, the
 * time a new task would take to get through it if work were spread evenly over its slots, with speed as declared on
 * the agent's spec; O(log n) in the dispatcher (a score index on the negated delay), O(n) over a candidate list. Called by the routing role's holder, one thread at a time.
 *
 * <p>On identical agents it is least-connections. On mixed speeds it sends a task to an idle slow agent only when the
 * fast ones are loaded enough that it would not finish sooner there: an idle speed-1 agent (delay 1/2 with capacity
 * 2) loses to a speed-4 agent already running two (3/8). It never declines. Ties take turns (each scan starts just
 * after the last winner). The score reported is the negated delay, higher is better.
 */
public final class ShortestExpectedDelayStrategy extends ScoredStrategy
{
    public static final String NAME = "shortest-expected-delay";

    /** Where the next scan starts: just after the last winner, so equal agents take turns. */
    private int cursor;
    private final Lowest lowest = new Lowest();

    @Override
    public String name()
    {
        return NAME;
    }

    /** @return the expected delay of one more task on the agent, in units of a mean task on a speed-1 slot. */
    static double delay(final AgentView a)
    {
        return (a.inFlight() + 1) / (a.capacity() * a.speed());
    }

    /** The score ignores the required skills: one index of all agents serves every task. */
    @Override
    protected boolean skillIndependentScores()
    {
        return true;
    }

    /** The negated delay, so that the shortest ranks first; the decision reports it negated, as select does. */
    @Override
    protected double indexScore(final AgentView a, final long requiredSkills)
    {
        return -delay(a);
    }

    @Override
    public int select(final TaskView task, final Candidates candidates, final RoutingDecision decision)
    {
        final int n = candidates.size();
        final int start = cursor < n ? cursor : 0;
        final Lowest lowest = this.lowest.reset();
        for (int k = 0; k < n; k++)
        {
            final int i = Lowest.rotated(k, start, n);
            lowest.offer(i, delay(candidates.get(i)));
        }
        decision.explain(-lowest.cost, -lowest.secondOrNaN());
        cursor = lowest.index + 1;
        return lowest.index;
    }

    /** Registers {@link ShortestExpectedDelayStrategy} with the ServiceLoader; stateless. */
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
            return "speed-aware: fewest (in flight + 1) per capacity x declared speed; for fleets of mixed speeds; O(log n)";
        }

        @Override
        public RoutingStrategy create()
        {
            return new ShortestExpectedDelayStrategy();
        }
    }
}
