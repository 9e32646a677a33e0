package dev.ringmaster.dispatch.internal;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import dev.ringmaster.dispatch.DeadLetter;
import dev.ringmaster.dispatch.ResultHandler;
import dev.ringmaster.dispatch.TaskResult;
import dev.ringmaster.dispatch.TerminalState;
import dev.ringmaster.model.Priority;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.RoutingStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The single writer of all routing state: drains the ingress ring into the lanes, places queued tasks on agents,
 * folds finished attempts back in, retries, expires, times out and cancels. Runs on one thread; nothing here is
 * shared without a hand-over described in {@link TaskRecord}.
 *
 * <p>Aging bound ({@link Aging}): within a lane, the head of any waiting level is dispatched within
 * {@code agingQuantum + 3} dispatches of its lane once an agent able to take it has room.
 */
final class Router
{
    private static final Logger LOG = LoggerFactory.getLogger(Router.class);
    private static final int DISPATCH_BATCH = 256;
    private static final int INGRESS_BATCH = 256;
    private static final int SIGNAL_BATCH = 256;

    private final Engine engine;
    private final Control control;
    /** The last ingress sequence fully processed; the ring's gating sequence, so producers never overwrite a live event. */
    private final Sequence consumed;
    /** The router's own copies of the fleet arrays; it is their only writer and republishes them to the engine. */
    private Lane[] lanes;
    private AgentState[] agents;
    private final java.util.List<Retirement> retirements = new ArrayList<>();
    private final java.util.Map<String, TokenBucket> typeBuckets = new java.util.HashMap<>();
    private final java.util.Map<String, TokenBucket> tenantBuckets = new java.util.HashMap<>();
    private final dev.ringmaster.dispatch.OutlierEjection ejection;
    private final long slowStartNanos;
    private final double slowStartMinFactor;
    private long nextOutlierSweepNanos;
    /** Written and read by the router only (its idle strategy asks on the router thread). */
    private long nextThrottleWakeNanos = Long.MAX_VALUE;
    /** Set by takeWaiting: the task it returned was waiting out a retry back-off. */
    private boolean takenFromRetries;
    private final Signals signals;
    private final RoutingStrategy strategy;
    private final String strategyName;
    private final Listeners listener;
    private final ResultHandler resultHandler;
    private final StageRecorders stages;
    private final Counters counters;
    private final ParkingIdleStrategy[] workerIdles;
    private final boolean[] wakeWorker;
    private final int agingQuantum;
    private final long retryBaseNanos;
    private final long retryMaxNanos;
    private final long watchdogIntervalNanos;
    private final SplittableRandom random;

    private final RetryHeap retries = new RetryHeap();
    private final CandidateSet candidates = new CandidateSet();
    private final RoutingDecision decision = new RoutingDecision();
    private TaskRecord freeList;
    private long sequence;
    private long nextWatchdogNanos;
    private boolean swept;
    /** Consecutive failed decisions before the strategy is quarantined, and for how long. */
    static final int QUARANTINE_AFTER_FAULTS = 16;
    static final long QUARANTINE_NANOS = 10_000_000_000L;
    private int strategyFaultsInARow;
    private boolean strategyQuarantined;
    private long strategyQuarantinedUntilNanos;
    private final FaultLog strategyFaults;
    private final FaultLog resultHandlerFaults = new FaultLog(LOG, "result handler");
    private final FaultLog ingressFaults = new FaultLog(LOG, "router");

    Router(final Engine engine, final Sequence consumed, final RoutingStrategy strategy,
           final Listeners listener, final ResultHandler resultHandler, final ParkingIdleStrategy[] workerIdles,
           final EngineConfig config)
    {
        this.engine = engine;
        this.control = engine.control;
        this.consumed = consumed;
        this.lanes = engine.lanes;
        this.agents = engine.agents;
        this.signals = engine.signals;
        this.stages = engine.stages;
        this.counters = engine.counters;
        this.strategy = strategy;
        this.strategyName = strategy.name();
        this.strategyFaults = new FaultLog(LOG, "routing strategy '" + strategyName + "'");
        this.listener = listener;
        this.resultHandler = resultHandler;
        this.workerIdles = workerIdles;
        this.wakeWorker = new boolean[workerIdles.length];
        this.agingQuantum = config.agingQuantum;
        this.retryBaseNanos = config.retryBaseNanos;
        this.retryMaxNanos = config.retryMaxNanos;
        this.watchdogIntervalNanos = config.watchdogIntervalNanos;
        this.random = new SplittableRandom(config.seed);
        this.ejection = config.outlierEjection;
        this.slowStartNanos = config.slowStartNanos;
        this.slowStartMinFactor = config.slowStartMinFactor;
        final long start = System.nanoTime();
        for (final dev.ringmaster.dispatch.RateLimit limit : config.rateLimits)
        {
            final TokenBucket bucket = new TokenBucket(limit, start);
            (limit.scope() == dev.ringmaster.dispatch.RateLimit.Scope.TYPE ? typeBuckets : tenantBuckets).put(limit.name(), bucket);
        }
        for (final Lane lane : lanes)
        {
            lane.bucket = typeBuckets.get(lane.type);
            lane.aging = new Aging(agingQuantum);
        }
        engine.buckets = new ArrayList<>(typeBuckets.values());
        engine.buckets.addAll(tenantBuckets.values());
        for (int i = 0; i < config.preallocatedRecords; i++)
        {
            release(new TaskRecord());
        }
        liveRecords = 0; // the pool's records were released without ever being acquired
    }

    /** One duty cycle. @return the amount of work done, 0 when idle. */
    int doWork()
    {
        int work = 0;
        batchCapHit = false;
        pollIngress(INGRESS_BATCH);
        work += pending;
        pending = 0;
        long now = System.nanoTime();
        work += applyCommands(now);
        work += drainSignals(now);
        work += releaseDueRetries(now);
        if (control.runState >= Control.STOPPING)
        {
            if (!swept)
            {
                sweepForShutdown(now);
            }
        }
        else
        {
            nextThrottleWakeNanos = Long.MAX_VALUE;
            work += dispatch(now);
        }
        batchCapHit |= signalCapHit;
        if (!retirements.isEmpty())
        {
            work += completeRetirements(); // after the completions: a retiring agent's last one may have come in now
        }
        now = System.nanoTime();
        if (now - nextWatchdogNanos >= 0)
        {
            nextWatchdogNanos = now + watchdogIntervalNanos;
            work += watchdog(now);
            work += sweepExpired(now);
            if (now - nextOutlierSweepNanos >= 0)
            {
                nextOutlierSweepNanos = now + 100_000_000L;
                sweepLatencyOutliers(now);
            }
        }
        return work;
    }

    /** @return true if anything waits for the routing role; the router thread's safety net (any thread, racy). */
    boolean workPending()
    {
        return engine.ring.getCursor() > consumed.get() || !signals.isEmpty() || !engine.commands.isEmpty();
    }

    /** Role holder: @return true if the last cycle stopped at a batch cap with more placeable work behind it. */
    boolean morePending()
    {
        return batchCapHit;
    }

    /** Role holder: @return when timed work (retry, rate-limit refill, watchdog) next falls due. */
    long nextTimedWorkNanos()
    {
        long at = Math.min(nextThrottleWakeNanos, retries.nextDueNanos());
        if (nextWatchdogNanos - at < 0 && hasRunningWork())
        {
            at = nextWatchdogNanos;
        }
        return at;
    }

    /** @return true if a watchdog pass could find anything: some task is queued or running. */
    private boolean hasRunningWork()
    {
        return liveRecords > 0;
    }

    /** Any thread (the counts are published with ordered stores or atomics). */
    dev.ringmaster.metrics.FaultCounts faults()
    {
        return new dev.ringmaster.metrics.FaultCounts(counters.strategyFaults.get(), counters.strategyQuarantines.get(),
            listener.errors(), resultHandlerFaults.total());
    }

    /** Called as a thread takes the role. @return the token for {@link #exitRole}. */
    long enterRole()
    {
        return stages.enter();
    }

    void exitRole(final long token)
    {
        stages.exit(token);
    }

    private int pending;
    /** Records taken from the pool and not yet back: accepted tasks not terminal (plus detached copies' originals). */
    private int liveRecords;
    private boolean batchCapHit;
    private boolean signalCapHit;

    // ---------------------------------------------------------------- ingress

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
                onEvent(ring.get(seq));
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

    private void onEvent(final IngressEvent event)
    {
        final TaskRecord r = acquire();
        r.init(event.task, event.lane, ++sequence, event.submitNanos, event.future);
        event.clear();
        pending++;
        final long now = System.nanoTime();
        Counters.increment(counters.accepted);
        listener.onAccepted(r, now);
        if (control.runState >= Control.STOPPING && swept)
        {
            cancel(r, now, "dispatcher shut down before the task could start");
        }
        else if (r.expiredAt(now))
        {
            expire(r, now, "time to live passed before the task reached a queue");
        }
        else
        {
            r.lane.enqueue(r, now);
        }
    }

    // ---------------------------------------------------------------- placement

    private int dispatch(final long now)
    {
        int work = 0;
        for (final Lane lane : lanes)
        {
            if (lane.room > 0 && !lane.paused)
            {
                work += dispatchLane(lane, now);
            }
        }
        for (int w = 0; w < wakeWorker.length; w++)
        {
            if (wakeWorker[w])
            {
                wakeWorker[w] = false;
                workerIdles[w].wake();
            }
        }
        return work;
    }

    private int dispatchLane(final Lane lane, final long now)
    {
        int dispatched = 0;
        while (lane.room > 0 && dispatched < DISPATCH_BATCH)
        {
            final int outcome = placeOne(lane, now);
            if (outcome == 0)
            {
                break;
            }
            dispatched++;
        }
        batchCapHit |= dispatched == DISPATCH_BATCH;
        return dispatched;
    }

    /** @return 1 if a task was placed or expired, 0 if nothing in the lane can be placed now. */
    private int placeOne(final Lane lane, final long now)
    {
        final int aged = lane.aging.agedLevel(lane.waiting);
        if (aged >= 0)
        {
            final int r = tryLevel(lane, aged, now);
            if (r != 0)
            {
                return r;
            }
        }
        for (int level = 0; level < Priority.COUNT; level++)
        {
            final int r = tryLevel(lane, level, now);
            if (r != 0)
            {
                return r;
            }
        }
        return 0;
    }

    private int tryLevel(final Lane lane, final int level, final long now)
    {
        if (lane.backlogged[level] > 0)
        {
            final int placed = tryBacklogs(lane, level, now);
            if (placed != 0)
            {
                return placed;
            }
        }
        // tasks set aside for want of a free skilled agent are older than the queue's head: they go first
        for (int i = 0; i < lane.deferredCount[level]; i++)
        {
            final TaskRecord r = lane.deferred[level][i];
            if (r.expiredAt(now))
            {
                lane.removeDeferred(level, i);
                expire(r, now, "time to live passed while queued");
                return 1;
            }
            if (lane.bucket != null && !allows(lane.bucket, r, now))
            {
                return 0; // the whole type is over its limit: nothing of it starts until the bucket refills
            }
            final TokenBucket tenant = tenantBucket(r);
            if (tenant != null && !allows(tenant, r, now))
            {
                continue;
            }
            final AgentState agent = route(lane, r, now);
            if (agent != null)
            {
                lane.removeDeferred(level, i);
                takeTokens(lane, tenant, r);
                dispatched(lane, level, r, agent, now);
                return 1;
            }
        }
        final var queue = lane.queues[level];
        while (true)
        {
            final TaskRecord head = queue.relaxedPeek();
            if (head == null)
            {
                return 0;
            }
            if (head.expiredAt(now))
            {
                queue.relaxedPoll();
                expire(head, now, "time to live passed while queued");
                return 1;
            }
            if (lane.bucket != null && !allows(lane.bucket, head, now))
            {
                return 0; // the type is over its limit; the task waits in its queue, it is not dropped
            }
            final TokenBucket tenant = tenantBucket(head);
            if (tenant != null && (lane.hasBacklog(level, head.task.tenant()) || !allows(tenant, head, now)))
            {
                // its tenant is over its limit (or already has older tasks waiting for it): queue it behind them,
                // out of the way of other tenants' tasks
                queue.relaxedPoll();
                lane.backlog(level, head.task.tenant()).tasks.addLast(head);
                lane.backlogged[level]++;
                continue;
            }
            final AgentState agent = route(lane, head, now);
            if (agent != null)
            {
                queue.relaxedPoll();
                takeTokens(lane, tenant, head);
                dispatched(lane, level, head, agent, now);
                return 1;
            }
            // the lane has room (the caller checked) but not on an agent able to take the head now (skills, its
            // tenant's limit, a declining strategy): set the head aside so the tasks behind it can use the free
            // agents, instead of blocking the whole level
            if (!lane.defer(head))
            {
                return 0;
            }
            queue.relaxedPoll();
        }
    }

    /** Tries the oldest task of each throttled tenant at a level. @return 1 if one was placed or expired. */
    private int tryBacklogs(final Lane lane, final int level, final long now)
    {
        for (final Lane.TenantBacklog backlog : lane.backlogs[level])
        {
            final TaskRecord r = backlog.tasks.peekFirst();
            if (r == null)
            {
                continue;
            }
            if (r.expiredAt(now))
            {
                backlog.tasks.pollFirst();
                lane.backlogged[level]--;
                expire(r, now, "time to live passed while its tenant was over its rate limit");
                return 1;
            }
            if (lane.bucket != null && !allows(lane.bucket, r, now))
            {
                return 0;
            }
            final TokenBucket tenant = tenantBucket(r);
            if (tenant != null && !allows(tenant, r, now))
            {
                continue;
            }
            final AgentState agent = route(lane, r, now);
            if (agent != null)
            {
                backlog.tasks.pollFirst();
                lane.backlogged[level]--;
                takeTokens(lane, tenant, r);
                dispatched(lane, level, r, agent, now);
                return 1;
            }
        }
        return 0;
    }

    /** Asks a bucket, and remembers when a refused one will have refilled so the router does not sleep past it. */
    private boolean allows(final TokenBucket bucket, final TaskRecord r, final long now)
    {
        if (bucket.allows(r.task.costTokens(), now))
        {
            return true;
        }
        final long at = now + bucket.nanosUntilAllowed(r.task.costTokens());
        if (at - nextThrottleWakeNanos < 0)
        {
            nextThrottleWakeNanos = at;
        }
        return false;
    }

    /** @return when a rate limit will next let work through, Long.MAX_VALUE if none is holding anything back. */
    long nextWakeNanos()
    {
        return nextThrottleWakeNanos;
    }

    private TokenBucket tenantBucket(final TaskRecord r)
    {
        final String tenant = r.task.tenant();
        return tenant == null || tenantBuckets.isEmpty() ? null : tenantBuckets.get(tenant);
    }

    private static void takeTokens(final Lane lane, final TokenBucket tenant, final TaskRecord r)
    {
        final long cost = r.task.costTokens();
        if (lane.bucket != null)
        {
            lane.bucket.take(cost);
        }
        if (tenant != null)
        {
            tenant.take(cost);
        }
    }

    private void dispatched(final Lane lane, final int level, final TaskRecord r, final AgentState agent, final long now)
    {
        lane.aging.served(level, lane.waiting);
        assign(r, agent, now);
    }

    private AgentState route(final Lane lane, final TaskRecord r, final long now)
    {
        final AgentState[] pool = lane.agents;
        final long required = r.task.requiredSkills();
        final String target = r.task.targetAgent();
        final String avoid = r.task.avoidAgent();
        final CandidateSet c = candidates;
        c.reset(pool);
        for (int i = 0; i < pool.length; i++)
        {
            final AgentState a = pool[i];
            if (a.hasRoom() && a.hasSkills(required) && admits(a, now) &&
                (target == null || target.equals(a.spec.id())) && (avoid == null || !avoid.equals(a.spec.id())))
            {
                c.add(a, i);
            }
            else
            {
                c.skip(i);
            }
        }
        if (c.size() == 0)
        {
            return null;
        }
        decision.reset();
        final long t0 = System.nanoTime();
        int chosen;
        if (strategyQuarantined && now - strategyQuarantinedUntilNanos < 0)
        {
            chosen = fallbackChoice(c);
        }
        else
        {
            try
            {
                chosen = strategy.select(r, c, decision);
                if (chosen != RoutingStrategy.DECLINE && (chosen < 0 || chosen >= c.size()))
                {
                    chosen = strategyFailed(now, c, "returned index " + chosen + " for " + c.size() + " candidates", null);
                }
                else
                {
                    strategyFaultsInARow = 0;
                }
            }
            catch (final Throwable e)
            {
                chosen = strategyFailed(now, c, "threw", e);
            }
        }
        stages.record(Stage.ROUTING, System.nanoTime() - t0);
        if (chosen == RoutingStrategy.DECLINE)
        {
            return null;
        }
        return c.agent(chosen);
    }

    /** The built-in choice when the strategy failed or is quarantined: the candidate with the fewest tasks in flight. */
    private static int fallbackChoice(final CandidateSet c)
    {
        int best = 0;
        for (int i = 1; i < c.size(); i++)
        {
            if (c.agent(i).assigned < c.agent(best).assigned)
            {
                best = i;
            }
        }
        return best;
    }

    private int strategyFailed(final long now, final CandidateSet c, final String what, final Throwable e)
    {
        counters.strategyFaults.lazySet(counters.strategyFaults.get() + 1);
        if (++strategyFaultsInARow >= QUARANTINE_AFTER_FAULTS)
        {
            // a strategy that keeps failing costs a fault per task: route with the fallback for a while, then probe
            strategyFaultsInARow = 0;
            strategyQuarantined = true;
            strategyQuarantinedUntilNanos = now + QUARANTINE_NANOS;
            counters.strategyQuarantines.lazySet(counters.strategyQuarantines.get() + 1);
            strategyFaults.report(what + " " + QUARANTINE_AFTER_FAULTS + " decisions in a row; quarantined for " +
                QUARANTINE_NANOS / 1_000_000_000L + " s, routing with the built-in least-in-flight choice meanwhile", e);
        }
        else
        {
            strategyFaults.report(what + "; this decision falls back to the candidate with the fewest tasks in flight", e);
        }
        return fallbackChoice(c);
    }

    /** Outlier ejection and slow start, checked only for agents that are in either state. */
    private boolean admits(final AgentState a, final long now)
    {
        if (a.ejectedUntilNanos != 0)
        {
            if (now - a.ejectedUntilNanos < 0)
            {
                return false;
            }
            a.ejectedUntilNanos = 0;
            a.ejected = false;
            a.consecutiveFailures = 0;
            LOG.info("agent '{}' readmitted to routing after ejection #{}", a.id(), a.ejections);
        }
        if (a.slowStartFromNanos != 0)
        {
            final long age = now - a.slowStartFromNanos;
            if (age < 0)
            {
                return false;
            }
            if (age >= slowStartNanos)
            {
                a.slowStartFromNanos = 0;
                return true;
            }
            // the agent's share ramps linearly from minFactor to 1 by capping what it may hold
            final double factor = slowStartMinFactor + (1 - slowStartMinFactor) * ((double)age / slowStartNanos);
            return a.assigned < Math.max(1, (int)Math.ceil(a.limit * factor));
        }
        return true;
    }

    private void noteFailure(final AgentState agent, final long now)
    {
        if (ejection == null || ejection.consecutiveFailures() == 0)
        {
            return;
        }
        if (++agent.consecutiveFailures >= ejection.consecutiveFailures() && !agent.ejected)
        {
            eject(agent, now, agent.consecutiveFailures + " failures in a row");
        }
    }

    private void eject(final AgentState agent, final long now, final String why)
    {
        final AgentState[] pool = agent.lane.agents;
        int ejectedNow = 0;
        for (final AgentState a : pool)
        {
            if (a.ejected)
            {
                ejectedNow++;
            }
        }
        if (ejectedNow + 1 > (int)Math.floor(pool.length * ejection.maxEjectedFraction()))
        {
            return; // never take more than the allowed share of a type out of routing
        }
        agent.ejections++;
        final long period = ejection.baseEjection().toNanos() * Math.min(10, agent.ejections);
        agent.ejectedUntilNanos = now + period;
        agent.ejected = true;
        if (slowStartNanos > 0)
        {
            agent.slowStartFromNanos = agent.ejectedUntilNanos; // it comes back ramping up, not at full share
        }
        Counters.increment(counters.ejections);
        LOG.warn("agent '{}' ejected from routing for {} ms: {}", agent.id(), period / 1_000_000, why);
    }

    /** Ejects agents whose latency is far above their type's mean; a periodic O(agents) sweep, not per task. */
    private void sweepLatencyOutliers(final long now)
    {
        if (ejection == null || ejection.latencyFactor() == 0)
        {
            return;
        }
        for (final Lane lane : lanes)
        {
            final AgentState[] pool = lane.agents;
            if (pool.length < 3)
            {
                continue; // with two agents "far above the others" is just "the slower one"
            }
            // one pass for the type's total, then each agent against the mean of the others: O(n), not O(n^2)
            double total = 0;
            int counted = 0;
            for (final AgentState a : pool)
            {
                if (!a.ejected && a.ewmaLatencyNanos > 0)
                {
                    total += a.ewmaLatencyNanos;
                    counted++;
                }
            }
            for (final AgentState a : pool)
            {
                if (a.ejected || a.completed.get() < ejection.minSamples())
                {
                    continue;
                }
                final boolean inTotal = a.ewmaLatencyNanos > 0;
                final double sum = inTotal ? total - a.ewmaLatencyNanos : total;
                final int n = inTotal ? counted - 1 : counted;
                if (n > 0 && a.ewmaLatencyNanos > ejection.latencyFactor() * (sum / n))
                {
                    eject(a, now, String.format("latency EWMA %.0f us, over %.1fx the mean of its type (%.0f us)",
                        a.ewmaLatencyNanos / 1e3, ejection.latencyFactor(), sum / n / 1e3));
                }
            }
        }
    }


    private void assign(final TaskRecord r, final AgentState agent, final long now)
    {
        agent.assigned++;
        agent.tokensInFlight += r.task.costTokens();
        r.lane.room--;
        r.assignedTo = agent;
        r.assignedNanos = now;
        stages.record(Stage.QUEUE_WAIT, now - r.enqueuedNanos);
        Counters.increment(counters.assigned);
        listener.onAssigned(r, agent, strategyName, decision.score(), decision.runnerUp(), now);
        agent.inbox.put(r);
        wakeWorker[agent.workerIndex] = true;
    }

    private void unassign(final TaskRecord r)
    {
        final AgentState agent = r.assignedTo;
        agent.assigned--;
        agent.tokensInFlight -= r.task.costTokens();
        if (!agent.retiring)
        {
            r.lane.room++; // a retiring agent's room was taken out of the lane when it began to drain
        }
    }

    // ---------------------------------------------------------------- results

    private int drainSignals(final long now)
    {
        int work = 0;
        TaskRecord r;
        signalCapHit = false;
        while (work < SIGNAL_BATCH && (r = signals.poll()) != null)
        {
            work++;
            unassign(r);
            if (r.outcome == TaskRecord.OUTCOME_EXPIRED)
            {
                expire(r, now, "time to live passed in the inbox of agent '" + r.assignedTo.id() + "'");
                continue;
            }
            final AgentState exec = r.executedBy;
            announceStart(r, exec);
            final long execNanos = r.finishNanos - r.startNanos;
            exec.consecutiveTimeouts = 0; // it answered, so it has not stopped answering
            if (r.outcome == TaskRecord.OUTCOME_SUCCEEDED)
            {
                exec.consecutiveFailures = 0;
                exec.recordSuccess(execNanos, r.tokensUsed, r.quality, now);
                stages.record(Stage.EXECUTION, execNanos);
                stages.record(Stage.END_TO_END, r.finishNanos - r.acceptedNanos);
                terminal(r, TerminalState.COMPLETED, null, now);
            }
            else
            {
                exec.recordFailure(execNanos);
                noteFailure(exec, now);
                failAttempt(r, exec, "agent '" + exec.id() + "' failed: " + r.error, now);
            }
        }
        signalCapHit = work == SIGNAL_BATCH;
        return work;
    }

    private void announceStart(final TaskRecord r, final AgentState exec)
    {
        r.startedAttempts++;
        r.lastAgent = exec;
        if (r.stolenFrom != null)
        {
            Counters.increment(counters.stolen);
            exec.stolenIn.lazySet(exec.stolenIn.get() + 1);
            listener.onStolen(r, r.stolenFrom, exec, r.startNanos);
        }
        listener.onStarted(r, exec, r.startNanos);
    }

    private int watchdog(final long now)
    {
        int work = 0;
        for (final AgentState agent : agents)
        {
            for (final Slot slot : agent.slots)
            {
                final long s = slot.stateVolatile();
                if (Slot.phase(s) == Slot.RUNNING && now - slot.deadlineNanos > 0)
                {
                    final TaskRecord held = slot.record;
                    if (held != null && slot.abandon(s))
                    {
                        // the hung adapter may still read its TaskView until it completes, if ever: the task goes on
                        // in a copy, and the original is never recycled (the garbage collector takes it once the
                        // adapter lets go); a timeout is rare, so this allocation is off the steady state
                        final TaskRecord r = held.detachedCopy();
                        work++;
                        Counters.increment(counters.timedOut);
                        r.finishNanos = now;
                        unassign(r);
                        announceStart(r, agent);
                        agent.recordFailure(now - r.startNanos);
                        noteFailure(agent, now);
                        final Restarter restarter = engine.restarter;
                        // a hung agent keeps its slots, so it can time out at most capacity attempts in a row
                        if (restarter != null && !agent.retiring && ++agent.consecutiveTimeouts >=
                            Math.min(restarter.timeoutsBeforeRestart(), agent.slots.length))
                        {
                            crash(agent, agent.consecutiveTimeouts + " attempts in a row timed out", now);
                        }
                        failAttempt(r, agent, "timed out after " + (r.task.timeoutNanos() / 1_000_000) +
                            " ms on agent '" + agent.id() + "'", now);
                    }
                }
            }
        }
        return work;
    }

    private void failAttempt(final TaskRecord r, final AgentState agent, final String reason, final long now)
    {
        Counters.increment(counters.failedAttempts);
        listener.onFailed(r, agent, reason, now);
        if (control.runState >= Control.STOPPING)
        {
            cancel(r, now, "dispatcher shut down before a retry; last failure: " + reason);
        }
        else if (r.attempt > r.task.maxRetries())
        {
            terminal(r, TerminalState.DEAD_LETTERED, "failed " + r.attempt + " attempt(s); last: " + reason, now);
        }
        else
        {
            final long backoff = Math.min(retryMaxNanos, retryBaseNanos << Math.min(30, r.attempt - 1));
            // jitter in [backoff/2, backoff): retries of tasks that failed together do not come back together
            final long delay = (backoff >> 1) + (long)(random.nextDouble() * (backoff >> 1));
            r.attempt++;
            r.retryAtNanos = now + delay;
            r.lastFailure = reason;
            r.clearAttempt();
            Counters.increment(counters.retried);
            listener.onRetried(r, r.retryAtNanos, now);
            retries.add(r);
        }
    }

    private int releaseDueRetries(final long now)
    {
        int work = 0;
        TaskRecord r;
        while ((r = retries.pollDue(now)) != null)
        {
            work++;
            if (r.expiredAt(now))
            {
                expire(r, now, "time to live passed while waiting to retry; last failure: " + r.lastFailure);
            }
            else
            {
                r.lane.enqueue(r, now);
            }
        }
        return work;
    }

    /** Removes expired tasks from queues whose earliest deadline has passed; the queue order is kept. */
    private int sweepExpired(final long now)
    {
        int work = 0;
        for (final Lane lane : lanes)
        {
            for (int level = 0; level < Priority.COUNT; level++)
            {
                if (now - lane.earliestDeadline[level] > 0)
                {
                    long earliest = Long.MAX_VALUE;
                    final var q = lane.queues[level];
                    for (int n = q.size(); n > 0; n--)
                    {
                        final TaskRecord r = q.relaxedPoll();
                        if (r == null)
                        {
                            break;
                        }
                        if (r.expiredAt(now))
                        {
                            work++;
                            expire(r, now, "time to live passed while queued");
                        }
                        else
                        {
                            earliest = Math.min(earliest, r.deadlineNanos);
                            q.offer(r);
                        }
                    }
                    for (int i = lane.deferredCount[level] - 1; i >= 0; i--)
                    {
                        final TaskRecord r = lane.deferred[level][i];
                        if (r.expiredAt(now))
                        {
                            work++;
                            lane.removeDeferred(level, i);
                            expire(r, now, "time to live passed while queued");
                        }
                        else
                        {
                            earliest = Math.min(earliest, r.deadlineNanos);
                        }
                    }
                    for (final Lane.TenantBacklog backlog : lane.backlogs[level])
                    {
                        final var it = backlog.tasks.iterator();
                        while (it.hasNext())
                        {
                            final TaskRecord r = it.next();
                            if (r.expiredAt(now))
                            {
                                work++;
                                it.remove();
                                lane.backlogged[level]--;
                                expire(r, now, "time to live passed while its tenant was over its rate limit");
                            }
                            else
                            {
                                earliest = Math.min(earliest, r.deadlineNanos);
                            }
                        }
                    }
                    lane.earliestDeadline[level] = earliest;
                }
            }
        }
        return work;
    }

    // ---------------------------------------------------------------- shutdown

    private void sweepForShutdown(final long now)
    {
        final List<Task> cancelled = new ArrayList<>();
        for (final Lane lane : lanes)
        {
            for (int level = 0; level < Priority.COUNT; level++)
            {
                while (lane.deferredCount[level] > 0)
                {
                    final TaskRecord r = lane.removeDeferred(level, 0);
                    cancelled.add(r.task);
                    cancel(r, now, "dispatcher shut down before the task could start");
                }
                for (final Lane.TenantBacklog backlog : lane.backlogs[level])
                {
                    TaskRecord r;
                    while ((r = backlog.tasks.pollFirst()) != null)
                    {
                        lane.backlogged[level]--;
                        cancelled.add(r.task);
                        cancel(r, now, "dispatcher shut down before the task could start");
                    }
                }
                TaskRecord r;
                while ((r = lane.queues[level].relaxedPoll()) != null)
                {
                    cancelled.add(r.task);
                    cancel(r, now, "dispatcher shut down before the task could start");
                }
            }
        }
        for (final AgentState agent : agents)
        {
            TaskRecord r;
            while ((r = agent.inbox.takeMostUrgent()) != null)
            {
                unassign(r);
                cancelled.add(r.task);
                cancel(r, now, "dispatcher shut down before the task could start");
            }
        }
        retries.drainTo(r ->
        {
            cancelled.add(r.task);
            cancel(r, now, "dispatcher shut down before a retry; last failure: " + r.lastFailure);
        });
        swept = true;
        control.cancelledAtShutdown = cancelled; // volatile store: publishes the list to shutdownNow's caller
    }

    // ---------------------------------------------------------------- terminal states

    private void expire(final TaskRecord r, final long now, final String reason)
    {
        terminal(r, TerminalState.EXPIRED, reason, now);
    }

    private void cancel(final TaskRecord r, final long now, final String reason)
    {
        terminal(r, TerminalState.CANCELLED, reason, now);
    }

    private void terminal(final TaskRecord r, final TerminalState state, final String reason, final long now)
    {
        // first: a callback below may submit the same Task again (a retry by resubmission), which must be accepted
        engine.liveIds.remove(r.task.id());
        try
        {
            announceTerminal(r, state, reason, now);
        }
        finally
        {
            // last, and whatever a callback threw: once every admission is released a drain may return, and all
            // callbacks must have run by then
            r.lane.release(r.admissionLevel);
            release(r);
        }
    }

    private void announceTerminal(final TaskRecord r, final TerminalState state, final String reason, final long now)
    {
        final AgentState last = r.lastAgent;
        switch (state)
        {
            case COMPLETED:
                Counters.increment(counters.completed);
                listener.onCompleted(r, last, r.tokensUsed, now);
                break;
            case DEAD_LETTERED:
                Counters.increment(counters.deadLettered);
                listener.onDeadLettered(r, reason, now);
                engine.deadLetters.add(new DeadLetter(r.task, state, reason, r.startedAttempts,
                    last != null ? last.id() : null, System.currentTimeMillis()));
                break;
            case EXPIRED:
                Counters.increment(counters.expired);
                listener.onExpired(r, reason, now);
                engine.deadLetters.add(new DeadLetter(r.task, state, reason, r.startedAttempts,
                    last != null ? last.id() : null, System.currentTimeMillis()));
                break;
            default:
                Counters.increment(counters.cancelled);
                listener.onCancelled(r, reason, now);
                break;
        }
        if (resultHandler != null)
        {
            try
            {
                resultHandler.onResult(r, state, r.result, reason);
            }
            catch (final Throwable e)
            {
                resultHandlerFaults.report("threw for a task; its terminal state stands, dispatch goes on", e);
            }
        }
        if (r.future != null)
        {
            try
            {
                r.future.complete(new TaskResult(r.task, state, last != null ? last.id() : null, r.result, reason,
                    r.startedAttempts, r.tokensUsed, now - r.acceptedNanos));
            }
            catch (final Throwable e)
            {
                // dependent stages run inside complete(); the future itself is completed by now
                resultHandlerFaults.report("a stage depending on a task's future threw; dispatch goes on", e);
            }
        }
    }

    // ---------------------------------------------------------------- fleet changes (commands)

    private int applyCommands(final long now)
    {
        int work = 0;
        Command<?> c;
        while ((c = engine.commands.relaxedPoll()) != null)
        {
            work++;
            // a task submitted before the command was queued must be visible to it (cancel, locate, re-prioritize):
            // its publication happened before the command's, so one more poll of the ring brings it in
            pollIngress(Integer.MAX_VALUE);
            try
            {
                c.apply(this, now);
            }
            catch (final RuntimeException e)
            {
                c.future.completeExceptionally(e);
            }
        }
        if (!retirements.isEmpty())
        {
            work += completeRetirements();
        }
        return work;
    }

    AgentState addAgent(final dev.ringmaster.model.AgentSpec spec, final dev.ringmaster.spi.AgentAdapter adapter)
    {
        int slots = 0;
        for (final AgentState a : agents)
        {
            if (!a.removed && a.spec.id().equals(spec.id()))
            {
                throw new IllegalArgumentException("duplicate agent id '" + spec.id() + "': every agent needs its own id");
            }
            slots += a.removed ? 0 : a.limit;
        }
        if (slots + spec.capacity() + engine.config.prefetch > Engine.MAX_FLEET_SLOTS)
        {
            throw new IllegalArgumentException("adding '" + spec.id() + "' would exceed the " + Engine.MAX_FLEET_SLOTS +
                " slots one dispatcher supports; remove agents or use another dispatcher");
        }
        final int index = agents.length;
        final Worker[] workers = engine.workers;
        final int workerIndex = index % workers.length;
        final AgentState agent = new AgentState(index, spec, adapter, engine.config.prefetch, workerIndex, signals);
        agent.workerIdle = workers[workerIndex].idle;

        Lane lane = engine.lanesByType.get(spec.type());
        if (lane == null)
        {
            lane = new Lane(spec.type(), engine.config.queueCapacity, new AgentState[]{agent});
            lane.bucket = typeBuckets.get(spec.type());
            lane.aging = new Aging(agingQuantum);
            final Lane[] grown = java.util.Arrays.copyOf(lanes, lanes.length + 1);
            grown[lanes.length] = lane;
            lanes = grown;
            engine.lanes = grown;
            final java.util.Map<String, Lane> byType = new java.util.HashMap<>(engine.lanesByType);
            byType.put(spec.type(), lane);
            engine.lanesByType = byType; // volatile store: submitters see the lane with its agent
        }
        else
        {
            final AgentState[] pool = java.util.Arrays.copyOf(lane.agents, lane.agents.length + 1);
            pool[pool.length - 1] = agent;
            lane.agents = pool;
            lane.room += agent.limit;
            lane.refreshSkills();
        }
        agent.lane = lane;
        if (slowStartNanos > 0)
        {
            agent.slowStartFromNanos = System.nanoTime(); // a new agent ramps up instead of taking a full share at once
        }
        final AgentState[] all = java.util.Arrays.copyOf(agents, agents.length + 1);
        all[index] = agent;
        agents = all;
        engine.agents = all;
        final Worker worker = workers[workerIndex];
        final AgentState[] mine = java.util.Arrays.copyOf(worker.mine, worker.mine.length + 1);
        mine[mine.length - 1] = agent;
        worker.mine = mine; // volatile store: the worker starts driving the agent on its next duty cycle
        return agent;
    }

    void retire(final String agentId, final java.util.concurrent.CompletableFuture<dev.ringmaster.spi.AgentView> future,
                final long now)
    {
        final AgentState agent = find(agentId);
        if (agent.retiring)
        {
            throw new IllegalStateException("agent '" + agentId + "' is already being removed");
        }
        agent.retiring = true;
        final Lane lane = agent.lane;
        lane.room -= Math.max(0, agent.limit - agent.assigned);
        lane.refreshSkills();
        // what waits in its inbox goes back to the central queue, to be routed elsewhere; the CAS in the inbox makes
        // each record either started by the agent's worker or returned here, never both
        TaskRecord r;
        while ((r = agent.inbox.takeMostUrgent()) != null)
        {
            unassign(r);
            r.clearAttempt();
            lane.enqueue(r, now);
        }
        retirements.add(new Retirement(agent, future));
    }

    private int completeRetirements()
    {
        int work = 0;
        for (int i = retirements.size() - 1; i >= 0; i--)
        {
            final Retirement retirement = retirements.get(i);
            final AgentState agent = retirement.agent;
            // a worker may have started a last inbox task just before the agent began to retire: wait for it
            if (agent.assigned == 0 && agent.running() == 0 && agent.inbox.size() == 0)
            {
                final Lane lane = agent.lane;
                lane.agents = without(lane.agents, agent);
                final Worker worker = engine.workers[agent.workerIndex];
                worker.mine = without(worker.mine, agent);
                agent.removed = true;
                retirements.remove(i);
                retirement.future.complete(agent);
                work++;
            }
        }
        return work;
    }

    private static AgentState[] without(final AgentState[] array, final AgentState agent)
    {
        final AgentState[] out = new AgentState[array.length - 1];
        int n = 0;
        for (final AgentState a : array)
        {
            if (a != agent)
            {
                out[n++] = a;
            }
        }
        return out;
    }

    boolean crash(final String agentId, final String reason, final long now)
    {
        final AgentState agent = find(agentId);
        if (agent.retiring)
        {
            return false;
        }
        crash(agent, reason, now);
        return true;
    }

    /**
     * Takes a crashed agent out at once, without waiting for what it runs: hung attempts time out through the
     * watchdog (it keeps scanning the old agent's slots) and are retried elsewhere, and answers that still come are
     * processed as usual. Its factory brings a fresh agent with the same spec back after a back-off.
     */
    private void crash(final AgentState agent, final String reason, final long now)
    {
        agent.retiring = true;
        final Lane lane = agent.lane;
        lane.room -= Math.max(0, agent.limit - agent.assigned);
        TaskRecord r;
        while ((r = agent.inbox.takeMostUrgent()) != null)
        {
            unassign(r);
            r.clearAttempt();
            lane.enqueue(r, now);
        }
        lane.agents = without(lane.agents, agent);
        lane.refreshSkills();
        final Worker worker = engine.workers[agent.workerIndex];
        worker.mine = without(worker.mine, agent);
        agent.removed = true;
        Counters.increment(counters.crashes);
        if (engine.restarter != null)
        {
            engine.restarter.crashed(agent.spec, agent.adapter, reason);
        }
        else
        {
            LOG.error("agent '{}' crashed ({}) and no supervision is configured; it stays out of the fleet", agent.id(), reason);
        }
    }

    int setPaused(final String type, final boolean paused)
    {
        final Lane lane = engine.lanesByType.get(type);
        if (lane == null)
        {
            throw new IllegalArgumentException("unknown agent type '" + type + "'; known types: " + engine.lanesByType.keySet());
        }
        lane.paused = paused;
        int waiting = 0;
        for (int level = 0; level < Priority.COUNT; level++)
        {
            waiting += lane.depth(level);
        }
        return waiting;
    }

    private AgentState find(final String agentId)
    {
        for (final AgentState a : agents)
        {
            if (!a.removed && a.spec.id().equals(agentId))
            {
                return a;
            }
        }
        final List<String> known = new ArrayList<>();
        for (final AgentState a : agents)
        {
            if (!a.removed)
            {
                known.add(a.spec.id());
            }
        }
        throw new IllegalArgumentException("unknown agent '" + agentId + "'; known agents: " + known);
    }

    dev.ringmaster.dispatch.ReprioritizeOutcome reprioritize(final long taskId, final int newLevel, final long now)
    {
        final TaskRecord r = takeWaiting(taskId);
        if (r == null)
        {
            return whereRunning(taskId) != null ? dev.ringmaster.dispatch.ReprioritizeOutcome.ALREADY_RUNNING :
                dev.ringmaster.dispatch.ReprioritizeOutcome.NOT_FOUND;
        }
        final boolean moved = moveAdmission(r, newLevel);
        if (takenFromRetries)
        {
            retries.add(r); // still waiting out its back-off, now at the new priority
        }
        else
        {
            r.lane.enqueue(r, r.enqueuedNanos);
        }
        return moved ? dev.ringmaster.dispatch.ReprioritizeOutcome.MOVED : dev.ringmaster.dispatch.ReprioritizeOutcome.QUEUE_FULL;
    }

    dev.ringmaster.dispatch.CancelOutcome cancel(final long taskId, final long now)
    {
        final TaskRecord r = takeWaiting(taskId);
        if (r != null)
        {
            cancel(r, now, "cancelled on request before it started");
            return dev.ringmaster.dispatch.CancelOutcome.CANCELLED;
        }
        for (final AgentState agent : agents)
        {
            final TaskRecord inInbox = agent.inbox.take(taskId);
            if (inInbox != null)
            {
                unassign(inInbox);
                cancel(inInbox, now, "cancelled on request before it started");
                return dev.ringmaster.dispatch.CancelOutcome.CANCELLED;
            }
        }
        return whereRunning(taskId) != null ? dev.ringmaster.dispatch.CancelOutcome.RUNNING :
            dev.ringmaster.dispatch.CancelOutcome.NOT_FOUND;
    }

    /** @return the id of the agent holding the task (its inbox or a slot), "" if it waits centrally, null if unknown. */
    String whereIs(final long taskId)
    {
        final String agent = whereRunning(taskId);
        if (agent != null)
        {
            return agent;
        }
        return isWaiting(taskId) ? "" : null;
    }

    /** Read-only: looks for a waiting task without moving it (a full rotation of a queue restores its order). */
    private boolean isWaiting(final long taskId)
    {
        boolean found = false;
        for (final Lane lane : lanes)
        {
            for (int level = 0; level < Priority.COUNT; level++)
            {
                for (int i = 0; i < lane.deferredCount[level]; i++)
                {
                    found |= lane.deferred[level][i].task.id() == taskId;
                }
                for (final Lane.TenantBacklog backlog : lane.backlogs[level])
                {
                    for (final TaskRecord r : backlog.tasks)
                    {
                        found |= r.task.id() == taskId;
                    }
                }
                final var q = lane.queues[level];
                for (int n = q.size(); n > 0; n--)
                {
                    final TaskRecord r = q.relaxedPoll();
                    if (r == null)
                    {
                        break;
                    }
                    found |= r.task.id() == taskId;
                    q.offer(r);
                }
            }
        }
        return found || retries.find(taskId) != null;
    }

    private String whereRunning(final long taskId)
    {
        for (final AgentState agent : agents)
        {
            for (final Slot slot : agent.slots)
            {
                final TaskRecord r = slot.record;
                if (r != null && r.task != null && r.task.id() == taskId)
                {
                    return agent.id();
                }
            }
            if (agent.inbox.contains(taskId))
            {
                return agent.id();
            }
        }
        return null;
    }

    /**
     * Removes a task that waits centrally (queue, set-aside, tenant backlog or retry back-off) and returns it, or null.
     * O(waiting tasks): one rotation of each queue, which keeps the order of the others since the router is the
     * queues' only producer. For rare operator commands, never per task.
     */
    private TaskRecord takeWaiting(final long taskId)
    {
        takenFromRetries = false;
        for (final Lane lane : lanes)
        {
            for (int level = 0; level < Priority.COUNT; level++)
            {
                for (int i = 0; i < lane.deferredCount[level]; i++)
                {
                    if (lane.deferred[level][i].task.id() == taskId)
                    {
                        return lane.removeDeferred(level, i);
                    }
                }
                for (final Lane.TenantBacklog backlog : lane.backlogs[level])
                {
                    for (final TaskRecord r : backlog.tasks)
                    {
                        if (r.task.id() == taskId)
                        {
                            backlog.tasks.remove(r);
                            lane.backlogged[level]--;
                            return r;
                        }
                    }
                }
                final var q = lane.queues[level];
                TaskRecord found = null;
                for (int n = q.size(); n > 0; n--)
                {
                    final TaskRecord r = q.relaxedPoll();
                    if (r == null)
                    {
                        break;
                    }
                    if (found == null && r.task.id() == taskId)
                    {
                        found = r;
                    }
                    else
                    {
                        q.offer(r);
                    }
                }
                if (found != null)
                {
                    return found;
                }
            }
        }
        final TaskRecord retry = retries.find(taskId);
        if (retry != null)
        {
            retries.remove(retry);
            takenFromRetries = true;
        }
        return retry;
    }

    /** Moves the task's admission to the new level so that every queue stays within its capacity. */
    private static boolean moveAdmission(final TaskRecord r, final int newLevel)
    {
        if (newLevel == r.admissionLevel)
        {
            r.level = newLevel;
            r.urgency = TaskRecord.urgencyOf(newLevel, r.sequence);
            return true;
        }
        if (!r.lane.admit(newLevel))
        {
            return false;
        }
        r.lane.release(r.admissionLevel);
        r.admissionLevel = newLevel;
        r.level = newLevel;
        r.urgency = TaskRecord.urgencyOf(newLevel, r.sequence);
        return true;
    }

    /** A retiring agent and who waits for its removal. */
    private record Retirement(AgentState agent, java.util.concurrent.CompletableFuture<dev.ringmaster.spi.AgentView> future)
    {
    }

    // ---------------------------------------------------------------- record pool

    private TaskRecord acquire()
    {
        liveRecords++;
        final TaskRecord r = freeList;
        if (r == null)
        {
            return new TaskRecord();
        }
        freeList = r.nextFree;
        r.nextFree = null;
        return r;
    }

    private void release(final TaskRecord r)
    {
        liveRecords--;
        r.clear();
        r.nextFree = freeList;
        freeList = r;
    }
}
