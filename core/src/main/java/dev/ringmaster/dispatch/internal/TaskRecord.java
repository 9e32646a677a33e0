package dev.ringmaster.dispatch.internal;

import dev.ringmaster.dispatch.TaskResult;
import dev.ringmaster.model.Priority;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.TaskView;

import java.util.concurrent.CompletableFuture;

/**
 * Mutable dispatch state of one accepted task, pooled and recycled by the router.
 *
 * <p>Ownership moves with the task, and each hand-over is a release/acquire pair, so the fields need no volatile:
 * <ul>
 *   <li>router: from acceptance until it puts the record into an agent inbox (volatile array store);</li>
 *   <li>worker: after taking it from the inbox (CAS), it writes the start fields;</li>
 *   <li>completing thread: writes the outcome fields, then offers the record to the signal queue (release);</li>
 *   <li>router again: after polling the signal queue (acquire), until the record is recycled.</li>
 * </ul>
 * An attempt timed out by the router never hands the record back: the late completion only frees the slot, and the
 * task goes on in a {@link #detachedCopy()}, so the record the adapter holds stays valid and is never recycled.
 */
public final class TaskRecord implements TaskView
{
    static final int OUTCOME_NONE = 0;
    static final int OUTCOME_SUCCEEDED = 1;
    static final int OUTCOME_FAILED = 2;
    static final int OUTCOME_EXPIRED = 3;

    Task task;
    Lane lane;
    long sequence;
    /** Current priority level; may differ from the task's after re-prioritization. */
    int level;
    /** Level whose admission counter this task holds until it is terminal. */
    int admissionLevel;
    /** (level << 56) | sequence: lower is more urgent, so inboxes compare one long. */
    long urgency;
    int attempt;
    /** Attempts that actually started (an attempt can end in its inbox, by TTL). Router-owned. */
    int startedAttempts;
    /** Agent of the last started attempt, kept across retries for the dead-letter report. Router-owned. */
    AgentState lastAgent;
    String lastFailure;

    long acceptedNanos;
    long deadlineNanos;
    long enqueuedNanos;
    long assignedNanos;
    long startNanos;
    long finishNanos;
    long retryAtNanos;
    int heapIndex = -1;

    AgentState assignedTo;
    AgentState executedBy;
    AgentState stolenFrom;

    int outcome;
    Object result;
    Throwable error;
    long tokensUsed;
    double quality;

    CompletableFuture<TaskResult> future;
    /**
     * Set by the thread whose completion won the claim, once it gave the result to the embedder ({@link Delivery}):
     * the role then neither delivers it again nor removes its live id (which another task may hold by then).
     */
    boolean delivered;
    /** Where {@link LiveIds} holds the task's id, for its removal at the terminal state. */
    int liveIdCell = LiveIds.UNTRACKED;

    void init(final Task task, final Lane lane, final long sequence, final long nowNanos,
              final CompletableFuture<TaskResult> future)
    {
        this.task = task;
        this.lane = lane;
        this.sequence = sequence;
        this.level = task.priority().ordinal();
        this.admissionLevel = level;
        this.urgency = urgencyOf(level, sequence);
        this.attempt = 1;
        this.acceptedNanos = nowNanos;
        this.deadlineNanos = task.ttlNanos() == 0 ? Long.MAX_VALUE : nowNanos + task.ttlNanos();
        this.enqueuedNanos = nowNanos;
        this.future = future;
    }

    /** @return a copy carrying this task on, for a record an adapter may still hold after a timeout. */
    TaskRecord detachedCopy()
    {
        final TaskRecord c = new TaskRecord();
        c.task = task;
        c.lane = lane;
        c.sequence = sequence;
        c.level = level;
        c.admissionLevel = admissionLevel;
        c.urgency = urgency;
        c.attempt = attempt;
        c.startedAttempts = startedAttempts;
        c.lastAgent = lastAgent;
        c.lastFailure = lastFailure;
        c.acceptedNanos = acceptedNanos;
        c.deadlineNanos = deadlineNanos;
        c.enqueuedNanos = enqueuedNanos;
        c.assignedNanos = assignedNanos;
        c.startNanos = startNanos;
        c.finishNanos = finishNanos;
        c.assignedTo = assignedTo;
        c.executedBy = executedBy;
        c.stolenFrom = stolenFrom;
        c.future = future;
        c.liveIdCell = liveIdCell;
        return c;
    }

    static long urgencyOf(final int level, final long sequence)
    {
        return ((long)level << 56) | (sequence & 0x00FF_FFFF_FFFF_FFFFL);
    }

    void clearAttempt()
    {
        assignedTo = null;
        executedBy = null;
        stolenFrom = null;
        outcome = OUTCOME_NONE;
        result = null;
        error = null;
        tokensUsed = 0;
        quality = Double.NaN;
        startNanos = 0;
        finishNanos = 0;
    }

    void clear()
    {
        clearAttempt();
        task = null;
        lane = null;
        lastAgent = null;
        lastFailure = null;
        retryAtNanos = 0;
        startedAttempts = 0;
        future = null;
        delivered = false;
        liveIdCell = LiveIds.UNTRACKED;
        heapIndex = -1;
    }

    boolean expiredAt(final long nowNanos)
    {
        return nowNanos - deadlineNanos > 0;
    }

    @Override
    public Task task()
    {
        return task;
    }

    @Override
    public Priority priority()
    {
        return Priority.ofOrdinal(level);
    }

    @Override
    public int attempt()
    {
        return attempt;
    }

    @Override
    public long acceptedNanos()
    {
        return acceptedNanos;
    }

    @Override
    public long sequence()
    {
        return sequence;
    }
}
