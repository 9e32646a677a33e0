package dev.ringmaster.remote.internal;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.remote.PayloadCodec;
import io.aeron.Publication;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The dispatcher's side of one host session: the publication tasks go out on, the attempts waiting for room on it,
 * and whether the host is still believed alive; the poller thread owns it, workers only read {@link #live()} and
 * offer through it (Aeron's concurrent publication and the MPSC queue are safe from any thread).
 */
public final class HostLink
{
    final String hostId;
    final long session;
    final String replyEndpoint;
    final List<AgentSpec> agents;
    final Publication publication;
    /** Attempts a back-pressured offer left behind; the poller sends them, oldest first, when the link has room. */
    final ManyToOneConcurrentArrayQueue<Attempt> backlog;
    final long connectedAtNanos;
    /** Poller only: cancels a back-pressured offer left behind, sent after the backlog when the link has room. */
    private final java.util.ArrayDeque<Long> cancels = new java.util.ArrayDeque<>();
    /** Written by the poller, read by workers: a lost host's agents fail fast until the dispatcher removes them. */
    private volatile boolean live = true;
    /** One per agent, in HELLO order; filled by the poller when it adds the agents. */
    final RemoteAgentAdapter[] adapters;
    /** Written and read by the poller only. */
    long lastHeardNanos;
    /** Completes once every agent the session added is out of the dispatcher again (after a give-up or refusal). */
    CompletableFuture<Void> gone;
    /** Poller ticks left to sweep the pending table for attempts a racing worker added after the give-up. */
    int sweepsLeft;
    String lostReason;
    /** Poller only: when the session was given up or refused ({@link KnownHosts} forgets it a while after). */
    long departedAtNanos;
    /** Poller only: true once every agent of the HELLO is in the dispatcher; only then is the host welcomed. */
    boolean admitted;
    /** Poller only: why the dispatcher refused this session (null if it did not); answered to its every HELLO. */
    String refusal;
    /**
     * Poller only: the ids of the agents this session has in the dispatcher, set when its admission is applied, so
     * a give-up takes out these and never an agent that only shares an id with one of its agents.
     */
    List<String> added = List.of();
    /** Poller only: the agents of this session are being added; the outcome is not applied yet. */
    boolean admitting;
    /**
     * Poller only: set when the session is given up while admitting; completes once what that admission added is out
     * again, so the host's next session does not add the same ids before.
     */
    CompletableFuture<Void> lateAdmission;
    /**
     * Poller only: why the session is not admitted yet for a cause that passes (the dispatcher not running, its slots
     * full), null otherwise; its next HELLO from {@link #retryAtNanos} on tries again.
     */
    String waiting;
    long retryAtNanos;
    /**
     * Poller only: non-null while the session's agents wait to be added until its publication is connected (a task
     * routed to them before would fail at once, "not connected", burning the task's retries): what the admission then
     * waits for (the previous session's agents leaving). See {@link #awaitConnection}.
     */
    CompletableFuture<Void> unconnected;
    /** Poller only: past this, a session still not connected is shown waiting, with why and the fix. */
    private long connectDeadlineNanos;

    HostLink(final String hostId, final long session, final String replyEndpoint, final List<AgentSpec> agents,
             final Publication publication, final int backlogCapacity, final long nowNanos)
    {
        this.hostId = hostId;
        this.session = session;
        this.replyEndpoint = replyEndpoint;
        this.agents = agents;
        this.publication = publication;
        this.adapters = new RemoteAgentAdapter[agents.size()];
        this.backlog = new ManyToOneConcurrentArrayQueue<>(Math.max(16, backlogCapacity));
        this.connectedAtNanos = nowNanos;
        this.lastHeardNanos = nowNanos;
    }

    /** Holds the admission until the publication is connected; poller only. */
    void awaitConnection(final CompletableFuture<Void> previous, final long deadlineNanos)
    {
        unconnected = previous;
        connectDeadlineNanos = deadlineNanos;
    }

    /**
     * Poller only, while {@link #unconnected}: once the publication is connected, ends the wait and returns what the
     * admission waits for; otherwise null, and past the deadline, the first time, sets {@link #waiting} to why.
     */
    CompletableFuture<Void> connectedOrOverdue(final long nowNanos, final long waitedMillis)
    {
        if (publication.isConnected())
        {
            final CompletableFuture<Void> previous = unconnected;
            unconnected = null;
            return previous;
        }
        if (waiting == null && nowNanos - connectDeadlineNanos >= 0)
        {
            waiting = "waiting to be admitted: the dispatcher cannot reach the host at its reply endpoint "
                + replyEndpoint + " (its link is not connected after " + waitedMillis + " ms); the host listens at "
                + "the address of its --listen (default 127.0.0.1:0, loopback only): give it one this dispatcher can "
                + "reach (routable, UDP not blocked by a firewall); it is admitted once its link connects";
        }
        return null;
    }

    public boolean live()
    {
        return live;
    }

    void lost(final String reason, final long nowNanos)
    {
        lostReason = reason;
        departedAtNanos = nowNanos;
        live = false; // volatile store: workers that read it afterwards fail fast instead of offering
    }

    /** Encodes and offers one attempt; returns Aeron's result (a position > 0 when sent). */
    long offer(final Attempt attempt, final Wire wire, final PayloadCodec codec)
    {
        Messages.task(wire, attempt.correlationId, attempt.agentIndex, attempt.view, codec);
        return publication.offer(wire.buffer(), 0, wire.position());
    }

    /**
     * Tells the host the attempt is given up, so that it frees the agent's slot (and interrupts a hung call); a
     * cancel the link cannot take now is sent by {@link #drain}; poller only. One the host never gets (not
     * connected, or the host is lost) costs nothing more than before there were cancels.
     */
    void cancel(final long correlationId, final Wire wire)
    {
        if (!live || cancels.isEmpty() && offerCancel(correlationId, wire))
        {
            return;
        }
        if (cancels.size() < backlog.capacity())
        {
            cancels.add(correlationId); // else dropped: the host's slot stays taken, as it did before cancels
        }
    }

    private boolean offerCancel(final long correlationId, final Wire wire)
    {
        Messages.cancel(wire, session, correlationId);
        final long result = publication.offer(wire.buffer(), 0, wire.position());
        // not connected or closed: dropped, a host that cannot be reached is given up on its own
        return result > 0 || result != Publication.BACK_PRESSURED && result != Publication.ADMIN_ACTION;
    }

    /**
     * Sends the attempts, back-pressured offers left behind, then the cancels, while there is room; poller only. An
     * attempt given up while it waited (its deadline passed, its host lost) is dropped unsent: sent after its cancel,
     * which the host ignores for an id it does not know, it would run a task the dispatcher has failed and retried.
     * So is one past its task's own timeout: the dispatcher has timed it out and retried it, though it stays pending
     * until the expiry path ends it (that timeout plus a heartbeat), and the host would run it beside the retry.
     */
    int drain(final Wire wire, final PayloadCodec codec, final PendingAttempts pending, final RemoteCounters counters)
    {
        int sent = 0;
        Attempt attempt;
        while (live && (attempt = backlog.peek()) != null)
        {
            if (!pending.holds(attempt)
                || attempt.hasTaskTimeout && System.nanoTime() - attempt.taskTimeoutAtNanos >= 0)
            {
                backlog.poll();
                continue;
            }
            final long result = offer(attempt, wire, codec);
            if (result == Publication.BACK_PRESSURED || result == Publication.ADMIN_ACTION)
            {
                break;
            }
            backlog.poll();
            sent++;
            if (result < 0 && pending.remove(attempt.correlationId) != null)
            {
                counters.fastFailures.increment();
                attempt.completion.fail(RemoteFailure.NOT_CONNECTED);
            }
        }
        Long correlationId;
        while (live && (correlationId = cancels.peek()) != null && offerCancel(correlationId, wire))
        {
            cancels.poll();
            sent++;
        }
        return sent;
    }

    public String hostId()
    {
        return hostId;
    }

    public List<AgentSpec> agents()
    {
        return agents;
    }

    public String endpoint()
    {
        return replyEndpoint;
    }

    public boolean connected()
    {
        return live && publication.isConnected();
    }

    public String lostReason()
    {
        return lostReason;
    }
}
