package dev.ringmaster.bench.sim;

import dev.ringmaster.model.Priority;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.RoutingStrategy;

import java.lang.management.ManagementFactory;

/**
 * Runs one routing strategy over one workload on one fleet in virtual time, with the dispatcher's placement
 * semantics; a simulator is single-use and single-threaded (the strategy is called on the calling thread, as on
 * the router thread), and a run is a pure function of its inputs.
 *
 * <p>What is modelled, as the dispatcher's router and workers do it:
 * <ul>
 *   <li>a central FIFO queue per priority, served in strict priority order (the workloads use one priority, so
 *       the router's aging bound never comes into play and is left out);</li>
 *   <li>late binding: an agent is a candidate while it holds fewer than capacity + prefetch tasks and has every
 *       required skill; the strategy picks among the candidates, in pool order; or, with
 *       {@link SimFleet.Binding#EARLY}, every agent with the skills is a candidate and the task is bound at arrival
 *       to the chosen agent's unbounded FIFO queue;</li>
 *   <li>a task the strategy declines, or that no agent can take now, is set aside (at most {@value #DEFER_LIMIT} per
 *       priority, beyond which the level waits: bounded head-of-line blocking) and retried before the queue's head;</li>
 *   <li>an assigned task starts at once if the agent has a free slot, else waits in its inbox; a freed slot starts
 *       the inbox's most urgent task; if the fleet {@link SimFleet#steals() steals}, after each event every agent
 *       with a free slot and an empty inbox steals at most one task (the dispatcher's worker steals at most one per
 *       idle agent per duty cycle): the least urgent it can run from the inbox of the busiest agent (all slots busy,
 *       deepest inbox), and, as in the dispatcher, the stolen task still counts as in flight on the agent it was
 *       assigned to until it finishes;</li>
 *   <li>at completion the executing agent's EWMA and peak EWMA of execution time are updated;</li>
 *   <li>execution time = (work x (2 - fit) + context load) / speed, rounded up to a whole nanosecond, where fit is
 *       the agent's lowest proficiency in the required skills (1.5x at proficiency 0.5) and context load is
 *       {@link SimFleet#contextLoadWork()} when the task's domain is not warm on the agent.</li>
 * </ul>
 * Not modelled: failures and retries, TTLs, rate limits, outlier ejection, the router's own latency (decisions take
 * no virtual time). Events at the same instant run completions first, then arrivals, each in order; the dispatch
 * pass runs after every event.
 *
 * <p>A {@link TaskSource#streamed() streamed} workload is run in memory proportional to the tasks in the system: each
 * finished task is folded into {@link RunStats} and forgotten, and the {@link SimRun} keeps no per-task record. The
 * initial tasks of a {@link StationaryStart} are placed at time 0 on their agents without asking the strategy.
 *
 * <p>Two options make a replay of a recorded run faithful (both off unless set, before {@link #run()}):
 * {@link #agingQuantum(int)} serves priorities as the dispatcher's lanes do, and {@link #pacedBy(long[])} holds the
 * k-th placement until the recorded dispatcher made its k-th, for a run whose own threads, not its agents, set the pace.
 */
public final class Simulator
{
    /** As the dispatcher's lane: set-aside tasks per priority level before the level blocks. */
    public static final int DEFER_LIMIT = 16;

    private final SimFleet fleet;
    private final TaskSource workload;
    private final RoutingStrategy strategy;
    private final String strategyName;
    private final boolean probeAllocation;

    private final SimAgent[] agents;
    private final SimCandidates candidates;
    private final boolean early;
    /** Early binding: the skill mask the candidate set was last built for (it depends on nothing else then). */
    private long candidatesFor = -1;
    private final SimTask view = new SimTask();
    /** A plugin's strategy, asked as the dispatcher asks it ({@link SimStrategyHost}); null for a built-in. */
    private final SimStrategyHost host;
    private final RoutingDecision decision = new RoutingDecision();
    private final EventQueue events;

    private final TaskQueue[] queues = new TaskQueue[Priority.COUNT];
    private final int[][] deferred = new int[Priority.COUNT][DEFER_LIMIT];
    private final int[] deferredCount = new int[Priority.COUNT];

    /** Per task: start and finish times and the agent assigned (-1 until then), and the agent that ran it. */
    private final TaskWindow state;
    private static final int START = 0;
    private static final int FINISH = 1;
    private static final int ASSIGNED = 2;
    private static final int EXECUTED = 3;
    /** A streamed run's figures, folded at each completion (null when every task is kept). */
    private final RunStats stats;
    /** Streamed: the oldest task not finished, below which the workload and {@link #state} forget. */
    private int oldestLive;

    /** Marks a wake-up event in {@link #events}: the pacing allows the next placement, no task finishes. */
    private static final int WAKE = -1;
    /** {@code WARMED - agent} marks the end of an agent's warm-up (pre-routing), which frees its slot. */
    private static final int WARMED = -2;

    private final SimAging aging = new SimAging();
    private final java.util.function.IntPredicate waiting = this::waiting;
    private long[] notBefore;
    private int placed;
    private long wakeAt = Long.MIN_VALUE;

    private long now;
    private int room;
    private double contextWork;
    private double performedWork;
    private long decisions;
    private long declines;
    private long errors;
    private String firstError;
    private long steals;
    private long probedBytes;
    private long probedDecisions;
    private int probeFrom;
    private boolean used;
    private SimPreRouting preRouting;
    private StealRound.Guard stealGuard; // pre-routing's, or null
    private final StealRound.Starter starter = this::startOn;

    /**
     * @param probeAllocation measure the bytes each {@code select} allocates (thread allocation counter around every
     *                        call in the second half of the run); slower, and the figure depends on the JIT, so it is
     *                        kept out of the reproducible table.
     */
    public Simulator(final SimFleet fleet, final TaskSource workload, final RoutingStrategy strategy,
                     final boolean probeAllocation)
    {
        this.fleet = fleet;
        this.workload = workload;
        this.strategy = strategy;
        this.strategyName = strategy.name();
        this.probeAllocation = probeAllocation;
        final int n = workload.size();
        this.agents = new SimAgent[fleet.size()];
        for (int i = 0; i < agents.length; i++)
        {
            agents[i] = new SimAgent(i, fleet.spec(i), fleet.speed(i), fleet.prefetch(), fleet.warmSlots());
            room += agents[i].limit;
        }
        this.candidates = new SimCandidates(agents);
        this.host = SimStrategyHost.hosts(strategy) ? new SimStrategyHost(strategy, agents, candidates) : null;
        this.early = fleet.binding() == SimFleet.Binding.EARLY;
        if (early)
        {
            room = Integer.MAX_VALUE; // an early-bound queue is unbounded: every arrival is placed at once
        }
        int slots = 0;
        for (final SimAgent a : agents)
        {
            slots += a.capacity;
        }
        this.events = new EventQueue(slots);
        for (int level = 0; level < Priority.COUNT; level++)
        {
            queues[level] = new TaskQueue();
        }
        if (workload.initialTasks() > 0 && !early)
        {
            throw new IllegalArgumentException("a workload with tasks queued at time 0 needs early binding (each " +
                "agent its own queue); this fleet binds late");
        }
        this.state = new TaskWindow(n, !workload.streamed(), 4);
        this.stats = workload.streamed() ? new RunStats(agents.length, workload.initialTasks(),
            SimRun.warmupTasks(workload)) : null;
        this.probeFrom = n / 2;
    }

    /**
     * Serves priorities with aging, as the dispatcher's lane does: a level whose waiting head was passed over
     * {@code quantum} times by placements from other levels goes first, the most passed-over first. Without it (or
     * with 0) priorities are strict, which is all a one-priority workload needs.
     *
     * @return this simulator.
     */
    public Simulator agingQuantum(final int quantum)
    {
        if (quantum < 0)
        {
            throw new IllegalArgumentException("the aging quantum must be >= 0 (0 for strict priority), got " + quantum);
        }
        aging.quantum(quantum);
        return this;
    }

    /**
     * Paces placements: the k-th placement of the run happens no earlier than {@code notBefore[k]} (virtual
     * nanoseconds, non-decreasing); placements beyond the array are not held. A replay gives the times at which the
     * recorded dispatcher really placed tasks, so that a run limited by its own CPU rather than by its agents keeps
     * that limit under every strategy.
     *
     * @return this simulator.
     */
    public Simulator pacedBy(final long[] notBefore)
    {
        this.notBefore = notBefore.clone();
        return this;
    }

    /**
     * Runs pre-routing beside the strategy ({@link SimPreRouting#wrap wrapped} by the same one) on virtual time; its
     * warm-ups occupy an idle agent's slot for the context-load time, counted as context work. @return this.
     */
    public Simulator preRouting(final SimPreRouting pre)
    {
        this.preRouting = pre;
        this.stealGuard = (victim, thief) -> pre.stealCheck(victim, thief, workload);
        pre.attach(agents, (agent, key) -> warmUp((SimAgent)agent, key));
        return this;
    }

    /** The warm-up of an idle agent: one slot busy for the context-load time, the key warm from now. */
    private boolean warmUp(final SimAgent agent, final String key)
    {
        final int domain = SimWorkload.domainOf(key);
        if (domain < 0 || agent.running >= agent.capacity || fleet.contextLoadWork() == 0 || agent.isWarm(domain))
        {
            return domain >= 0 && agent.isWarm(domain);
        }
        agent.touch(domain);
        agent.running++;
        contextWork += fleet.contextLoadWork();
        performedWork += fleet.contextLoadWork();
        events.add(now + Math.max(1, (long)Math.ceil(fleet.contextLoadWork() / agent.trueSpeed())), WARMED - agent.index());
        return true;
    }

    /** Runs every task to completion, or until no event is left (a strategy that declines forever). */
    public SimRun run()
    {
        if (used)
        {
            throw new IllegalStateException("a Simulator runs once; create a new one (and a new strategy instance)");
        }
        used = true;
        final TaskSource workload = this.workload;
        final int n = workload.size();
        final int initial = workload.initialTasks();
        int next = 0;
        while (true)
        {
            final long arrival = next < n ? workload.arrival(next) : Long.MAX_VALUE;
            if (!events.isEmpty() && events.peekTime() <= arrival)
            {
                now = events.peekTime();
                advancePreRouting();
                final int task = events.poll();
                if (task >= 0)
                {
                    complete(task);
                }
                else if (task <= WARMED)
                {
                    warmed(agents[WARMED - task]);
                }
            }
            else if (next < n)
            {
                now = arrival;
                advancePreRouting();
                open(next);
                if (next < initial)
                {
                    assign(next, workload.initialAgent(next)); // the fleet's state at time 0: not routed
                }
                else
                {
                    if (preRouting != null)
                    {
                        preRouting.arrived(workload, next);
                    }
                    enqueue(next);
                }
                next++;
            }
            else
            {
                break;
            }
            dispatch();
        }
        final double allocated = probeAllocation && probedDecisions > 0 ? (double)probedBytes / probedDecisions : Double.NaN;
        if (stats != null)
        {
            return new SimRun(strategyName, fleet, workload, stats, contextWork, performedWork, decisions, declines,
                errors, firstError, steals, allocated);
        }
        return new SimRun(strategyName, fleet, workload, state.column(START), state.column(FINISH),
            state.intColumn(EXECUTED), state.intColumn(ASSIGNED), contextWork, performedWork, decisions,
            declines, errors, firstError, steals, allocated);
    }

    private void open(final int task)
    {
        state.open(task);
        final int at = state.base(task);
        state.data()[at + START] = -1;
        state.data()[at + FINISH] = -1;
        state.data()[at + ASSIGNED] = -1; // a declined task was read as decided for the agent at position 0
    }


    private void advancePreRouting()
    {
        if (preRouting != null)
        {
            preRouting.advanceTo(now);
        }
    }

    private void warmed(final SimAgent agent)
    {
        agent.running--;
        final int next = agent.takeMostUrgent();
        if (next >= 0)
        {
            startOn(agent, next);
        }
    }

    private void enqueue(final int task)
    {
        queues[workload.priority(task).ordinal()].add(task);
    }

    private void dispatch()
    {
        while (room > 0 && paced() && placeOne())
        {
            // one task placed per turn, highest priority first, as the router's dispatch loop
        }
        steal();
    }

    /** @return whether pacing allows a placement now; if not, a wake-up is due when it will. */
    private boolean paced()
    {
        if (notBefore == null || placed >= notBefore.length || notBefore[placed] <= now)
        {
            return true;
        }
        if (wakeAt != notBefore[placed])
        {
            wakeAt = notBefore[placed];
            events.add(wakeAt, WAKE);
        }
        return false;
    }

    private boolean placeOne()
    {
        if (aging.on())
        {
            final int aged = aging.agedLevel(waiting);
            if (aged >= 0 && tryLevel(aged))
            {
                aging.served(aged, waiting);
                return true;
            }
        }
        for (int level = 0; level < Priority.COUNT; level++)
        {
            if (tryLevel(level))
            {
                if (aging.on())
                {
                    aging.served(level, waiting);
                }
                return true;
            }
        }
        return false;
    }

    private boolean waiting(final int level)
    {
        return !queues[level].isEmpty() || deferredCount[level] > 0;
    }

    private boolean tryLevel(final int level)
    {
        final int[] setAside = deferred[level];
        for (int i = 0; i < deferredCount[level]; i++)
        {
            final int task = setAside[i];
            final int agent = route(task);
            if (agent >= 0)
            {
                final int last = --deferredCount[level];
                System.arraycopy(setAside, i + 1, setAside, i, last - i); // keep the set-aside tasks in age order
                assign(task, agent);
                return true;
            }
        }
        final TaskQueue queue = queues[level];
        while (!queue.isEmpty())
        {
            final int head = queue.peek();
            final int agent = route(head);
            if (agent >= 0)
            {
                queue.poll();
                assign(head, agent);
                return true;
            }
            if (deferredCount[level] == DEFER_LIMIT)
            {
                return false;
            }
            queue.poll();
            setAside[deferredCount[level]++] = head;
        }
        return false;
    }

    /** @return the pool position of the agent the strategy chose, or -1 if none can or will take the task now. */
    private int route(final int task)
    {
        final long required = workload.skills(task);
        final SimAgent[] agents = this.agents;
        final SimCandidates c = candidates;
        if (!early || required != candidatesFor)
        {
            c.reset();
            for (int i = 0; i < agents.length; i++)
            {
                final SimAgent a = agents[i];
                if ((early || a.hasRoom()) && a.hasSkills(required))
                {
                    c.add(i);
                }
                else
                {
                    c.skip(i);
                }
            }
            candidatesFor = required;
        }
        if (c.size() == 0)
        {
            return -1;
        }
        view.set(workload.task(task), workload.arrival(task), task + 1L);
        decision.reset();
        decisions++;
        int chosen;
        try
        {
            // quarantined (the router's rule, SimStrategyHost): the fallback decides, counted as a failed decision
            chosen = host != null && host.quarantined(now) ? SimStrategyHost.QUARANTINED :
                probeAllocation && task >= probeFrom ? probedSelect() : select();
        }
        catch (final RuntimeException | Error e)
        {
            // an Error too (a plugin's AssertionError, a class its jar lacks): the router falls back on any throwable
            noteError("threw " + e, true);
            return c.poolPosition(c.fewestInFlight());
        }
        if (chosen != RoutingStrategy.DECLINE && (chosen < 0 || chosen >= c.size()))
        {
            noteError(host != null ? host.describe(chosen) : "returned index " + chosen + " for " + c.size() + " candidates",
                chosen != SimStrategyHost.QUARANTINED);
            return c.poolPosition(c.fewestInFlight());
        }
        if (host != null)
        {
            host.decided(); // a decline too, as the router counts: only a fault continues a run of faults
        }
        declines += chosen == RoutingStrategy.DECLINE ? 1 : 0;
        return chosen == RoutingStrategy.DECLINE ? -1 : c.poolPosition(chosen);
    }

    private int probedSelect()
    {
        final com.sun.management.ThreadMXBean threads = AllocationCounter.THREADS;
        final long before = threads.getCurrentThreadAllocatedBytes();
        final int chosen = select();
        probedBytes += threads.getCurrentThreadAllocatedBytes() - before;
        probedDecisions++;
        return chosen;
    }

    private int select()
    {
        return host != null ? host.select(view, decision, now) : strategy.select(view, candidates, decision);
    }

    private void noteError(final String what, final boolean faultTowardQuarantine)
    {
        if (errors++ == 0)
        {
            firstError = what; // the router logs and falls back to the least loaded candidate; so does the simulator
        }
        if (faultTowardQuarantine && host != null)
        {
            host.failed(now);
        }
    }

    private void assign(final int task, final int position)
    {
        final SimAgent agent = agents[position];
        agent.assigned++;
        agent.tokensInFlight += workload.costTokens(task);
        if (!early)
        {
            room--;
        }
        state.data()[state.base(task) + ASSIGNED] = position;
        placed++;
        if (host != null)
        {
            host.assigned(position, workload.task(task), workload.arrival(task), task + 1L, now);
        }
        if (agent.running < agent.capacity)
        {
            startOn(agent, task);
        }
        else
        {
            agent.inboxAdd(task, urgency(task));
        }
    }

    private long urgency(final int task)
    {
        return ((long)workload.priority(task).ordinal() << 40) | task;
    }

    private void startOn(final SimAgent agent, final int task)
    {
        agent.running++;
        final int at = state.base(task);
        state.data()[at + EXECUTED] = agent.index();
        state.data()[at + START] = now;
        final long work = workload.work(task);
        final double fit = agent.fit(workload.skills(task));
        double performed = work * (2.0 - fit);
        final int domain = workload.domain(task);
        if (domain >= 0 && !agent.touch(domain) && fleet.contextLoadWork() > 0)
        {
            performed += fleet.contextLoadWork();
            contextWork += fleet.contextLoadWork();
        }
        performedWork += performed;
        final long duration = Math.max(1, (long)Math.ceil(performed / agent.trueSpeed()));
        events.add(now + duration, task);
    }

    private void complete(final int task)
    {
        final long[] data = state.data();
        final int at = state.base(task);
        data[at + FINISH] = now;
        final SimAgent exec = agents[(int)data[at + EXECUTED]];
        final SimAgent owner = agents[(int)data[at + ASSIGNED]];
        exec.running--;
        owner.assigned--;
        owner.tokensInFlight -= workload.costTokens(task);
        if (!early)
        {
            room++;
        }
        exec.recordSuccess(now - data[at + START], exec.fit(workload.skills(task)), now);
        if (host != null)
        {
            host.completed((int)data[at + ASSIGNED], exec.index(), workload.task(task), workload.arrival(task), task + 1L,
                now);
        }
        if (stats != null)
        {
            stats.finished(task, workload.arrival(task), now, exec.index(), workload.work(task));
            retireFinished();
        }
        final int next = exec.takeMostUrgent();
        if (next >= 0)
        {
            startOn(exec, next);
        }
    }

    /** Streamed: forgets every task up to the oldest that has not finished. */
    private void retireFinished()
    {
        final long[] data = state.data();
        while (oldestLive < state.opened() && data[state.base(oldestLive) + FINISH] >= 0)
        {
            oldestLive++;
        }
        state.retireBelow(oldestLive);
        workload.retireBelow(oldestLive);
    }

    /** One steal round: each idle agent takes at most one task, as one duty cycle of the dispatcher's worker. */
    private void steal()
    {
        if (fleet.steals() && (early || fleet.prefetch() > 0)) // late binding without prefetch: no inbox to steal from
        {
            steals += StealRound.run(agents, workload, starter, stealGuard, (int)(steals % agents.length));
        }
    }

    /** Holds the JDK's thread allocation counter, looked up once and only if allocation is probed. */
    private static final class AllocationCounter
    {
        static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
    }
}
