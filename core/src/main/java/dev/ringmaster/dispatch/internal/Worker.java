package dev.ringmaster.dispatch.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Runs the tasks of its agents: moves records from their inboxes into free slots and calls the adapters; when all its
 * agents are idle it steals for them. One thread per worker. While it is idle, a worker other than the first (the
 * lead) lends its agents to the lead and parks at once, so that at light load one worker stays awake instead of all
 * of them (see {@link #lendToLead}). Whichever worker starts an agent's tasks holds the agent's start guard while it
 * does, which is what makes "a slot is free" stable between check and use.
 */
final class Worker
{
    private static final Logger LOG = LoggerFactory.getLogger(Worker.class);
    private static final VarHandle ADAPTER_SINCE;
    private static final VarHandle ADAPTER_AGENT;

    static
    {
        try
        {
            ADAPTER_SINCE = MethodHandles.lookup().findVarHandle(Worker.class, "adapterSinceNanos", long.class);
            ADAPTER_AGENT = MethodHandles.lookup().findVarHandle(Worker.class, "adapterAgent", AgentState.class);
        }
        catch (final ReflectiveOperationException e)
        {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** This worker's number, the {@link AgentState#workerIndex} of its agents. */
    private final int index;
    private final Control control;
    /** Replaced (copy on write) by the router when agents are added or removed; read once per duty cycle. */
    volatile AgentState[] mine;
    private final Signals signals;
    final ParkingIdleStrategy idle;
    /** Whether this worker dozes while the dispatcher is idle, and how it is woken (see {@link Slumber}). */
    final Slumber.Doze doze;
    /** Null: any waiting task may be stolen. */
    private final dev.ringmaster.spi.StealGuard stealGuard;

    Worker(final int index, final Control control, final AgentState[] mine, final Signals signals,
           final EngineConfig config, final Slumber slumber)
    {
        this.index = index;
        this.stealGuard = config.stealGuard;
        this.control = control;
        this.mine = mine;
        this.signals = signals;
        this.idle = new ParkingIdleStrategy(config.busySpin ? Long.MAX_VALUE : Waiting.WORKER_SPIN_NANOS,
            Waiting.WORKER_YIELD_NANOS, 1_000, config.maxParkNanos, this::workPending);
        this.doze = slumber.new Doze(idle);
        idle.doze(doze);
    }

    /** The worker's thread, once it runs. */
    private volatile Thread thread;
    /**
     * The lead (worker 0) this worker lends its agents to while idle; null for the lead, or without hand-off. Set once,
     * before this worker's thread starts and before any agent of it is published.
     */
    private Worker lead;
    /**
     * The lead's view of every worker, to serve the lent ones' agents; null for the others, or without hand-off.
     * Replaced when a worker is added (after the new one's {@link #lead} is set), read by the lead once per cycle.
     */
    private volatile Worker[] team;
    /**
     * Every worker, this one included: while one of them is stuck in an adapter, the others start the tasks of its
     * other agents (see {@link #serveStuckPeers}). Replaced in every worker when a worker is added.
     */
    private volatile Worker[] peers = new Worker[0];
    /** Written by this worker only: its agents are lent to the lead, which serves them while this one parks. */
    private volatile boolean lent;
    /**
     * Written by this worker only: when it entered the adapter it is running (0: none). An adapter may take as long as
     * its task (a synchronous call to a model), and the worker's other agents, and the agents lent to it, must not wait
     * behind it: once it has been in one for {@link #STUCK_NANOS}, wakers wake another worker for them. Why not at
     * once: a short adapter (most of them complete or hand off in microseconds) would then cost an unpark per task.
     */
    @SuppressWarnings("unused") // accessed through ADAPTER_SINCE
    private volatile long adapterSinceNanos;
    /**
     * Written by this worker only, between its stores of {@link #adapterSinceNanos} (release stores, plain moves on
     * x86): the agent whose adapter it is in. Read as a sequence lock, the time before and after it (see
     * {@link #heldByCall}), so a reader never pairs one call's time with the next call's agent.
     */
    @SuppressWarnings("unused") // accessed through ADAPTER_AGENT
    private AgentState adapterAgent;
    /** Tasks the lead starts in one duty cycle, its own and lent ones, from which it wakes the lenders. */
    static final int BUSY_CYCLE_STARTS = 8;
    /** How long a worker may be inside one adapter before other workers serve its other agents. */
    static final long STUCK_NANOS = Long.getLong("ringmaster.stuckInAdapterNanos", 50_000L);
    /** Least time between two scans for a task to steal that found nothing. */
    static final long STEAL_SCAN_INTERVAL_NANOS = 20_000;
    /**
     * When an idle cycle may next scan the lane for a task to steal. Why not every idle cycle: a scan reads every
     * agent's in-flight and inbox counters, lines the router and the other workers keep writing, and an idle worker
     * spinning through them pulled those lines to its core at every task; once per 20 us still finds a stranded task
     * in well under a task's time on an agent that is slow enough to strand it.
     */
    private long nextStealScanNanos;
    /** When a cycle may next look for a peer stuck in an adapter: at most once per steal-scan interval, for the same reason. */
    private long nextPeerScanNanos;
    /** Set by completions on this thread during a duty cycle; the cycle requests the role once for all of them. */
    boolean completionsDeferred;
    /**
     * When this worker's oldest completion not yet folded in was offered (0: none): the worker leaves them to the
     * role's next holder for up to {@link Waiting#WORKER_FOLD_DELAY_NANOS}. Why: their results are already delivered
     * ({@link Delivery}), and taking the role pulls the routing state (lanes, loads, the strategy's index) from the
     * submitter's core to this one, only for the submitter's next task to pull it back: at light load that traffic,
     * twice per task, cost more than the routing itself.
     */
    private long unfoldedSinceNanos;

    /**
     * After shutdownNow, nothing outstanding (any thread): interrupts this worker if it is inside an adapter's call,
     * as ExecutorService.shutdownNow does. Racy: a stray interrupt after the call returned is cleared by the idle
     * strategy.
     */
    void interruptIfInCall()
    {
        final Thread t = thread;
        if (t != null && (long)ADAPTER_SINCE.getAcquire(this) != 0)
        {
            t.interrupt();
        }
    }

    boolean isCurrentThread()
    {
        return thread == Thread.currentThread();
    }

    int index()
    {
        return index;
    }

    /** Idle workers lend their agents to worker 0 and park (see {@link #team}): auto, on or off. */
    static final String HAND_OFF = System.getProperty("ringmaster.workerHandOff", "auto");

    /**
     * @return whether idle workers should lend their agents: on "auto", only where the workers and a submitting thread
     *     would outnumber the cores. With cores to spare the workers yield without taking one from another, and a lent
     *     worker's wake-up slows a burst (a closed-loop batch ran at 0.6M tasks/s with it against 0.9M without, on 2 cores).
     */
    static boolean handOff(final int workers)
    {
        return "on".equals(HAND_OFF) || "auto".equals(HAND_OFF) && Runtime.getRuntime().availableProcessors() <= workers + 1;
    }

    /**
     * Makes every worker a peer of the others and lets idle workers lend their agents to worker 0: before any thread
     * starts, and again on the routing role when a worker is added, before its thread starts and its first agent is
     * published. Why lend: on two cores a producer and two workers that yield while idle are three runnable threads,
     * and a task handed to a worker that is waiting for a core waits a scheduler slice; with the others parked, one
     * awake worker runs light load, as a single consumer does, and a parked one is woken when the lead cannot serve
     * its agents.
     *
     * @param firstNew the first worker whose thread has not started: only those become lenders (a running worker's
     *                 idle strategy belongs to its thread), so a worker that was running while the count was too small
     *                 for hand-off keeps yielding instead of lending.
     */
    static void team(final Worker[] workers, final boolean handOff, final int firstNew)
    {
        if (handOff && workers.length >= 2)
        {
            for (int w = Math.max(1, firstNew); w < workers.length; w++)
            {
                final Worker worker = workers[w];
                worker.lead = workers[0];
                worker.idle.parkAfterSpin(worker::lendToLead);
            }
            workers[0].team = workers; // volatile store after the lenders' set-up: the lead serves a lender's agents
        }
        for (final Worker w : workers)
        {
            w.peers = workers;
        }
    }

    /**
     * This worker's own thread, when an idle spell's spin ends: lends its agents to the lead and parks at once, unless
     * work is waiting or the lead is stuck in an adapter. Dekker with {@link #wakeServer}: we store {@code lent}, then
     * read the inboxes; a waker puts, fences, then reads {@code lent}, so either we see the task or it wakes the lead.
     * A lent worker still wakes at the end of every park (at most the engine's longest park, 1 ms by default) and
     * starts its agents' waiting tasks itself: the backstop for a task that came just as the lead entered a long task.
     */
    private boolean lendToLead()
    {
        if (unfoldedSinceNanos != 0)
        {
            return false; // its completions are not folded in yet: it must not park
        }
        lent = true;
        if (lead.busyInAdapter() || hasStartableWork(mine))
        {
            lent = false;
            return false;
        }
        return true;
    }

    /**
     * @return true if this worker has been inside one adapter for {@link #STUCK_NANOS} or more; racy. Reads the clock
     *     only while it is inside one: wakers ask for every task they place, and workers are mostly between tasks.
     */
    boolean busyInAdapter()
    {
        final long since = (long)ADAPTER_SINCE.getOpaque(this);
        return since != 0 && System.nanoTime() - since >= STUCK_NANOS;
    }

    /**
     * Any thread, after putting a task into the inbox of one of this worker's agents or freeing one of their slots:
     * wakes whoever serves them, this worker, or the lead while they are lent to it (unless the lead is stuck in an
     * adapter: then this worker serves its own agents again). While this worker is itself stuck in an adapter, also
     * a worker that is not, which starts its agents' tasks meanwhile (see {@link #serveStuckPeers}).
     */
    void wakeServer()
    {
        final Worker lead = this.lead;
        if (lead != null)
        {
            VarHandle.fullFence(); // StoreLoad: the caller's put is visible before we read lent (see lendToLead)
            if (lent && !lead.busyInAdapter())
            {
                lead.idle.wake();
                return;
            }
        }
        if (busyInAdapter())
        {
            for (final Worker peer : peers)
            {
                if (peer != this && !peer.busyInAdapter())
                {
                    peer.idle.wake();
                    break;
                }
            }
        }
        idle.wake();
    }
    void run()
    {
        thread = Thread.currentThread();
        idle.bindToCurrentThread();
        while (!control.exit)
        {
            try
            {
                final int work = doWork();
                if (work > 0 && lent)
                {
                    lent = false; // busy again: wakers wake this worker for its agents, not the lead
                }
                idle.idle(work);
            }
            catch (final Throwable t)
            {
                // a dead worker would strand its agents' inboxes: log and keep going
                LOG.error("worker duty cycle failed; continuing", t);
            }
        }
    }

    private boolean workPending()
    {
        if (unfoldedSinceNanos != 0)
        {
            return true; // not parked before its completions are folded in: nobody else may come for them
        }
        if (hasStartableWork(mine))
        {
            return true;
        }
        if (peerStuckWithWork())
        {
            return true; // another worker's agents, while it is stuck in an adapter (see serveStuckPeers)
        }
        final Worker[] team = this.team;
        if (team != null)
        {
            for (int w = 1; w < team.length; w++)
            {
                if (team[w].lent && hasStartableWork(team[w].mine))
                {
                    return true;
                }
            }
        }
        return false;
    }

    /** @return true if another worker is stuck in an adapter while its own agents have tasks to start. */
    private boolean peerStuckWithWork()
    {
        for (final Worker peer : peers)
        {
            if (peer != this && peer.busyInAdapter() && hasStartableWork(peer.mine))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Starts the waiting tasks of the agents of every other worker that is stuck in an adapter. Why: a synchronous
     * adapter holds its worker for as long as its task takes, nobody steals from an agent with a free slot, so the
     * stuck worker's other agents would wait for the whole call while this worker idles (agents lent to a stuck lead
     * are served by their own worker, which wakers wake). The stuck worker keeps its running agent's start guard, so
     * only its other agents are served. @return tasks started.
     */
    private int serveStuckPeers(final long now)
    {
        int work = 0;
        for (final Worker peer : peers)
        {
            if (peer != this && peer.busyInAdapter())
            {
                work += startWaiting(peer.mine, now);
            }
        }
        return work;
    }

    /** @return true if one of {@code agents} has a task waiting and a free slot, and no worker is starting its tasks. */
    private static boolean hasStartableWork(final AgentState[] agents)
    {
        for (final AgentState a : agents)
        {
            // a guarded agent is being served by a worker that is in its start loop: it will look again before leaving
            if (a.inbox.size() > 0 && a.running() < a.slots.length && !a.startsGuarded())
            {
                return true;
            }
        }
        return false;
    }

    int doWork()
    {
        try
        {
            return runCycle();
        }
        finally
        {
            // also when the cycle threw: the completions are queued and must be folded in
            foldCompletions();
        }
    }

    /** Requests the role for this worker's completions once they have waited long enough for another holder. */
    private void foldCompletions()
    {
        if (completionsDeferred)
        {
            completionsDeferred = false;
            if (unfoldedSinceNanos == 0)
            {
                unfoldedSinceNanos = System.nanoTime() | 1; // never 0
            }
        }
        if (unfoldedSinceNanos != 0)
        {
            if (signals.isEmpty(index))
            {
                unfoldedSinceNanos = 0; // another holder folded them in
            }
            else if (Waiting.WORKER_FOLD_DELAY_NANOS == 0 ||
                System.nanoTime() - unfoldedSinceNanos >= Waiting.WORKER_FOLD_DELAY_NANOS)
            {
                unfoldedSinceNanos = 0;
                signals.requestRole();
            }
        }
    }

    private int runCycle()
    {
        if (control.runState >= Control.STOPPING)
        {
            return 0; // the router cancels what waits in inboxes; running tasks finish on their own
        }
        final long now = System.nanoTime();
        final AgentState[] mine = this.mine;
        int work = startWaiting(mine, now);
        if (now - nextPeerScanNanos >= 0)
        {
            // a worker inside a long task: nobody else starts its other agents' tasks (stealing takes only from agents
            // whose slots are full), so they would wait as long as its task takes (a workflow step stranded for 10 s
            // by its sibling's call). At most once per interval: the scan reads a line each worker writes per task
            nextPeerScanNanos = now + STEAL_SCAN_INTERVAL_NANOS;
            work += serveStuckPeers(now);
        }
        final Worker[] team = this.team;
        if (team != null)
        {
            for (int w = 1; w < team.length; w++)
            {
                final Worker lender = team[w];
                if (lender.lent)
                {
                    work += startWaiting(lender.mine, now);
                    if (work >= BUSY_CYCLE_STARTS)
                    {
                        lender.idle.wake(); // load enough for two: it takes its agents back once it works again
                    }
                }
            }
        }
        if (work == 0 && now - nextStealScanNanos >= 0)
        {
            for (final AgentState agent : mine)
            {
                // an ejected or ramping agent steals nothing: see AgentState.stealsNothingUntilNanos
                if (agent.running() < agent.slots.length && agent.inbox.size() == 0 && !agent.retiring &&
                    agent.maySteal(now) && agent.tryGuardStarts())
                {
                    try
                    {
                        work += steal(agent, now);
                    }
                    finally
                    {
                        agent.releaseStarts();
                    }
                }
            }
            // after a scan that found nothing, the next one waits a little: see nextStealScanNanos
            nextStealScanNanos = work == 0 ? now + STEAL_SCAN_INTERVAL_NANOS : now;
        }
        else if (work > 0)
        {
            nextStealScanNanos = now; // busy again: the first idle cycle after it looks at once
        }
        return work;
    }

    /** Starts the tasks waiting in the agents' inboxes while they have free slots. @return tasks started. */
    private int startWaiting(final AgentState[] agents, final long now)
    {
        int work = 0;
        for (final AgentState agent : agents)
        {
            // the guard is taken only when there is something to start: an idle agent costs two plain reads
            if (agent.inbox.size() > 0 && agent.running() < agent.slots.length && agent.tryGuardStarts())
            {
                try
                {
                    while (agent.running() < agent.slots.length)
                    {
                        final TaskRecord r = agent.inbox.takeMostUrgent();
                        if (r == null)
                        {
                            break;
                        }
                        start(agent, r, null, now);
                        work++;
                    }
                }
                finally
                {
                    agent.releaseStarts();
                }
            }
        }
        return work;
    }

    /**
     * Takes the least urgent task the idle agent can handle from the busiest compatible agent: one whose slots are all
     * busy, or that is held in an unanswered call (calls for one agent never overlap, so its inbox waits for the call,
     * whatever slots it has free: a synchronous adapter's long call, or one hung past its timeout), with the most
     * tasks in its inbox. Least urgent from the back: the victim's own next start is its most urgent task. Call
     * holding the thief's start guard; package-private for its test.
     */
    int steal(final AgentState thief, final long now)
    {
        if (!thief.lane.workersSteal)
        {
            return 0; // early binding without stealing: a task runs on the agent it was bound to
        }
        if (thief.running() >= thief.slots.length)
        {
            // the scan saw a free slot before it took the thief's start guard; the lead or a peer serving this agent
            // may have filled it since, and a task taken now would have no slot to start in (it was lost so). Under
            // the guard only this worker starts the thief's tasks, so the count read here can only fall
            return 0;
        }
        AgentState victim = null;
        int deepest = 0;
        for (final AgentState candidate : thief.lane.agents)
        {
            if (candidate != thief)
            {
                final int depth = candidate.inbox.size();
                if (depth > deepest && (candidate.running() >= candidate.slots.length || heldByCall(candidate)))
                {
                    deepest = depth;
                    victim = candidate;
                }
            }
        }
        if (victim == null)
        {
            return 0;
        }
        final TaskRecord r = victim.inbox.stealLeastUrgent(thief.skillMask, stealGuard, victim, thief);
        if (r == null)
        {
            return 0;
        }
        start(thief, r, victim, now);
        return 1;
    }

    /**
     * @return true if a worker has been inside a call to this agent's adapter for {@link #STUCK_NANOS} or more and the
     *     attempt it started is unanswered (running, or given up at its timeout): a synchronous call that holds the
     *     agent, so nothing else starts on it until it returns, however many slots it has free. Not a call that
     *     answered: a synchronous adapter's worker is often descheduled between its answer and its return (the answer
     *     woke the submitter), and tasks routed to the agent then were stolen for nothing. Racy; idle scans only.
     */
    private boolean heldByCall(final AgentState agent)
    {
        for (final Worker peer : peers)
        {
            final long since = (long)ADAPTER_SINCE.getAcquire(peer);
            if (since != 0 && System.nanoTime() - since >= STUCK_NANOS && ADAPTER_AGENT.getAcquire(peer) == agent &&
                (long)ADAPTER_SINCE.getAcquire(peer) == since && startedUnanswered(agent, peer)) // still that call
            {
                return true;
            }
        }
        return false;
    }

    private static boolean startedUnanswered(final AgentState agent, final Worker starter)
    {
        for (final Slot slot : agent.slots)
        {
            final long phase = Slot.phase(slot.stateVolatile());
            if ((phase == Slot.RUNNING || phase == Slot.ABANDONED) && slot.starter == starter)
            {
                return true;
            }
        }
        return false;
    }

    private void start(final AgentState agent, final TaskRecord r, final AgentState stolenFrom, final long now)
    {
        if (r.expiredAt(now))
        {
            r.outcome = TaskRecord.OUTCOME_EXPIRED;
            signals.offer(r);
            return;
        }
        final Slot slot = agent.acquireSlot();
        r.executedBy = agent;
        if (stolenFrom != null)
        {
            r.stolenFrom = stolenFrom; // else keep what early binding's steal set (the attempt's fields start cleared)
        }
        // the clock again, not the cycle's: the completions before this start may have routed for a while
        r.startNanos = System.nanoTime();
        slot.starter = this;
        // this attempt's own handle: a completion the adapter repeats later cannot complete the slot's next attempt
        final Slot.Attempt attempt = slot.start(r, r.startNanos);
        ADAPTER_AGENT.setRelease(this, agent); // after the last call's time was cleared: see heldByCall
        ADAPTER_SINCE.setRelease(this, r.startNanos | 1); // never 0
        try
        {
            agent.adapter.execute(r, attempt, agent);
        }
        catch (final Throwable t)
        {
            slot.retire(attempt);
            if (!attempt.failOwned(t))
            {
                agent.adapterFaults.report("threw after completing its task (or after its timeout); the completion stands", t);
            }
        }
        finally
        {
            ADAPTER_SINCE.setRelease(this, 0L);
        }
    }
}
