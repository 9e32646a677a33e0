package dev.ringmaster.autoscale;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A fleet in virtual time, one tick at a time: Poisson arrivals into a central queue, agents with a capacity of slots,
 * each task holding a slot for a random service time, late binding to the least loaded agent with a free slot, and
 * graceful removal (a draining agent takes nothing new and leaves when its slots are empty). Single-threaded; all
 * randomness comes from one seeded generator, so a run is a function of its seed.
 */
final class SimFleet
{
    private final int capacity;
    private final int meanServiceTicks;
    private final SplittableRandom random;
    private final List<SimAgent> agents = new ArrayList<>();
    private final List<String> departed = new ArrayList<>();
    private long queue;
    private long arrived;
    private long completed;
    private int nextId;

    /**
     * @param capacity         slots per agent.
     * @param meanServiceTicks mean ticks a task holds a slot (uniform on 1 .. 2 * mean - 1).
     * @param seed             seed of arrivals and service times.
     */
    SimFleet(final int capacity, final int meanServiceTicks, final long seed)
    {
        this.capacity = capacity;
        this.meanServiceTicks = meanServiceTicks;
        this.random = new SplittableRandom(seed);
    }

    /** Registers agents the autoscaler did not add: not removable unless the policy allows it. */
    SimFleet register(final int count)
    {
        for (int i = 0; i < count; i++)
        {
            agents.add(new SimAgent("registered-" + nextId++, capacity, false));
        }
        return this;
    }

    /** Advances one tick: arrivals, service, departures of drained agents, then placement from the queue. */
    void tick(final double arrivalsPerTick)
    {
        final long arrivals = poisson(arrivalsPerTick);
        queue += arrivals;
        arrived += arrivals;
        for (final SimAgent agent : agents)
        {
            for (int s = 0; s < agent.remaining.length; s++)
            {
                if (agent.remaining[s] > 0 && --agent.remaining[s] == 0)
                {
                    agent.busy--;
                    completed++;
                }
            }
        }
        for (final Iterator<SimAgent> it = agents.iterator(); it.hasNext(); )
        {
            final SimAgent agent = it.next();
            if (agent.draining && agent.busy == 0)
            {
                departed.add(agent.id);
                it.remove();
            }
        }
        while (queue > 0)
        {
            SimAgent best = null;
            for (final SimAgent agent : agents)
            {
                if (!agent.draining && agent.busy < agent.capacity && (best == null || agent.busy < best.busy))
                {
                    best = agent;
                }
            }
            if (best == null)
            {
                break;
            }
            for (int s = 0; s < best.remaining.length; s++)
            {
                if (best.remaining[s] == 0)
                {
                    best.remaining[s] = 1 + random.nextInt(2 * meanServiceTicks - 1);
                    break;
                }
            }
            best.busy++;
            queue--;
        }
    }

    /** @return what the autoscaler would sample now; removable as the policy and ownership say. */
    Observation observe(final boolean registeredRemovable)
    {
        final List<Observation.AgentLoad> loads = new ArrayList<>(agents.size());
        for (final SimAgent agent : agents)
        {
            loads.add(new Observation.AgentLoad(agent.id, agent.capacity, agent.busy,
                agent.draining ? Observation.Status.DRAINING : Observation.Status.ACTIVE,
                agent.added || registeredRemovable));
        }
        return new Observation(loads, queue);
    }

    /**
     * Carries out a decision; fails the test on a removal the autoscaler must never ask for.
     *
     * @param registeredRemovable whether the policy lets registered agents go.
     */
    void apply(final Decision decision, final boolean registeredRemovable)
    {
        for (int i = 0; i < decision.add(); i++)
        {
            agents.add(new SimAgent("auto-" + nextId++, capacity, true));
        }
        for (final String id : decision.remove())
        {
            final SimAgent agent = agents.stream().filter(a -> a.id.equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("asked to remove unknown agent " + id));
            if (agent.draining)
            {
                throw new AssertionError("asked to remove " + id + " twice: it is already draining");
            }
            if (!agent.added && !registeredRemovable)
            {
                throw new AssertionError("asked to remove registered agent " + id + " though the policy forbids it");
            }
            agent.draining = true;
        }
    }

    /** @return agents counted for sizing: all but the draining. */
    int pool()
    {
        int pool = 0;
        for (final SimAgent agent : agents)
        {
            pool += agent.draining ? 0 : 1;
        }
        return pool;
    }

    /** @return tasks in slots now. */
    long busy()
    {
        long busy = 0;
        for (final SimAgent agent : agents)
        {
            busy += agent.busy;
        }
        return busy;
    }

    long queue()
    {
        return queue;
    }

    long arrived()
    {
        return arrived;
    }

    long completed()
    {
        return completed;
    }

    /** @return agents that left after draining, in the order they left. */
    List<String> departed()
    {
        return departed;
    }

    private long poisson(final double mean)
    {
        if (mean <= 0)
        {
            return 0;
        }
        // Knuth's method in chunks of at most 30, so exp(-mean) never underflows at high rates
        long n = 0;
        double left = mean;
        while (left > 0)
        {
            final double chunk = Math.min(left, 30.0);
            left -= chunk;
            final double limit = Math.exp(-chunk);
            double p = random.nextDouble();
            while (p > limit)
            {
                n++;
                p *= random.nextDouble();
            }
        }
        return n;
    }

    /** One simulated agent; its slots hold the ticks left of the task in them, 0 if free. */
    private static final class SimAgent
    {
        final String id;
        final int capacity;
        final boolean added;
        final int[] remaining;
        int busy;
        boolean draining;

        SimAgent(final String id, final int capacity, final boolean added)
        {
            this.id = id;
            this.capacity = capacity;
            this.added = added;
            this.remaining = new int[capacity];
        }
    }
}
