package dev.ringmaster.bench.sim;

import dev.ringmaster.metrics.LatencyAverages;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Skills;
import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.Bidder;

import java.util.Map;

/**
 * One simulated agent's live load view on virtual time, kept as the dispatcher's router keeps it (in flight counted
 * from assignment to completion, EWMA and peak EWMA of execution time folded in at completion); owned by one
 * simulation, single-threaded like the router it stands in for.
 *
 * <p>Telemetry the adapter would report is modelled: {@link #recentQuality()} is an EWMA of the proficiency the agent
 * brought to each finished task, {@link #contextUtilization()} the cost estimates in flight over a window of
 * {@code (capacity + prefetch) x} {@value #WINDOW_TOKENS_PER_SLOT} tokens. Token budgets are unlimited.
 */
public final class SimAgent implements AgentView
{
    /** The mean task's cost estimate: a slot's share of the context window. */
    static final double WINDOW_TOKENS_PER_SLOT = 1_000;

    private final int index;
    private final AgentSpec spec;
    private final double speed;
    private final long skillMask;
    private final double[] proficiency = new double[Skills.MAX_SKILLS];
    private final double contextWindowTokens;

    final int capacity;
    /** Capacity plus prefetch: the most tasks the router assigns to the agent at once (late binding). */
    final int limit;

    /** Tasks waiting to start on the agent, most urgent first out, like the dispatcher's inbox. */
    private final SimInbox inbox;

    /** Warm domains, most recently used first. */
    private final int[] warm;
    private int warmCount;

    int assigned;
    int running;
    long tokensInFlight;
    private double ewmaLatencyNanos;
    private double peakEwmaLatencyNanos;
    private long lastSampleNanos;
    private double recentQuality = 1.0;
    private long completed;

    SimAgent(final int index, final AgentSpec spec, final double speed, final int prefetch, final int warmSlots)
    {
        this.index = index;
        this.spec = spec;
        this.speed = speed;
        this.skillMask = spec.skillMask();
        for (final Map.Entry<String, Double> e : spec.proficiency().entrySet())
        {
            proficiency[Skills.id(e.getKey())] = e.getValue();
        }
        this.capacity = spec.capacity();
        this.limit = capacity + prefetch;
        this.contextWindowTokens = limit * WINDOW_TOKENS_PER_SLOT;
        this.inbox = new SimInbox(limit);
        this.warm = new int[warmSlots];
    }

    /** @return the true speed the simulator runs tasks at; strategies see only the declared {@link #speed()}. */
    double trueSpeed()
    {
        return speed;
    }

    boolean hasRoom()
    {
        return assigned < limit;
    }

    boolean hasSkills(final long required)
    {
        return (required & ~skillMask) == 0;
    }

    long skillMask()
    {
        return skillMask;
    }

    /** @return the lowest proficiency over the required skills, 1 for none: the fit of this agent to the task. */
    double fit(final long required)
    {
        double min = 1.0;
        long remaining = required;
        while (remaining != 0)
        {
            min = Math.min(min, proficiency[Long.numberOfTrailingZeros(remaining)]);
            remaining &= remaining - 1;
        }
        return min;
    }

    /** @return true if the domain is warm on this agent; no change. */
    boolean isWarm(final int domain)
    {
        for (int i = 0; i < warmCount; i++)
        {
            if (warm[i] == domain)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Makes the domain the most recently used, evicting the least recently used one if the context is full.
     *
     * @return true if it was warm already.
     */
    boolean touch(final int domain)
    {
        int at = -1;
        for (int i = 0; i < warmCount; i++)
        {
            if (warm[i] == domain)
            {
                at = i;
                break;
            }
        }
        final boolean hit = at >= 0;
        if (!hit)
        {
            at = warmCount < warm.length ? warmCount++ : warm.length - 1;
        }
        System.arraycopy(warm, 0, warm, 1, at);
        warm[0] = domain;
        return hit;
    }

    void inboxAdd(final int task, final long urgency)
    {
        inbox.add(task, urgency);
    }

    int inboxSize()
    {
        return inbox.size();
    }

    /** @return the most urgent waiting task (lowest urgency value), removed; -1 if none. */
    int takeMostUrgent()
    {
        return inbox.takeMostUrgent();
    }

    /** @return the least urgent waiting task whose skills the thief has and that may move, removed; -1 if none. */
    int stealLeastUrgent(final long thiefSkills, final TaskSource workload, final java.util.function.IntPredicate movable)
    {
        return inbox.stealLeastUrgent(thiefSkills, workload, movable);
    }

    /** Folds one finished execution into the load view, as the router does on a completion signal. */
    void recordSuccess(final long execNanos, final double quality, final long nowNanos)
    {
        ewmaLatencyNanos = LatencyAverages.ewma(ewmaLatencyNanos, execNanos);
        peakEwmaLatencyNanos = LatencyAverages.peakEwma(peakEwmaLatencyNanos, execNanos, nowNanos - lastSampleNanos);
        lastSampleNanos = nowNanos;
        recentQuality = LatencyAverages.quality(recentQuality, quality);
        completed++;
    }

    @Override
    public int index()
    {
        return index;
    }

    @Override
    public AgentSpec spec()
    {
        return spec;
    }

    @Override
    public int capacity()
    {
        return capacity;
    }

    @Override
    public double proficiency(final int skillId)
    {
        return proficiency[skillId];
    }

    @Override
    public int inFlight()
    {
        return assigned;
    }

    @Override
    public int queued()
    {
        return inbox.size();
    }

    @Override
    public long tokensInFlight()
    {
        return tokensInFlight;
    }

    @Override
    public double ewmaLatencyNanos()
    {
        return ewmaLatencyNanos;
    }

    @Override
    public double peakEwmaLatencyNanos()
    {
        return peakEwmaLatencyNanos;
    }

    /** The spec's declared speed, which {@link Scenario} sets to the true one: what a real fleet would declare. */
    @Override
    public double speed()
    {
        return spec.speed();
    }

    @Override
    public double expectedLatencyNanos()
    {
        return completed >= WARM_RESULTS ? ewmaLatencyNanos : 0;
    }

    @Override
    public double expectedFreeNanos()
    {
        return AgentView.expectedFreeNanos(assigned, capacity, expectedLatencyNanos());
    }

    @Override
    public Bidder bidder()
    {
        return null;
    }

    @Override
    public double contextUtilization()
    {
        return Math.min(1.0, tokensInFlight / contextWindowTokens);
    }

    @Override
    public double recentQuality()
    {
        return recentQuality;
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

    @Override
    public String toString()
    {
        return "SimAgent{" + spec.id() + ", speed=" + speed + ", assigned=" + assigned + ", running=" + running + '}';
    }
}
