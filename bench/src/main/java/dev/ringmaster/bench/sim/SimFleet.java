package dev.ringmaster.bench.sim;

import dev.ringmaster.model.AgentSpec;

/**
 * The agents of one simulation and how the dispatcher treats them: specs (capacity, weight, skills), speeds, the
 * binding mode (late, with its prefetch, or early), whether idle agents steal, and the context model; immutable, safe
 * to share between threads and runs.
 *
 * <p>Binding: {@link Binding#LATE} is the dispatcher's default (a task waits in the central queue until an agent has
 * room, at most capacity + prefetch assigned per agent); {@link Binding#EARLY} binds each task at arrival to the agent
 * the strategy picks, among every agent with the skills, into that agent's unbounded FIFO queue (the supermarket
 * model). Stealing (an idle agent takes a waiting task from the busiest agent's queue) can be on or off in both.
 *
 * <p>Context model: every agent holds a warm context of {@link #warmSlots()} task domains (affinity keys), least
 * recently used first out. A task whose domain is not warm on the agent that starts it costs
 * {@link #contextLoadWork()} extra work units before its own work, and its domain becomes warm. With
 * {@code contextLoadWork == 0} the model is off and the context waste ratio is 0 by definition.
 */
public final class SimFleet
{
    /** The agent type every simulated agent and task has: one pool. */
    public static final String TYPE = "sim";

    private final AgentSpec[] specs;
    private final double[] speeds;
    private final int prefetch;
    private final int warmSlots;
    private final long contextLoadWork;
    private final Binding binding;
    private final boolean steal;

    /** When a task is bound to an agent; see the class comment. */
    public enum Binding
    {
        /** Bound when an agent has room: the central queue holds the backlog. */
        LATE,
        /** Bound at arrival into the chosen agent's FIFO queue, which is unbounded. */
        EARLY
    }

    /**
     * @param specs           the agents in pool order; their type must be {@link #TYPE}.
     * @param speeds          work units per virtual nanosecond of each agent, per slot (each of an agent's
     *                        {@code capacity} slots runs one task at this speed); positive.
     * @param prefetch        tasks an agent may hold beyond its capacity (the dispatcher's default is 1); 0 makes
     *                        the central queue the only queue.
     * @param warmSlots       domains an agent keeps warm, at least 1.
     * @param contextLoadWork work units a task outside the agent's warm domains costs extra, 0 for none.
     */
    public SimFleet(final AgentSpec[] specs, final double[] speeds, final int prefetch, final int warmSlots,
                    final long contextLoadWork)
    {
        this(specs, speeds, prefetch, warmSlots, contextLoadWork, Binding.LATE, true);
    }

    /**
     * @param binding late (the dispatcher's default) or early; see the class comment.
     * @param steal   whether an idle agent steals a waiting task from a busy one (at most one per idle agent per
     *                dispatch cycle, as the dispatcher's worker does).
     * @see #SimFleet(AgentSpec[], double[], int, int, long) for the other parameters.
     */
    public SimFleet(final AgentSpec[] specs, final double[] speeds, final int prefetch, final int warmSlots,
                    final long contextLoadWork, final Binding binding, final boolean steal)
    {
        if (specs.length == 0 || specs.length != speeds.length)
        {
            throw new IllegalArgumentException("a fleet needs at least one agent and one speed per agent, got " +
                specs.length + " specs and " + speeds.length + " speeds");
        }
        for (int i = 0; i < specs.length; i++)
        {
            if (!TYPE.equals(specs[i].type()))
            {
                throw new IllegalArgumentException("agent '" + specs[i].id() + "' has type '" + specs[i].type() +
                    "'; the simulator runs one pool of type '" + TYPE + "'");
            }
            if (!(speeds[i] > 0) || Double.isInfinite(speeds[i]))
            {
                throw new IllegalArgumentException("speed of agent '" + specs[i].id() + "' must be positive, got " + speeds[i]);
            }
        }
        if (prefetch < 0 || warmSlots < 1 || contextLoadWork < 0)
        {
            throw new IllegalArgumentException("prefetch and contextLoadWork must be >= 0 and warmSlots >= 1, got " +
                prefetch + ", " + contextLoadWork + ", " + warmSlots);
        }
        this.specs = specs.clone();
        this.speeds = speeds.clone();
        this.prefetch = prefetch;
        this.warmSlots = warmSlots;
        this.contextLoadWork = contextLoadWork;
        this.binding = binding;
        this.steal = steal;
    }

    /** @return c identical agents of speed 1, capacity 1, no prefetch, no skills, no context cost: an M/M/c server. */
    public static SimFleet identical(final int c)
    {
        final AgentSpec[] specs = new AgentSpec[c];
        final double[] speeds = new double[c];
        for (int i = 0; i < c; i++)
        {
            specs[i] = AgentSpec.builder(agentId(i), TYPE).build();
            speeds[i] = 1.0;
        }
        return new SimFleet(specs, speeds, 0, 1, 0);
    }

    /** @return the id of the i-th simulated agent, fixed width below 100 agents, so that those sort in pool order. */
    public static String agentId(final int i)
    {
        return String.format("agent-%02d", i);
    }

    public int size()
    {
        return specs.length;
    }

    public AgentSpec spec(final int i)
    {
        return specs[i];
    }

    public double speed(final int i)
    {
        return speeds[i];
    }

    public int prefetch()
    {
        return prefetch;
    }

    public int warmSlots()
    {
        return warmSlots;
    }

    public long contextLoadWork()
    {
        return contextLoadWork;
    }

    public Binding binding()
    {
        return binding;
    }

    /** @return whether idle agents steal waiting tasks. */
    public boolean steals()
    {
        return steal;
    }

    /** @return true if every agent has the same speed, capacity and skills: the queueing-theory references apply. */
    public boolean isHomogeneous()
    {
        for (int i = 1; i < specs.length; i++)
        {
            if (speeds[i] != speeds[0] || specs[i].capacity() != specs[0].capacity() ||
                specs[i].skillMask() != specs[0].skillMask() || !specs[i].proficiency().equals(specs[0].proficiency()))
            {
                return false;
            }
        }
        return true;
    }

    /** @return work units the whole fleet completes per virtual nanosecond when every slot is busy: sum of capacity x speed. */
    public double capacitySpeed()
    {
        double sum = 0;
        for (int i = 0; i < specs.length; i++)
        {
            sum += specs[i].capacity() * speeds[i];
        }
        return sum;
    }

    /** @return the highest speed of any agent. */
    public double maxSpeed()
    {
        double max = 0;
        for (final double s : speeds)
        {
            max = Math.max(max, s);
        }
        return max;
    }
}
