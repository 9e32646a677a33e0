package dev.ringmaster.journal;

import dev.ringmaster.journal.internal.CompactEncoder;
import dev.ringmaster.journal.internal.RingPublisher;
import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.DispatchListener;
import dev.ringmaster.spi.Provenance;
import dev.ringmaster.spi.TaskView;

/**
 * Records every lifecycle event in the journal (layout in {@link dev.ringmaster.journal.internal.RecordLayout}), two
 * events that always come together in one record: an acceptance with its immediate assignment, and a start with the
 * attempt's outcome, which the dispatcher announces back to back; called by one thread at a time, each call ordered after the
 * previous (the thread holding the dispatcher's routing role), as {@link DispatchListener} promises, so its scratch
 * buffer and the single-producer ring need no locks. It never touches the disk: each event is encoded, in the compact form
 * the journal stores (see {@link CompactEncoder}), into a reused scratch buffer and copied into the in-memory ring that
 * the journal's writer thread drains, without locks and without allocating.
 * When the ring is full the router waits for room (see {@link RingPublisher}); nothing is dropped while the writer
 * runs.
 */
public final class JournalListener implements DispatchListener
{
    private final CompactEncoder encoder;
    private final RingPublisher ring;
    /**
     * A start not yet written: the dispatcher announces a start just before the attempt's outcome, so the outcome
     * carries it; any other next event writes it alone first. Null when none waits.
     */
    private TaskView startedTask;
    private AgentView startedAgent;
    private long startedNanos;

    JournalListener(final CompactEncoder encoder, final RingPublisher ring)
    {
        this.encoder = encoder;
        this.ring = ring;
    }

    @Override
    public void onAccepted(final TaskView task, final long nanos)
    {
        flushStart();
        // accepted when submit took it, as the dispatcher's own end-to-end latency counts; queued from now
        publish(EventType.ACCEPTED, encoder.encodeAccepted(task, task.acceptedNanos(), nanos));
    }

    @Override
    public void onAcceptedAndAssigned(final TaskView task, final long acceptedNanos, final AgentView agent,
                                      final String strategy, final double score, final double runnerUp,
                                      final long assignedNanos)
    {
        flushStart();
        // acceptedNanos is the router's intake, the assignment's own time here: the record keeps submit's, as above
        publish(EventType.ACCEPTED, encoder.encodeAcceptedAndAssigned(task, task.acceptedNanos(), agent, strategy,
            score, runnerUp, assignedNanos));
    }

    @Override
    public void onAcceptedAndAssigned(final TaskView task, final long acceptedNanos, final AgentView agent,
                                      final Provenance why, final long assignedNanos)
    {
        flushStart();
        publish(EventType.ACCEPTED, encoder.encodeAcceptedAndAssigned(task, task.acceptedNanos(), agent, why,
            assignedNanos));
    }

    @Override
    public void onAssigned(final TaskView task, final AgentView agent, final Provenance why, final long nanos)
    {
        flushStart();
        publish(EventType.ASSIGNED, encoder.encodeAssigned(task, agent, why, nanos));
    }

    @Override
    public void onAssigned(final TaskView task, final AgentView agent, final String strategy, final double score,
                           final double runnerUp, final long nanos)
    {
        flushStart();
        publish(EventType.ASSIGNED, encoder.encode(EventType.ASSIGNED, task, nanos, agent, null, strategy, score,
            runnerUp, 0, null));
    }

    @Override
    public void onStolen(final TaskView task, final AgentView from, final AgentView to, final long nanos)
    {
        flushStart();
        publish(EventType.STOLEN, encoder.encode(EventType.STOLEN, task, nanos, to, from, null, Double.NaN,
            Double.NaN, 0, null));
    }

    @Override
    public void onStarted(final TaskView task, final AgentView agent, final long nanos)
    {
        flushStart();
        startedTask = task;
        startedAgent = agent;
        startedNanos = nanos;
    }

    @Override
    public void onCompleted(final TaskView task, final AgentView agent, final long tokensUsed, final long nanos)
    {
        outcome(EventType.COMPLETED, task, agent, tokensUsed, null, nanos);
    }

    @Override
    public void onFailed(final TaskView task, final AgentView agent, final String reason, final long nanos)
    {
        outcome(EventType.FAILED, task, agent, 0, reason, nanos);
    }

    private void outcome(final EventType type, final TaskView task, final AgentView agent, final long value,
                         final String reason, final long nanos)
    {
        if (startedTask == task && startedAgent == agent && agent != null)
        {
            startedTask = null;
            startedAgent = null;
            publish(type, encoder.encodeOutcomeWithStart(type, task, agent, value, reason, nanos, startedNanos));
        }
        else
        {
            simple(type, task, agent, value, reason, nanos);
        }
    }

    /** Writes a start that no outcome followed at once (none does today; a safeguard, so no event is ever lost). */
    private void flushStart()
    {
        if (startedTask != null)
        {
            final TaskView task = startedTask;
            startedTask = null;
            publish(EventType.STARTED, encoder.encode(EventType.STARTED, task, startedNanos, startedAgent, null, null,
                Double.NaN, Double.NaN, 0, null));
            startedAgent = null;
        }
    }

    @Override
    public void onRetried(final TaskView task, final long retryAtNanos, final long nanos)
    {
        simple(EventType.RETRIED, task, null, retryAtNanos, null, nanos);
    }

    @Override
    public void onExpired(final TaskView task, final String reason, final long nanos)
    {
        simple(EventType.EXPIRED, task, null, 0, reason, nanos);
    }

    @Override
    public void onDeadLettered(final TaskView task, final String reason, final long nanos)
    {
        simple(EventType.DEAD_LETTERED, task, null, 0, reason, nanos);
    }

    @Override
    public void onCancelled(final TaskView task, final String reason, final long nanos)
    {
        flushStart();
        publish(EventType.CANCELLED, encoder.encodeCancelled(task, reason, nanos, byShutdown(reason)));
    }

    /**
     * @return true if the dispatcher's shutdown cancelled the task (it had not started, or waited for a retry): it did
     *     not end, and recovery must find it open, as after a kill -9, or a graceful stop would lose what a crash
     *     keeps. Told by core's reason, the only thing a listener hears ({@code ShutdownCancelTest} pins the wording
     *     with a real shutdown); an operator's cancel by id says "cancelled on request" and stays final.
     */
    static boolean byShutdown(final String reason)
    {
        return reason != null && reason.startsWith(SHUTDOWN_REASON_PREFIX);
    }

    private void simple(final EventType type, final TaskView task, final AgentView agent, final long value,
                        final String reason, final long nanos)
    {
        flushStart();
        publish(type, encoder.encode(type, task, nanos, agent, null, null, Double.NaN, Double.NaN, value, reason));
    }

    private void publish(final EventType type, final int length)
    {
        ring.publish(CompactEncoder.RING_TYPE + type.code(), encoder.buffer(), length);
    }
}
