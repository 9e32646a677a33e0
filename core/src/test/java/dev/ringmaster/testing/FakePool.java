package dev.ringmaster.testing;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Priority;
import dev.ringmaster.model.Skills;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.Bidder;
import dev.ringmaster.spi.Candidates;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.RoutingStrategy;
import dev.ringmaster.spi.TaskView;

import java.util.Arrays;

/**
 * A pool of fake agents whose live load a strategy test sets field by field, standing in for the router's candidate
 * list: candidates are the agents that are not marked full and have the task's skills, in pool order.
 * Single-threaded, like the router it stands in for.
 */
public final class FakePool implements Candidates
{
    public final AgentSpec[] specs;
    public final int[] inFlight;
    public final int[] queued;
    public final long[] tokensInFlight;
    public final double[] ewmaLatencyNanos;
    public final double[] peakEwmaLatencyNanos;
    public final double[] contextUtilization;
    public final double[] recentQuality;
    public final long[] tokenBudgetLeft;
    public final long[] completed;
    public final Bidder[] bidders;
    /** Agents marked full are not candidates. */
    public final boolean[] full;

    private final AgentView[] agents;
    private final int[] eligible;
    private final int[] candidateOf;
    private int size;

    /** @param n agents named fake-0 .. fake-(n-1), type "worker", capacity 1, weight 1, no skills. */
    public FakePool(final int n)
    {
        this(defaultSpecs(n));
    }

    /** @param specs the agents, in pool order. */
    public FakePool(final AgentSpec... specs)
    {
        final int n = specs.length;
        this.specs = specs.clone();
        inFlight = new int[n];
        queued = new int[n];
        tokensInFlight = new long[n];
        ewmaLatencyNanos = new double[n];
        peakEwmaLatencyNanos = new double[n];
        contextUtilization = new double[n];
        recentQuality = new double[n];
        Arrays.fill(recentQuality, 1.0);
        tokenBudgetLeft = new long[n];
        Arrays.fill(tokenBudgetLeft, Long.MAX_VALUE);
        completed = new long[n];
        bidders = new Bidder[n];
        full = new boolean[n];
        agents = new AgentView[n];
        eligible = new int[n];
        candidateOf = new int[n];
        for (int i = 0; i < n; i++)
        {
            agents[i] = new FakeAgent(i);
        }
    }

    private static AgentSpec[] defaultSpecs(final int n)
    {
        final AgentSpec[] specs = new AgentSpec[n];
        for (int i = 0; i < n; i++)
        {
            specs[i] = AgentSpec.builder("fake-" + i, "worker").build();
        }
        return specs;
    }

    /** @return a task view of the given task, attempt 1, accepted at 0 with its id as sequence. */
    public static TaskView view(final Task task)
    {
        return view(task, 0, task.id());
    }

    /** @return a task view of the given task, attempt 1, accepted at the given time with the given sequence. */
    public static TaskView view(final Task task, final long acceptedNanos, final long sequence)
    {
        return view(task, 1, acceptedNanos, sequence);
    }

    /** @return a task view of the given task at the given attempt, accepted at the given time with the given sequence. */
    public static TaskView view(final Task task, final int attempt, final long acceptedNanos, final long sequence)
    {
        return new TaskView()
        {
            @Override
            public Task task()
            {
                return task;
            }

            @Override
            public Priority priority()
            {
                return task.priority();
            }

            @Override
            public int attempt()
            {
                return attempt;
            }

            @Override
            public long acceptedNanos()
            {
                return acceptedNanos;
            }

            @Override
            public long sequence()
            {
                return sequence;
            }
        };
    }

    /** @return the pool position of the agent the strategy picks for a plain task. */
    public int pick(final RoutingStrategy strategy)
    {
        return pick(strategy, view(Task.builder("worker").build()), new RoutingDecision());
    }

    /**
     * @return the pool position of the agent the strategy picks, or -1 if it declined; the chosen agent's
     *     {@code inFlight} is not changed, do that in the test if the simulation needs it.
     */
    public int pick(final RoutingStrategy strategy, final TaskView task, final RoutingDecision decision)
    {
        final long required = task.task().requiredSkills();
        size = 0;
        for (int i = 0; i < agents.length; i++)
        {
            if (!full[i] && (required & ~specs[i].skillMask()) == 0)
            {
                candidateOf[i] = size;
                eligible[size++] = i;
            }
            else
            {
                candidateOf[i] = -1;
            }
        }
        if (size == 0)
        {
            throw new IllegalStateException("no candidate: the router would not call the strategy");
        }
        decision.reset();
        final int chosen = strategy.select(task, this, decision);
        if (chosen == RoutingStrategy.DECLINE)
        {
            return -1;
        }
        if (chosen < 0 || chosen >= size)
        {
            throw new AssertionError("strategy " + strategy.name() + " returned " + chosen + " for " + size + " candidates");
        }
        return eligible[chosen];
    }

    /** @return the agent at a pool position. */
    public AgentView agent(final int poolPosition)
    {
        return agents[poolPosition];
    }

    @Override
    public int size()
    {
        return size;
    }

    @Override
    public AgentView get(final int i)
    {
        if (i < 0 || i >= size)
        {
            throw new IndexOutOfBoundsException("candidate " + i + " of " + size);
        }
        return agents[eligible[i]];
    }

    @Override
    public int poolPosition(final int i)
    {
        return eligible[i];
    }

    @Override
    public int candidateIndexOf(final int poolPosition)
    {
        return candidateOf[poolPosition];
    }

    @Override
    public int poolSize()
    {
        return agents.length;
    }

    @Override
    public AgentView poolAgent(final int i)
    {
        return agents[i];
    }

    /** One fake agent, reading its live state from the pool's arrays. */
    private final class FakeAgent implements AgentView
    {
        private final int i;

        FakeAgent(final int i)
        {
            this.i = i;
        }

        @Override
        public int index()
        {
            return i;
        }

        @Override
        public AgentSpec spec()
        {
            return specs[i];
        }

        @Override
        public double proficiency(final int skillId)
        {
            final Double p = specs[i].proficiency().get(Skills.names(1L << skillId).get(0));
            return p == null ? 0 : p;
        }

        @Override
        public int inFlight()
        {
            return inFlight[i];
        }

        @Override
        public int queued()
        {
            return queued[i];
        }

        @Override
        public long tokensInFlight()
        {
            return tokensInFlight[i];
        }

        @Override
        public double ewmaLatencyNanos()
        {
            return ewmaLatencyNanos[i];
        }

        @Override
        public double peakEwmaLatencyNanos()
        {
            return peakEwmaLatencyNanos[i];
        }

        @Override
        public Bidder bidder()
        {
            return bidders[i];
        }

        @Override
        public double contextUtilization()
        {
            return contextUtilization[i];
        }

        @Override
        public double recentQuality()
        {
            return recentQuality[i];
        }

        @Override
        public long tokenBudgetLeft()
        {
            return tokenBudgetLeft[i];
        }

        @Override
        public long completedCount()
        {
            return completed[i];
        }

        @Override
        public String toString()
        {
            return specs[i].id();
        }
    }
}
