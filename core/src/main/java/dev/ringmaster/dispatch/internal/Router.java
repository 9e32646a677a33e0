package dev.ringmaster.dispatch.internal;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import dev.ringmaster.metrics.FaultLog;
import dev.ringmaster.spi.DispatchListener;
import dev.ringmaster.spi.RoutingStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routing state's single writer at any moment (whichever thread holds the {@link RoutingRole}): one duty cycle
 * takes submissions from the ingress ring into the lanes, applies fleet commands, folds completions in, releases due
 * outcomes.retries and places waiting tasks; the work itself is done by its parts, {@link Placement}, {@link Selection},
 * {@link RateLimits}, {@link Health}, {@link Outcomes}, {@link Fleet} and {@link Lookups}. Nothing here is shared
 * without a hand-over described in {@link TaskRecord}.
 *
 * <p>Aging bound ({@link Aging}): within a lane, the head of any waiting level is dispatched within
 * {@code agingQuantum + 3} dispatches of its lane once an agent able to take it has room.
 */
final class Router
{
    static final Logger LOG = LoggerFactory.getLogger(Router.class);
    private static final int INGRESS_BATCH = 256;

    final Engine engine;
    final Control control;
    final Listeners listener;
    /** The last ingress sequence fully processed; the ring's gating sequence, so producers never overwrite a live event. */
    private final Sequence consumed;
    /** The role's own copies of the fleet arrays; it is their only writer and republishes them to the engine. */
    Lane[] lanes;
    AgentState[] agents;
    final int agingQuantum;
    private final long watchdogIntervalNanos;
    private long nextWatchdogNanos;
    private long nextOutlierSweepNanos;

    final RateLimits limits;
    final Selection selection;
    final EarlyBinding binding;
    final Health health;
    final Placement placement;
    final Outcomes outcomes;
    final Fleet fleet;
    final Lookups lookups;

    /**
     * The record pool, a stack in an array rather than a list linked through the records: taking one then reads only
     * this array, which the holder keeps in its cache, and not the record, whose line the worker or completer that
     * used it last wrote on another core. With the linked list every take began with that miss, and the next take
     * waited for it (the producer's JFR samples at 400k tasks/s: 14% on reading the next link).
     */
    private TaskRecord[] free = new TaskRecord[64];
    /**
     * The most records the pool keeps between bursts: the larger of the preallocated count and the ring's size. Why
     * a bound: the pool grows to the peak number of tasks in flight, and a burst of a million queued tasks (queues of
     * several types and levels can hold that) used to leave a million records, 176 bytes each, reachable for the
     * dispatcher's life. Up to the bound, steady state allocates nothing, as before; past it, a burst's extra records
     * are garbage once their tasks end.
     */
    private final int maxSpareRecords;
    private int freeCount;
    private long sequence;
    private int pending;
    /** Records taken from the pool and not yet back: accepted tasks not terminal (plus detached copies' originals). */
    private int liveRecords;
    /** Live records whose task has a TTL or a timeout: while there are any, the watchdog must run on time. */
    private int timedRecords;
    private boolean batchCapHit;
    /** The clock at the end of the last duty cycle. */
    private long lastCycleNanos;
    private final FaultLog ingressFaults = new FaultLog(LOG, "router");

    Router(final Engine engine, final Sequence consumed, final RoutingStrategy strategy,
           final Listeners listener, final Delivery delivery, final Worker[] workers,
           final EngineConfig config)
    {
        this.engine = engine;
        this.control = engine.control;
        this.listener = listener;
        this.consumed = consumed;
        this.lanes = engine.lanes;
        this.agents = engine.agents;
        this.agingQuantum = config.agingQuantum;
        this.watchdogIntervalNanos = config.watchdogIntervalNanos;
        this.limits = new RateLimits(this, config.rateLimits);
        this.selection = new Selection(this, strategy, config.shadow);
        this.binding = new EarlyBinding(this);
        this.health = new Health(this, config);
        this.placement = new Placement(this, workers);
        this.outcomes = new Outcomes(this, delivery, config);
        this.fleet = new Fleet(this);
        this.lookups = new Lookups(this);
        for (final Lane lane : lanes)
        {
            lane.bucket = limits.typeBuckets.get(lane.type);
            lane.aging = new Aging(agingQuantum);
        }
        limits.typeBuckets.keySet().forEach(type -> warnIfNoAgent(type, "the rate limit on agent type '" + type +
            "' limits nothing yet"));
        // a misspelt type's binding ran LATE without a word
        config.bindings.forEach((type, binding) -> warnIfNoAgent(type, "the binding " + binding + " of agent type '" +
            type + "' applies to no agent yet"));
        engine.buckets = new java.util.ArrayList<>(limits.typeBuckets.values());
        engine.buckets.addAll(limits.tenantBuckets.values());
        maxSpareRecords = Math.max(64, Math.max(config.preallocatedRecords, config.ringSize));
        for (int i = 0; i < config.preallocatedRecords; i++)
        {
            release(new TaskRecord());
        }
        liveRecords = 0; // the pool's records were released without ever being acquired
    }

    /** One duty cycle. @return the amount of work done, 0 when idle. */
    int doWork()
    {
        try
        {
            return duty();
        }
        finally
        {
            for (final Lane lane : lanes)
            {
                lane.flushReleases(); // after every callback of the cycle: a drain may return once they are released
            }
        }
    }

    private int duty()
    {
        int work = 0;
        batchCapHit = false;
        placement.capHit = false;
        limits.nextThrottleWakeNanos = Long.MAX_VALUE; // every cycle, also while stopping: a stale alarm spins the router
        pollIngress(INGRESS_BATCH);
        work += pending;
        pending = 0;
        long now = System.nanoTime();
        engine.stages.working(now);
        work += applyCommands(now);
        work += outcomes.drainSignals(now);
        work += outcomes.releaseDueRetries(now);
        if (control.runState >= Control.STOPPING)
        {
            if (!outcomes.swept)
            {
                outcomes.sweepForShutdown(now);
            }
            else if (liveRecords > 0 && outcomes.shutdownGraceOver(now))
            {
                work += health.cancelRunningAtShutdown(now);
            }
        }
        else
        {
            work += placement.dispatch(now);
        }
        batchCapHit |= outcomes.signalCapHit || placement.capHit;
        if (fleet.retiring())
        {
            work += fleet.completeRetirements(); // after the completions: a retiring agent's last one may have come in now
        }
        now = System.nanoTime();
        lastCycleNanos = now;
        if (now - nextWatchdogNanos >= 0)
        {
            nextWatchdogNanos = now + watchdogIntervalNanos;
            work += health.watchdog(now);
            work += outcomes.sweepExpired(now);
            if (now - nextOutlierSweepNanos >= 0)
            {
                nextOutlierSweepNanos = now + 100_000_000L;
                health.sweepLatencyOutliers(now);
            }
        }
        return work;
    }

    /** @return true if anything waits for the routing role; the router thread's safety net (any thread, racy). */
    boolean workPending()
    {
        // published, not just claimed: a submitter preempted between claim and publish must not keep holders spinning
        return engine.ring.isAvailable(consumed.get() + 1) || !engine.signals.isEmpty() || !engine.commands.isEmpty() ||
            (control.runState >= Control.STOPPING && !outcomes.swept);
    }

    /** Role holder: @return true if the last cycle stopped at a batch cap with more placeable work behind it. */
    boolean morePending()
    {
        return batchCapHit;
    }

    /**
     * Role holder: @return when live state should be looked at again although nothing announced a change (a late
     * answer to a timed-out attempt, telemetry, a strategy that declined for now): within the router thread's longest
     * park while any task is live or an agent drains, else never. Unlike timed work it needs no wake-up: the router
     * thread never sleeps longer than that anyway.
     */
    long safetyNetNanos()
    {
        return liveRecords > 0 || fleet.retiring() ? lastCycleNanos + Waiting.ROUTER_MAX_PARK_NANOS : Long.MAX_VALUE;
    }

    /** Role holder: @return when timed work (retry, rate-limit refill, watchdog) next falls due. */
    long nextTimedWorkNanos()
    {
        long at = Math.min(limits.nextThrottleWakeNanos, outcomes.retries.nextDueNanos());
        if (nextWatchdogNanos - at < 0 && hasRunningWork())
        {
            at = nextWatchdogNanos;
        }
        return at;
    }

    /**
     * @return true if a watchdog pass could find anything: a live task with a TTL or a timeout, or live tasks while
     *     ejection or slow start make routing depend on the clock. Otherwise the router thread sleeps until woken.
     */
    private boolean hasRunningWork()
    {
        return liveRecords > 0 && (timedRecords > 0 || health.clockDependent());
    }

    /** Any thread (the counts are published with ordered stores or atomics). */
    dev.ringmaster.metrics.FaultCounts faults()
    {
        // fallbacks read before decisions: a decision is counted before its fallback, so a live read never shows
        // more fallbacks than decisions (equal must mean that the strategy placed nothing)
        final long fallbacks = engine.counters.strategyFallbacks.get();
        final long decisions = engine.counters.strategyDecisions.get();
        return new dev.ringmaster.metrics.FaultCounts(engine.counters.strategyFaults.get(),
            engine.counters.strategyCallbackFaults.get(), engine.counters.strategyQuarantines.get(),
            listener.errors(), outcomes.deliveryFaults(), engine.signals.ignoredCompletions.get(), decisions, fallbacks);
    }

    /** Any thread: @return the shadow's figures so far, or null if none runs. */
    dev.ringmaster.metrics.ShadowStats shadowStats()
    {
        final Shadow shadow = selection.shadow();
        final Counters c = engine.counters;
        return shadow == null ? null : new dev.ringmaster.metrics.ShadowStats(shadow.name, c.shadowDecisions.get(),
            c.shadowAgreements.get(), c.shadowFaults.get(), c.shadowRegretSamples.get(), c.shadowRegretNanos.get());
    }

    /** Called as a thread takes the role. @return the token for {@link #exitRole}. */
    long enterRole()
    {
        return engine.stages.enter();
    }

    void exitRole(final long token)
    {
        engine.stages.exit(token);
    }

    /**
     * Takes up to {@code limit} published submissions from the ring. Not Disruptor's {@code EventPoller}: it finds the
     * highest published sequence over everything the producers claimed, which on a full ring of 65,536 means scanning
     * them all to process a batch of 256, on every cycle.
     */
    private void pollIngress(final int limit)
    {
        final RingBuffer<IngressEvent> ring = engine.ring;
        final long next = consumed.get() + 1;
        final long cursor = ring.getCursor();
        if (cursor < next)
        {
            return;
        }
        final long upper = cursor - next >= limit ? next + limit - 1 : cursor;
        long seq = next;
        // isAvailable per slot stops at the first claimed-but-unpublished one, as the batch must
        while (seq <= upper && ring.isAvailable(seq))
        {
            try
            {
                onEvent(ring.get(seq), upper - seq);
            }
            catch (final Throwable t)
            {
                ingressFaults.report("failed on a submission; the event is skipped", t);
            }
            seq++;
        }
        if (seq > next)
        {
            consumed.set(seq - 1); // ordered store: the producers may reuse these slots now
        }
        batchCapHit |= seq > upper && upper < cursor;
    }

    /** A setting for an agent type no lane has: legal (an agent may be added later), far more often a misspelt type. */
    private void warnIfNoAgent(final String type, final String setting)
    {
        if (java.util.Arrays.stream(lanes).noneMatch(lane -> lane.type.equals(type)))
        {
            LOG.warn("{}: no agent has that type (the types are {}); it applies once an agent of that type is added; " +
                "if the name is misspelt, give one of these", setting,
                java.util.Arrays.stream(lanes).map(lane -> lane.type).sorted().toList());
        }
    }

    /** Reads every event published so far, for the shutdown sweep: each is accepted, then cancelled. */
    void drainIngress()
    {
        pollIngress(Integer.MAX_VALUE);
    }

    /** @param behind events after this one in the batch being read: they compete with it for room. */
    private void onEvent(final IngressEvent event, final long behind)
    {
        final TaskRecord r = acquire();
        r.init(event.task, event.lane, ++sequence, event.submitNanos, event.future);
        r.liveIdCell = event.liveIdCell;
        if (r.task.ttlNanos() != 0 || r.task.timeoutNanos() != 0)
        {
            timedRecords++;
        }
        event.clear();
        pending++;
        final long now = System.nanoTime();
        engine.stages.working(now);
        try
        {
            accept(r, now, behind);
        }
        catch (final Throwable t)
        {
            // a bug, not a plugin (listeners contain their own faults): the task still gets its one terminal state
            ingressFaults.report("failed while accepting a task; it is cancelled", t);
            if (r.task != null) // not if it reached its terminal state (and was recycled) before the failure
            {
                outcomes.cancel(r, now, "the dispatcher failed while accepting it: " + t);
            }
        }
    }

    private void accept(final TaskRecord r, final long now, final long behind)
    {
        Counters.increment(engine.counters.accepted);
        engine.tally.accepted(r);
        if (control.runState >= Control.STOPPING && outcomes.swept)
        {
            listener.onAccepted(r, now);
            outcomes.cancelArrivedAtShutdown(r, now);
        }
        else if (r.expiredAt(now))
        {
            listener.onAccepted(r, now);
            outcomes.expire(r, now, "time to live passed before the task reached a queue");
        }
        else if (!placement.placeDirect(r, now, behind)) // placed at once, it announces acceptance and assignment together
        {
            listener.onAccepted(r, now);
            r.lane.enqueue(r, now);
        }
    }

    /** Batches of completions a command folds in before it applies: every slot of the largest fleet. */
    private static final int MAX_FOLD_BATCHES = Engine.MAX_FLEET_SLOTS / 256;

    /**
     * Commands one duty cycle applies at most; the rest wait for the next cycle, after this one's placement. Why: a
     * command can cost O(queue) (finding a task means a pass over its queue) and callers may send them faster than
     * they are applied (a hedger re-asking every millisecond where each of hundreds of queued tasks is): a loop until
     * the command queue is empty then never reached placement, so idle agents stayed idle with hundreds of tasks
     * queued for seconds, and metrics readers waited on the holder all that time.
     */
    static final int COMMAND_BATCH = 64;

    private int applyCommands(final long now)
    {
        int work = 0;
        int applied = 0;
        Command<?> c;
        while (applied < COMMAND_BATCH && (c = engine.commands.relaxedPoll()) != null)
        {
            applied++;
            work++;
            // a task submitted before the command was queued must be visible to it (cancel, locate, re-prioritize):
            // its publication happened before the command's, so one more poll of the ring brings it in
            pollIngress(Integer.MAX_VALUE);
            // likewise an attempt that ended before it (its completion still queued, which a worker may leave there
            // for a while): folded in first, or a lookup would find the task nowhere between its slot and its end
            int batches = 0;
            do
            {
                work += outcomes.drainSignals(now);
            }
            while (outcomes.signalCapHit && ++batches < MAX_FOLD_BATCHES);
            try
            {
                c.apply(this, now);
            }
            catch (final RuntimeException e)
            {
                c.future.completeExceptionally(e);
            }
        }
        if (fleet.retiring())
        {
            work += fleet.completeRetirements();
        }
        return work;
    }

    // ---------------------------------------------------------------- commands, applied by the role's holder

    AgentState addAgent(final dev.ringmaster.model.AgentSpec spec, final dev.ringmaster.spi.AgentAdapter adapter)
    {
        return fleet.addAgent(spec, adapter);
    }

    void retire(final String agentId, final java.util.concurrent.CompletableFuture<dev.ringmaster.spi.AgentView> future,
                final long now)
    {
        fleet.retire(agentId, future, now);
    }

    boolean crash(final String agentId, final String reason, final long now)
    {
        return fleet.crash(agentId, reason, now);
    }

    int setPaused(final String type, final boolean paused)
    {
        return fleet.setPaused(type, paused);
    }

    dev.ringmaster.dispatch.ReprioritizeOutcome reprioritize(final long taskId, final int newLevel, final long now)
    {
        return lookups.reprioritize(taskId, newLevel, now);
    }

    dev.ringmaster.dispatch.CancelOutcome cancel(final long taskId, final long now)
    {
        return lookups.cancel(taskId, now);
    }

    String whereIs(final long taskId)
    {
        return lookups.whereIs(taskId);
    }

    // ---------------------------------------------------------------- record pool

    TaskRecord acquire()
    {
        liveRecords++;
        if (freeCount == 0)
        {
            return new TaskRecord();
        }
        final TaskRecord r = free[--freeCount];
        free[freeCount] = null; // a record the pool may drop later must not stay reachable from here
        return r;
    }

    void release(final TaskRecord r)
    {
        if (r.task != null && (r.task.ttlNanos() != 0 || r.task.timeoutNanos() != 0))
        {
            timedRecords--;
        }
        liveRecords--;
        r.clear();
        if (freeCount == free.length)
        {
            if (freeCount >= maxSpareRecords)
            {
                return; // a burst above the pool's bound: this record goes to the collector
            }
            free = java.util.Arrays.copyOf(free, Math.min(2 * freeCount, maxSpareRecords)); // only while it grows
        }
        free[freeCount++] = r;
    }
}
