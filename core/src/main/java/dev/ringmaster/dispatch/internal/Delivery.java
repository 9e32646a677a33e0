package dev.ringmaster.dispatch.internal;

import dev.ringmaster.dispatch.ResultHandler;
import dev.ringmaster.dispatch.TaskResult;
import dev.ringmaster.dispatch.TerminalState;
import dev.ringmaster.metrics.FaultLog;

/**
 * Hands a task's terminal state to the embedder: the result handler and the task's future, each contained. A task
 * that completed is delivered by the thread that completed it, as soon as its slot's claim is won; every other
 * terminal state by the routing role's holder. Any thread; the handler and the future's stages may therefore run on
 * several threads at once.
 *
 * <p>Why not on the role like the rest of the outcome: taking the role pulls the routing state (lanes, loads, the
 * strategy's index, histograms) to the completing core, a few dozen cache lines, which cost more than the task itself
 * at light load and kept the router thread busy with embedders' callbacks at heavy load. A won claim makes the
 * terminal state certain (a success always ends as {@code COMPLETED}), so nothing is delivered that could change. The
 * role still folds the attempt in afterwards (loads, latency estimates, listeners, counters, the record's reuse),
 * and only then releases the task's admission, so {@code drain} still returns after every callback.
 */
final class Delivery
{
    private final LiveIds liveIds;
    private final ResultHandler handler;
    final FaultLog faults = new FaultLog(Router.LOG, "result handler");

    Delivery(final LiveIds liveIds, final ResultHandler handler)
    {
        this.liveIds = liveIds;
        this.handler = handler;
    }

    /**
     * The thread whose completion won the attempt's claim, before the record goes back to the role (which does not
     * touch it until then): delivers the task as completed and marks the record so the role does not again.
     */
    void completed(final TaskRecord r, final long nowNanos)
    {
        r.delivered = true;
        // first: a callback below may submit the same Task again (a retry by resubmission), which must be accepted
        liveIds.remove(r.task.id(), r.liveIdCell);
        // the attempt is counted as started by the role only later: this one is included here
        deliver(r, TerminalState.COMPLETED, null, r.executedBy, r.startedAttempts + 1, nowNanos);
    }

    /**
     * Role holder, before any callback of the terminal state (a listener may submit the same Task again, which must
     * be accepted): forgets the task's live id, unless the completing thread did (another task may hold it by now).
     */
    void forgetId(final TaskRecord r)
    {
        if (!r.delivered)
        {
            liveIds.remove(r.task.id(), r.liveIdCell);
        }
    }

    /** Role holder, after the listeners: delivers a terminal state unless the completing thread already did. */
    void terminal(final TaskRecord r, final TerminalState state, final String reason, final long nowNanos)
    {
        if (!r.delivered)
        {
            deliver(r, state, reason, r.lastAgent, r.startedAttempts, nowNanos);
        }
    }

    private void deliver(final TaskRecord r, final TerminalState state, final String reason, final AgentState last,
                         final int startedAttempts, final long nowNanos)
    {
        if (handler != null)
        {
            try
            {
                handler.onResult(r, state, r.result, reason);
            }
            catch (final Throwable e)
            {
                faults.report("threw for a task; its terminal state stands, dispatch goes on", e);
            }
        }
        if (r.future != null)
        {
            try
            {
                r.future.complete(new TaskResult(r.task, state, last != null ? last.id() : null, r.result, reason,
                    startedAttempts, r.tokensUsed, nowNanos - r.acceptedNanos));
            }
            catch (final Throwable e)
            {
                // dependent stages run inside complete(); the future itself is completed by now
                faults.report("a stage depending on a task's future threw; dispatch goes on", e);
            }
        }
    }
}
