package dev.ringmaster.dispatch.internal;

import dev.ringmaster.dispatch.DeadLetter;
import dev.ringmaster.dispatch.TerminalState;
import dev.ringmaster.metrics.FaultLog;
import dev.ringmaster.model.Priority;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.DispatchListener;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Outcomes: folds finished attempts in, retries with back-off and jitter, expires, cancels at shutdown, and takes
 * every task to exactly one terminal state (listeners, result handler and future, each contained). Routing role only.
 */
final class Outcomes extends RouterPart
{
    private static final int SIGNAL_BATCH = 256;

    final RetryHeap retries = new RetryHeap();
    private final Signals signals;
    private final Delivery delivery;
    private final SplittableRandom random;
    private final long retryBaseNanos;
    private final long retryMaxNanos;
    /** Set once shutdownNow's sweep ran: later submissions are cancelled as they come in. */
    boolean swept;
    /**
     * After shutdownNow stopped the adapters, how long an attempt still running may take to answer (a stop() that
     * aborts the call makes it fail at once); then it is cancelled. At most {@link #SHUTDOWN_GRACE_MAX_NANOS} after
     * the sweep, for a stop() that does not return.
     */
    static final long SHUTDOWN_GRACE_NANOS = 1_000_000_000L;
    static final long SHUTDOWN_GRACE_MAX_NANOS = 5_000_000_000L;
    private long sweptNanos;
    /** The list the shutdown sweep returns, while the sweep reads the ring: arrivals cancelled then go into it. */
    private List<Task> sweeping;
    private long stopsReturnedNanos;
    /** Set when the last drain of completions stopped at its batch cap. */
    boolean signalCapHit;

    Outcomes(final Router router, final Delivery delivery, final EngineConfig config)
    {
        super(router);
        this.signals = router.engine.signals;
        this.delivery = delivery;
        this.random = new SplittableRandom(config.seed);
        this.retryBaseNanos = config.retryBaseNanos;
        this.retryMaxNanos = config.retryMaxNanos;
    }

    /** @return faults of the result handler and future stages so far (any thread). */
    long deliveryFaults()
    {
        return delivery.faults.total();
    }

    int drainSignals(final long now)
    {
        int work = 0;
        TaskRecord r;
        signalCapHit = false;
        while (work < SIGNAL_BATCH && (r = signals.poll()) != null)
        {
            work++;
            router.placement.unassign(r);
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
                router.selection.telemetry(exec, now);
                stages.record(Stage.EXECUTION, execNanos);
                stages.record(Stage.END_TO_END, r.finishNanos - r.acceptedNanos);
                terminal(r, TerminalState.COMPLETED, null, now);
            }
            else
            {
                exec.recordFailure(execNanos);
                router.health.noteFailure(exec, now);
                failAttempt(r, exec, "agent '" + exec.id() + "' failed: " + FaultLog.describe(r.error), now);
            }
        }
        signalCapHit = work == SIGNAL_BATCH;
        return work;
    }

    void announceStart(final TaskRecord r, final AgentState exec)
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

    void failAttempt(final TaskRecord r, final AgentState agent, final String reason, final long now)
    {
        Counters.increment(counters.failedAttempts);
        // an answered failure at the time of the answer (as onCompleted); a timeout or crash sets none: now
        listener.onFailed(r, agent, reason, r.finishNanos != 0 ? r.finishNanos : now);
        // what follows the failure is decided after it: the cycle's clock, read before the worker answered, would
        // stamp the retry (or dead letter) before the failure it follows (a journal showed 16 of 394 retries so)
        final long decided = Math.max(now, r.finishNanos);
        // out of retries first: a task that failed for good is dead-lettered, shutdown or not; a journal keeps a task
        // the shutdown cancelled open for recovery, which would run it again with fresh retries
        if (r.attempt > r.task.maxRetries())
        {
            terminal(r, TerminalState.DEAD_LETTERED, "failed " + r.attempt + " attempt(s); last: " + reason, decided);
        }
        else if (control.runState >= Control.STOPPING)
        {
            cancel(r, decided, DispatchListener.SHUTDOWN_REASON_PREFIX + "a retry; last failure: " + reason);
        }
        else
        {
            final long backoff = backoffNanos(retryBaseNanos, retryMaxNanos, r.attempt);
            // jitter in [backoff/2, backoff): retries of tasks that failed together do not come back together
            final long delay = (backoff >> 1) + (long)(random.nextDouble() * (backoff >> 1));
            final long retryAt = decided + delay;
            r.attempt++;
            // a retry due after the task's TTL could never start: the task leaves its back-off as the TTL passes and
            // expires then, instead of waiting out the whole back-off (up to the maximum, minutes past its TTL)
            r.retryAtNanos = retryAt - r.deadlineNanos > 0 ? r.deadlineNanos + 1 : retryAt;
            r.lastFailure = reason;
            r.clearAttempt();
            Counters.increment(counters.retried);
            listener.onRetried(r, retryAt, decided);
            retries.add(r);
        }
    }

    /**
     * @return the back-off after failed attempt number {@code attempt}: base doubled per earlier failure (at most 30
     *     times), at most max. Why not a plain shift: a base of about 9 s or more shifted 30 times passed a long's
     *     range, and the negative back-off retried at once, every attempt from the 31st on.
     */
    static long backoffNanos(final long baseNanos, final long maxNanos, final int attempt)
    {
        final int doublings = Math.min(30, attempt - 1);
        // each doubling moves the base's highest bit up a place: as many as its leading zeros reach the sign bit
        return doublings >= Long.numberOfLeadingZeros(baseNanos) ? maxNanos : Math.min(maxNanos, baseNanos << doublings);
    }

    int releaseDueRetries(final long now)
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
    int sweepExpired(final long now)
    {
        int work = 0;
        for (final Lane lane : router.lanes)
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
        return work + sweepAssigned(now);
    }

    /**
     * Expires the tasks whose TTL passed while they waited on a busy agent, in its inbox or bound to it (early
     * binding). Why: a worker checks a task's TTL only as it starts it, so behind an agent inside a long call they
     * outlived their TTL by as long as the call took, for ever behind one that never answers (no timeout). An inbox
     * holds a handful of cells, read once per watchdog pass as the slots are; a bound queue is read only once its
     * earliest TTL has passed.
     */
    private int sweepAssigned(final long now)
    {
        int work = 0;
        for (final AgentState agent : router.agents)
        {
            if (agent.inbox.size() > 0)
            {
                TaskRecord r;
                while ((r = agent.inbox.takeExpired(now)) != null)
                {
                    work++;
                    router.placement.unassign(r);
                    expire(r, now, "time to live passed in the inbox of agent '" + agent.id() + "'");
                }
            }
            if (agent.boundCount() > 0 && now - agent.boundEarliestDeadline > 0)
            {
                work += router.binding.expireBound(agent, now,
                    r -> expire(r, now, "time to live passed while bound to agent '" + agent.id() + "'"));
            }
        }
        return work;
    }

    /** A task that arrived once the shutdown sweep began: cancelled, and listed if the sweep is reading the ring. */
    void cancelArrivedAtShutdown(final TaskRecord r, final long now)
    {
        if (sweeping != null)
        {
            sweeping.add(r.task);
        }
        cancel(r, now, DispatchListener.SHUTDOWN_REASON_PREFIX + "the task could start");
    }

    void sweepForShutdown(final long now)
    {
        final List<Task> cancelled = new ArrayList<>();
        for (final Lane lane : router.lanes)
        {
            for (int level = 0; level < Priority.COUNT; level++)
            {
                while (lane.deferredCount[level] > 0)
                {
                    final TaskRecord r = lane.removeDeferred(level, 0);
                    cancelled.add(r.task);
                    cancel(r, now, DispatchListener.SHUTDOWN_REASON_PREFIX + "the task could start");
                }
                for (final Lane.TenantBacklog backlog : lane.backlogs[level])
                {
                    TaskRecord r;
                    while ((r = backlog.tasks.pollFirst()) != null)
                    {
                        lane.backlogged[level]--;
                        cancelled.add(r.task);
                        cancel(r, now, DispatchListener.SHUTDOWN_REASON_PREFIX + "the task could start");
                    }
                }
                TaskRecord r;
                while ((r = lane.queues[level].relaxedPoll()) != null)
                {
                    cancelled.add(r.task);
                    cancel(r, now, DispatchListener.SHUTDOWN_REASON_PREFIX + "the task could start");
                }
            }
        }
        for (final AgentState agent : router.agents)
        {
            TaskRecord r;
            while ((r = agent.inbox.takeMostUrgent()) != null)
            {
                router.placement.unassign(r);
                cancelled.add(r.task);
                cancel(r, now, DispatchListener.SHUTDOWN_REASON_PREFIX + "the task could start");
            }
        }
        router.binding.sweep(r ->
        {
            cancelled.add(r.task);
            cancel(r, now, DispatchListener.SHUTDOWN_REASON_PREFIX + "the task could start");
        });
        retries.drainTo(r ->
        {
            cancelled.add(r.task);
            cancel(r, now, DispatchListener.SHUTDOWN_REASON_PREFIX + "a retry; last failure: " + r.lastFailure);
        });
        // the tasks still in the ring were accepted before shutdownNow (a burst of submits outruns a cycle's 256
        // events): read them now, each cancelled into the list as it comes in; left to the next cycles, they were
        // cancelled all the same but missing from the list, which a caller resubmits elsewhere (4 in 5 of a burst)
        swept = true;
        sweeping = cancelled;
        router.drainIngress();
        sweeping = null;
        final List<AgentState> stopping = new ArrayList<>();
        for (final AgentState agent : router.agents)
        {
            if (!agent.removed && agent.claimStop()) // a removed or crashed agent's is stopped by its leaving
            {
                stopping.add(agent);
            }
        }
        control.adaptersStopped = AdapterLifecycle.stopAll(stopping);
        swept = true;
        sweptNanos = now;
        control.cancelledAtShutdown = cancelled; // volatile store: publishes the list to shutdownNow's caller
    }

    /** @return true once attempts still running after shutdownNow had their grace to answer (see SHUTDOWN_GRACE_NANOS). */
    boolean shutdownGraceOver(final long now)
    {
        if (stopsReturnedNanos == 0 && control.adaptersStopped.isDone())
        {
            stopsReturnedNanos = now;
        }
        return (stopsReturnedNanos != 0 && now - stopsReturnedNanos >= SHUTDOWN_GRACE_NANOS) ||
            now - sweptNanos >= SHUTDOWN_GRACE_MAX_NANOS;
    }

    void expire(final TaskRecord r, final long now, final String reason)
    {
        terminal(r, TerminalState.EXPIRED, reason, now);
    }

    void cancel(final TaskRecord r, final long now, final String reason)
    {
        terminal(r, TerminalState.CANCELLED, reason, now);
    }

    void terminal(final TaskRecord r, final TerminalState state, final String reason, final long now)
    {
        delivery.forgetId(r);
        try
        {
            announceTerminal(r, state, reason, now);
        }
        finally
        {
            // last, and whatever a callback threw: once every admission is released a drain may return, and all
            // callbacks must have run by then
            r.lane.releaseLater(r.admissionLevel);
            router.release(r);
        }
    }

    private void recordDeadLetter(final TaskRecord r, final TerminalState state, final String reason, final AgentState last)
    {
        engine.deadLetters.add(new DeadLetter(r.task, state, reason, r.startedAttempts, last != null ? last.id() : null,
            System.currentTimeMillis()));
    }

    void announceTerminal(final TaskRecord r, final TerminalState state, final String reason, final long now)
    {
        final AgentState last = r.lastAgent;
        engine.tally.ended(r, state);
        switch (state)
        {
            case COMPLETED:
                Counters.increment(counters.completed);
                // when the agent answered, not when the role's holder folded the answer in (up to a worker's fold
                // delay or a router cycle later): a journal replayed for execution times and busy time needs the former
                listener.onCompleted(r, last, r.tokensUsed, r.finishNanos != 0 ? r.finishNanos : now);
                break;
            case DEAD_LETTERED:
                Counters.increment(counters.deadLettered);
                listener.onDeadLettered(r, reason, now);
                recordDeadLetter(r, state, reason, last);
                break;
            case EXPIRED:
                Counters.increment(counters.expired);
                listener.onExpired(r, reason, now);
                recordDeadLetter(r, state, reason, last);
                break;
            default:
                Counters.increment(counters.cancelled);
                listener.onCancelled(r, reason, now);
                break;
        }
        delivery.terminal(r, state, reason, now); // after the listeners: a completed task was delivered already
    }
}
