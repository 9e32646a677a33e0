package dev.ringmaster.dispatch.internal;

import dev.ringmaster.metrics.FaultLog;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Skills;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.AgentTelemetry;
import dev.ringmaster.spi.AgentView;

import java.util.Map;
import dev.ringmaster.metrics.LatencyAverages;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Everything the dispatcher keeps about one agent. Routing state (tasks assigned and bound, tokens in flight, kept by
 * its pool's {@link PoolIndex} while it is in one; {@code ewmaLatencyNanos}) has one writer, the router; counters read by metrics readers are published with ordered
 * stores ({@code lazySet}); telemetry is volatile, written by the adapter; {@code running} is shared by the worker
 * starting its tasks and completers; the start guard is taken by whichever worker starts its tasks.
 */
public final class AgentState extends PoolMember implements AgentView, AgentTelemetry
{
    final int index;
    final AgentSpec spec;
    final AgentAdapter adapter;
    final Inbox inbox;
    final Slot[] slots;
    final int limit;
    final long skillMask;
    private final double[] proficiency = new double[Skills.MAX_SKILLS];
    /**
     * Index of the agent's home worker, which starts its tasks unless it lent them to the lead worker ({@link Worker});
     * whichever of the two moves records from inbox to slots holds the agent's start guard while it does.
     */
    final int workerIndex;
    /** Set by the router when the agent is being removed: no new tasks; read by thieves too, hence volatile. */
    volatile boolean retiring;
    /** Set by the router once a retiring agent has nothing left; it stays in the agent list for its history. */
    volatile boolean removed;
    /**
     * Claimed by whoever stops the adapter (shutdownNow's sweep, termination, the agent's removal or crash), which may
     * race (a shutdownNow while the agent leaves, or while a drain terminates): the adapter stops once.
     */
    private final java.util.concurrent.atomic.AtomicBoolean stopClaimed = new java.util.concurrent.atomic.AtomicBoolean();
    /** Its owner, told instead of supervision restarting it (null: supervision restarts it); router-owned. */
    dev.ringmaster.dispatch.CrashHandler crashHandler;
    /** Faults of this agent's adapter that the dispatcher contained (thrown after completing), rate-limited. */
    final FaultLog adapterFaults;
    /** The agent's home worker; set before any of its tasks can start. */
    Worker worker;

    /** Worker and completers write it; padded so it does not share a cache line with the router-owned fields. */
    private final org.jctools.util.PaddedAtomicLong running = new org.jctools.util.PaddedAtomicLong();
    /**
     * 1 while a worker moves this agent's tasks from inbox to slots: the home worker and the lead serving it while it
     * is lent may both try, and a compare-and-set nobody waits for (the loser leaves the agent to the winner for this
     * cycle) keeps "a slot is free" stable between check and use. Padded: both workers write it.
     */
    private final org.jctools.util.PaddedAtomicLong startGuard = new org.jctools.util.PaddedAtomicLong();

    // router-owned
    /** Early binding: tasks bound to this agent, FIFO, waiting for room in its inbox. */
    final java.util.ArrayDeque<TaskRecord> bound = new java.util.ArrayDeque<>(4);
    /** Early binding: no task in {@link #bound} has a TTL ending before this (it may be earlier than the earliest). */
    long boundEarliestDeadline = Long.MAX_VALUE;
    /** Early binding with stealing: listed in its lane's hungry agents (room, nothing bound). */
    boolean hungryListed;
    /** Early binding: listed for a feed from {@link #bound} after a release. */
    boolean feedListed;
    /**
     * The routing counters while the agent is in no pool ({@link #pooledIn} null); in one, its {@link PoolIndex} holds
     * them, so that an assignment or a release there does not touch this object. Use {@link #assigned()},
     * {@link #boundCount()}, {@link #tokensInFlight()} and the {@code add} methods, which ask the right one.
     */
    int parkedAssigned;
    int parkedBound;
    long parkedTokens;
    double ewmaLatencyNanos;
    double peakEwmaLatencyNanos;
    // outlier ejection and slow start, router-owned; 'ejected' is volatile for metrics readers
    int consecutiveFailures;
    int consecutiveTimeouts;
    int ejections;
    long ejectedUntilNanos;
    volatile boolean ejected;
    /** While not 0, the agent is ramping up: its effective limit grows from a fraction to the full limit. */
    long slowStartFromNanos;
    /**
     * Written by the router, read by workers: until this time (0: none) the agent steals nothing, while outlier
     * ejection keeps it out of routing and then while it ramps up under slow start. Why: a stolen task runs in the
     * thief's slots without counting toward what the thief may hold, so stealing gave an ejected agent the very work
     * ejection kept away (it failed the tasks of healthy agents), and a ramping agent its full share at once. A time,
     * not a flag: it ends by itself, where the router ends ejection and slow start only when it next asks about them.
     */
    private volatile long stealsNothingUntilNanos;
    private long lastSampleNanos;
    private final dev.ringmaster.spi.Bidder bidder;

    // published by the router for metrics readers
    final AtomicLong completed = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong tokens = new AtomicLong();
    final AtomicLong busyNanos = new AtomicLong();
    final AtomicLong stolenIn = new AtomicLong();

    private volatile double contextUtilization;
    private volatile long tokenBudgetLeft;
    private volatile boolean budgetPublished;
    private volatile double recentQuality = 1.0;

    AgentState(final int index, final AgentSpec spec, final AgentAdapter adapter, final int prefetch,
               final int workerIndex, final Signals signals)
    {
        this.index = index;
        this.spec = spec;
        this.adapter = adapter;
        this.limit = spec.capacity() + prefetch;
        this.inbox = new Inbox(limit);
        this.slots = new Slot[spec.capacity()];
        for (int i = 0; i < slots.length; i++)
        {
            slots[i] = new Slot(this, signals);
        }
        this.skillMask = spec.skillMask();
        for (final Map.Entry<String, Double> e : spec.proficiency().entrySet())
        {
            proficiency[Skills.id(e.getKey())] = e.getValue();
        }
        this.workerIndex = workerIndex;
        this.adapterFaults = new FaultLog(org.slf4j.LoggerFactory.getLogger(Worker.class), "adapter of agent '" + spec.id() + "'");
        this.tokenBudgetLeft = spec.tokenBudget();
        this.bidder = adapter instanceof dev.ringmaster.spi.Bidder ? (dev.ringmaster.spi.Bidder)adapter : null;
    }

    /** Router only: the agent steals nothing until {@code untilNanos}, or longer if already so. */
    void stealNothingUntil(final long untilNanos)
    {
        final long until = untilNanos | 1; // never 0, which means "none"
        final long current = stealsNothingUntilNanos;
        if (current == 0 || until - current > 0)
        {
            stealsNothingUntilNanos = until;
        }
    }

    /** Any thread: @return true if the agent may steal at {@code now} (neither ejected nor ramping up). */
    boolean maySteal(final long now)
    {
        final long until = stealsNothingUntilNanos;
        return until == 0 || now - until >= 0;
    }

    boolean hasRoom()
    {
        return assigned() < limit && !retiring;
    }

    /** @return tasks assigned to this agent (in its inbox or running); router, or any thread as a racy metric. */
    int assigned()
    {
        final PoolIndex in = pooledIn;
        return in != null ? in.assigned(poolPosition) : parkedAssigned;
    }

    /** @return the size of {@link #bound} (early binding); router, or any thread as a racy metric. */
    int boundCount()
    {
        final PoolIndex in = pooledIn;
        return in != null ? in.bound(poolPosition) : parkedBound;
    }

    /** Router only: one more ({@code delta} 1) or one fewer (-1) task assigned. */
    void addAssigned(final int delta)
    {
        final PoolIndex in = pooledIn;
        if (in != null)
        {
            in.addAssigned(poolPosition, delta);
        }
        else
        {
            parkedAssigned += delta;
        }
    }

    /** Router only: one more or one fewer task bound (early binding). */
    void addBound(final int delta)
    {
        final PoolIndex in = pooledIn;
        if (in != null)
        {
            in.addBound(poolPosition, delta);
        }
        else
        {
            parkedBound += delta;
        }
    }

    /** Router only: tokens of a task that came (positive) or left (negative). */
    void addTokens(final long delta)
    {
        final PoolIndex in = pooledIn;
        if (in != null)
        {
            in.addTokens(poolPosition, delta);
        }
        else
        {
            parkedTokens += delta;
        }
    }

    boolean hasSkills(final long required)
    {
        return (required & ~skillMask) == 0;
    }

    int running()
    {
        return (int)running.get();
    }

    /** @return true if this worker now holds the agent's start guard; never waits. */
    boolean tryGuardStarts()
    {
        return startGuard.get() == 0 && startGuard.compareAndSet(0, 1);
    }

    /** @return true while a worker holds the start guard; racy. */
    boolean startsGuarded()
    {
        return startGuard.get() != 0;
    }

    /** Releases the start guard taken with {@link #tryGuardStarts}. */
    void releaseStarts()
    {
        startGuard.lazySet(0);
    }

    /** Holder of the start guard only: reserves a slot if one is free. */
    Slot acquireSlot()
    {
        if (running.get() >= slots.length)
        {
            return null;
        }
        for (final Slot slot : slots)
        {
            if (slot.isFree())
            {
                running.incrementAndGet();
                return slot;
            }
        }
        return null;
    }

    /**
     * Router only: @return true if no attempt of this agent is live. An attempt the watchdog abandoned at its timeout
     * is not: its task went on without it (retried elsewhere or ended), and the call it hangs in may return only once
     * the adapter is stopped, which a removal does after this. The count is read before the slots: only the router
     * abandons, so a slot seen abandoned was abandoned, and counted, when the count was read; a late answer freeing
     * one in between makes this false until the next look, never true too early.
     */
    boolean runsNothingLive()
    {
        final int running = running(); // first, as said above
        return running - hungSlots() == 0;
    }

    /** @return slots held by attempts given up at their timeout and not answered yet (a racy scan, for metrics). */
    public int hungSlots()
    {
        int hung = 0;
        for (final Slot slot : slots)
        {
            if (Slot.phase(slot.stateVolatile()) == Slot.ABANDONED)
            {
                hung++;
            }
        }
        return hung;
    }

    void releaseSlot()
    {
        running.decrementAndGet();
        final Worker home = worker;
        if (home != null)
        {
            home.wakeServer(); // a freed slot may let a task waiting in the inbox start
        }
    }

    /** Router only: folds one finished attempt into the routing state. */
    void recordSuccess(final long execNanos, final long tokensUsed, final double quality, final long nowNanos)
    {
        ewmaLatencyNanos = LatencyAverages.ewma(ewmaLatencyNanos, execNanos);
        peakEwmaLatencyNanos = LatencyAverages.peakEwma(peakEwmaLatencyNanos, execNanos, nowNanos - lastSampleNanos);
        lastSampleNanos = nowNanos;
        if (!Double.isNaN(quality))
        {
            recentQuality = LatencyAverages.quality(recentQuality, quality);
        }
        // the router keeps the budget only until the adapter publishes its own: then the adapter owns the figure and
        // the field has one writer again
        if (tokensUsed > 0 && !budgetPublished && tokenBudgetLeft != Long.MAX_VALUE)
        {
            tokenBudgetLeft = Math.max(0, tokenBudgetLeft - tokensUsed);
        }
        completed.lazySet(completed.get() + 1);
        tokens.lazySet(tokens.get() + tokensUsed);
        busyNanos.lazySet(busyNanos.get() + execNanos);
    }

    /** Router only. */
    void recordFailure(final long execNanos)
    {
        failed.lazySet(failed.get() + 1);
        if (execNanos > 0)
        {
            busyNanos.lazySet(busyNanos.get() + execNanos);
        }
    }

    /** @return tasks completed by this agent so far (any thread). */
    public long completedTotal()
    {
        return completed.get();
    }

    /** @return attempts failed on this agent so far (any thread). */
    public long failedTotal()
    {
        return failed.get();
    }

    /** @return tokens reported by this agent's adapter so far (any thread). */
    public long tokensTotal()
    {
        return tokens.get();
    }

    /** @return execution time summed over attempts (any thread). */
    public long busyNanosTotal()
    {
        return busyNanos.get();
    }

    /** @return tasks this agent stole from busier ones (any thread). */
    public long stolenTotal()
    {
        return stolenIn.get();
    }

    /** Any thread: @return true for the one caller that is to stop this agent's adapter. */
    boolean claimStop()
    {
        return stopClaimed.compareAndSet(false, true);
    }

    /** @return true once the agent was removed from the fleet. */
    public boolean isRemoved()
    {
        return removed;
    }

    /** @return true while outlier ejection keeps the agent out of routing. */
    public boolean isEjected()
    {
        return ejected;
    }

    @Override
    public boolean ejected()
    {
        return ejected;
    }

    @Override
    public boolean draining()
    {
        return retiring && !removed;
    }

    /** @return true while the agent drains before its removal. */
    public boolean isRetiring()
    {
        return retiring;
    }

    @Override
    public int index()
    {
        return index;
    }

    /** @return the agent's adapter (for calls off the dispatch path, such as pre-routing's warm-up); any thread. */
    public AgentAdapter adapter()
    {
        return adapter;
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
        return assigned() + boundCount(); // under early binding, its own queue counts: it is this agent's work
    }

    @Override
    public int queued()
    {
        return inbox.size() + boundCount();
    }

    @Override
    public long tokensInFlight()
    {
        final PoolIndex in = pooledIn;
        return in != null ? in.tokens(poolPosition) : parkedTokens;
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

    @Override
    public double speed()
    {
        return spec.speed();
    }

    /** Reads the router-owned EWMA and the completion count the router itself publishes: no lock, no allocation. */
    @Override
    public double expectedLatencyNanos()
    {
        return completed.get() >= WARM_RESULTS ? ewmaLatencyNanos : 0;
    }

    @Override
    public double expectedFreeNanos()
    {
        return AgentView.expectedFreeNanos(inFlight(), slots.length, expectedLatencyNanos());
    }

    @Override
    public dev.ringmaster.spi.Bidder bidder()
    {
        return bidder;
    }

    @Override
    public double contextUtilization()
    {
        return contextUtilization;
    }

    @Override
    public double recentQuality()
    {
        return recentQuality;
    }

    @Override
    public long tokenBudgetLeft()
    {
        return tokenBudgetLeft;
    }

    @Override
    public long completedCount()
    {
        return completed.get();
    }

    @Override
    public void contextUtilization(final double fraction)
    {
        if (!(fraction >= 0.0 && fraction <= 1.0))
        {
            throw new IllegalArgumentException("context utilization of agent '" + spec.id() + "' must be in [0, 1], got " + fraction);
        }
        contextUtilization = fraction;
    }

    @Override
    public void tokenBudgetLeft(final long tokens)
    {
        if (tokens < 0)
        {
            throw new IllegalArgumentException("token budget of agent '" + spec.id() + "' must be >= 0, got " + tokens);
        }
        budgetPublished = true;
        tokenBudgetLeft = tokens;
    }
}
