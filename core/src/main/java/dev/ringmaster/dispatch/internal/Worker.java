package dev.ringmaster.dispatch.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the tasks of the agents it owns: moves records from their inboxes into free slots and calls the adapters;
 * when all its agents are idle it steals for them. One thread per worker; it is the only thread that starts tasks
 * on its agents, which is what makes "a slot is free" stable between check and use.
 */
final class Worker
{
    private static final Logger LOG = LoggerFactory.getLogger(Worker.class);

    /** This worker's number, the {@link AgentState#workerIndex} of its agents. */
    private final int index;
    private final Control control;
    /** Replaced (copy on write) by the router when agents are added or removed; read once per duty cycle. */
    volatile AgentState[] mine;
    private final Signals signals;
    final ParkingIdleStrategy idle;
    /** Null: any waiting task may be stolen. */
    private final dev.ringmaster.spi.StealGuard stealGuard;

    Worker(final int index, final Control control, final AgentState[] mine, final Signals signals,
           final EngineConfig config)
    {
        this.index = index;
        this.stealGuard = config.stealGuard;
        this.control = control;
        this.mine = mine;
        this.signals = signals;
        this.idle = new ParkingIdleStrategy(config.busySpin ? Long.MAX_VALUE : Engine.WORKER_SPIN_NANOS,
            Engine.WORKER_YIELD_NANOS, 1_000, config.maxParkNanos, this::workPending);
    }

    /** The worker's thread, once it runs. */
    private volatile Thread thread;
    /** Least time between two scans for a task to steal that found nothing. */
    static final long STEAL_SCAN_INTERVAL_NANOS = 20_000;
    /**
     * When an idle cycle may next scan the lane for a task to steal. Why not every idle cycle: a scan reads every
     * agent's in-flight and inbox counters, lines the router and the other workers keep writing, and an idle worker
     * spinning through them pulled those lines to its core at every task; once per 20 us still finds a stranded task
     * in well under a task's time on an agent that is slow enough to strand it.
     */
    private long nextStealScanNanos;
    /** Set by completions on this thread during a duty cycle; the cycle requests the role once for all of them. */
    boolean completionsDeferred;
    /**
     * When this worker's oldest completion not yet folded in was offered (0: none): the worker leaves them to the
     * role's next holder for up to {@link Engine#WORKER_FOLD_DELAY_NANOS}. Why: their results are already delivered
     * ({@link Delivery}), and taking the role pulls the routing state (lanes, loads, the strategy's index) from the
     * submitter's core to this one, only for the submitter's next task to pull it back: at light load that traffic,
     * twice per task, cost more than the routing itself.
     */
    private long unfoldedSinceNanos;

    boolean isCurrentThread()
    {
        return thread == Thread.currentThread();
    }

    void run()
    {
        thread = Thread.currentThread();
        idle.bindToCurrentThread();
        while (!control.exit)
        {
            try
            {
                idle.idle(doWork());
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
        final AgentState[] mine = this.mine;
        for (final AgentState a : mine)
        {
            if (a.inbox.size() > 0 && a.running() < a.slots.length)
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
            else if (Engine.WORKER_FOLD_DELAY_NANOS == 0 ||
                System.nanoTime() - unfoldedSinceNanos >= Engine.WORKER_FOLD_DELAY_NANOS)
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
        int work = 0;
        for (final AgentState agent : mine)
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
        if (work == 0 && now - nextStealScanNanos >= 0)
        {
            for (final AgentState agent : mine)
            {
                if (agent.running() < agent.slots.length && agent.inbox.size() == 0 && !agent.retiring)
                {
                    work += steal(agent, now);
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

    /**
     * Takes the least urgent task the idle agent can handle from the busiest compatible agent: one whose slots are all
     * busy and whose inbox holds the most tasks. Least urgent from the back, because the victim's own next start is
     * its most urgent task.
     */
    private int steal(final AgentState thief, final long now)
    {
        if (!thief.lane.workersSteal)
        {
            return 0; // early binding without stealing: a task runs on the agent it was bound to
        }
        AgentState victim = null;
        int deepest = 0;
        for (final AgentState candidate : thief.lane.agents)
        {
            if (candidate != thief && candidate.running() >= candidate.slots.length)
            {
                final int depth = candidate.inbox.size();
                if (depth > deepest)
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
        slot.start(r, r.startNanos);
        try
        {
            agent.adapter.execute(r, slot, agent);
        }
        catch (final Throwable t)
        {
            if (!slot.failOwned(t))
            {
                agent.adapterFaults.report("threw after completing its task (or after its timeout); the completion stands", t);
            }
        }
    }
}
