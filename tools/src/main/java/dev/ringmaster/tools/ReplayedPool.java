package dev.ringmaster.tools;

import dev.ringmaster.metrics.LatencyAverages;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Skills;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentPool;
import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.Bidder;

import java.util.List;

/**
 * One agent type's pool rebuilt from a journal for {@code audit --explain}: the agents in pool order with the tasks
 * each held in flight, its results and latency averages as the records show them, and the eligibility of the task
 * being re-derived (room below capacity plus prefetch, every required skill, its target, not the agent it avoids);
 * confined to the auditing thread.
 */
final class ReplayedPool implements AgentPool
{

    private final int id;
    private final String type;
    private final Agent[] agents;
    private final int prefetch;
    private Task task;

    ReplayedPool(final int id, final String type, final List<AgentSpec> specs, final int prefetch)
    {
        this.id = id;
        this.type = type;
        this.prefetch = prefetch;
        this.agents = new Agent[specs.size()];
        for (int p = 0; p < agents.length; p++)
        {
            agents[p] = new Agent(p, specs.get(p));
        }
    }

    /** Sets the task whose eligibility {@link #isEligible} answers for. */
    void forTask(final Task task)
    {
        this.task = task;
    }

    /** A task of {@code tokens} estimated cost was assigned to the agent at {@code position}. */
    void assigned(final int position, final long tokens)
    {
        agents[position].inFlight++;
        agents[position].tokens += tokens;
    }

    /** A task left the agent at {@code position}; never below zero, for a journal that starts mid-run. */
    void released(final int position, final long tokens)
    {
        final Agent a = agents[position];
        a.inFlight = Math.max(0, a.inFlight - 1);
        a.tokens = Math.max(0, a.tokens - tokens);
    }

    /** An attempt on the agent at {@code position} finished after {@code execNanos}, at {@code nowNanos}. */
    void result(final int position, final long execNanos, final long nowNanos)
    {
        final Agent a = agents[position];
        a.completed++;
        // the router's own averages, so that a re-derived decision sees what the live one saw
        a.ewma = LatencyAverages.ewma(a.ewma, execNanos);
        a.peak = LatencyAverages.peakEwma(a.peak, execNanos, nowNanos - a.lastSample);
        a.lastSample = nowNanos;
    }

    /** @return the agents eligible for the current task. */
    int eligibleCount()
    {
        int n = 0;
        for (int p = 0; p < agents.length; p++)
        {
            n += isEligible(p) ? 1 : 0;
        }
        return n;
    }

    @Override
    public int id()
    {
        return id;
    }

    @Override
    public String type()
    {
        return type;
    }

    @Override
    public int size()
    {
        return agents.length;
    }

    @Override
    public AgentView agent(final int position)
    {
        return agents[position];
    }

    @Override
    public int positionOf(final String agentId)
    {
        for (final Agent a : agents)
        {
            if (a.spec.id().equals(agentId))
            {
                return a.position;
            }
        }
        return -1;
    }

    @Override
    public boolean hasRoom(final int position)
    {
        return position >= 0 && position < agents.length &&
            agents[position].inFlight < agents[position].spec.capacity() + prefetch;
    }

    @Override
    public boolean isEligible(final int position)
    {
        if (!hasRoom(position) || task == null)
        {
            return false;
        }
        final AgentSpec spec = agents[position].spec;
        final long required = task.requiredSkills();
        return (spec.skillMask() & required) == required &&
            (task.targetAgent() == null || task.targetAgent().equals(spec.id())) &&
            !spec.id().equals(task.avoidAgent());
    }

    @Override
    public int nextEligible(final int from)
    {
        for (int p = Math.max(0, from); p < agents.length; p++)
        {
            if (isEligible(p))
            {
                return p;
            }
        }
        return -1;
    }

    /** One agent as the journal shows it; its adapter-reported figures were not journaled, so they are the defaults. */
    private static final class Agent implements AgentView
    {
        final int position;
        final AgentSpec spec;
        final double[] proficiency = new double[Skills.MAX_SKILLS];
        int inFlight;
        long tokens;
        long completed;
        double ewma;
        double peak;
        long lastSample;

        Agent(final int position, final AgentSpec spec)
        {
            this.position = position;
            this.spec = spec;
            spec.proficiency().forEach((skill, level) -> proficiency[Skills.id(skill)] = level);
        }

        @Override
        public int index()
        {
            return position;
        }

        @Override
        public AgentSpec spec()
        {
            return spec;
        }

        @Override
        public double proficiency(final int skillId)
        {
            return proficiency[skillId];
        }

        @Override
        public int inFlight()
        {
            return inFlight;
        }

        @Override
        public int queued()
        {
            return Math.max(0, inFlight - spec.capacity());
        }

        @Override
        public long tokensInFlight()
        {
            return tokens;
        }

        @Override
        public double ewmaLatencyNanos()
        {
            return ewma;
        }

        @Override
        public double peakEwmaLatencyNanos()
        {
            return peak;
        }

        @Override
        public Bidder bidder()
        {
            return null;
        }

        @Override
        public double contextUtilization()
        {
            return 0;
        }

        @Override
        public double recentQuality()
        {
            return 1;
        }

        @Override
        public long tokenBudgetLeft()
        {
            return Long.MAX_VALUE;
        }

        @Override
        public long completedCount()
        {
            return completed;
        }
    }
}
