package dev.ringmaster.remote.internal;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.dispatch.DispatcherState;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.remote.HostStatus;
import dev.ringmaster.remote.PayloadCodec;
import dev.ringmaster.remote.RemoteFleet;
import dev.ringmaster.remote.RemoteSettings;
import io.aeron.Publication;
import org.agrona.DirectBuffer;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every host session the dispatcher knows and what happens to them: registration, heartbeats both ways, completions,
 * the backlog of back-pressured attempts, and giving a silent host up; owned by the remote poller thread (other
 * threads read only the volatile {@link #snapshot()}).
 *
 * <p>A host is admitted whole or not at all: it is welcomed only once every agent of its HELLO is in the dispatcher,
 * and its agents are added only once the publication to it is connected, since a task routed to them before would
 * fail at once and burn a retry (one not connected within the silence timeout is shown waiting, with the fix).
 * If one cannot be read or added for a fault of the host (an id another agent has, an invalid spec) it is refused
 * (the others it added are taken out again) and told why, as is every host of a dispatcher shut down, every host
 * of a draining one but those it admitted before (back after a give-up, within {@link KnownHosts#FORGET_AFTER}), and one whose host id a live session holds ({@link HostIdClaims}); if only for a cause that passes (the
 * dispatcher not started, its slots full) it is neither welcomed nor refused: what it added is taken out again, it
 * keeps saying HELLO, and one HELLO a second at most tries again, while a rate-limited warning says why it waits.
 *
 * <p>Giving a host up, in this order: its link is marked lost (its agents fail any new attempt at once), each agent
 * the session added is crashed out of the dispatcher (its inbox goes back to be routed elsewhere; an admission still in
 * flight has its additions crashed when it is applied), and once the dispatcher has
 * applied that, every attempt still pending on the host is failed, so the dispatcher retries it under the task's
 * retry rules on the agents that remain. A completion that arrives after that finds no pending attempt: it is
 * ignored and counted as late. A host that comes back (a HELLO after the give-up) is admitted as a new session; its
 * agents are added again as new agents, so the dispatcher's slow start, if configured, applies to them.
 */
public final class LinkTable
{
    private static final Logger LOG = LoggerFactory.getLogger(LinkTable.class);

    private final Dispatcher dispatcher;
    private final AeronTransport transport;
    private final RemoteSettings settings;
    private final PayloadCodec codec;
    private final RemoteCounters counters;
    private final PendingAttempts pending;
    private final Map<String, HostLink> links = new LinkedHashMap<>();
    private final List<HostLink> lost = new ArrayList<>();
    private final Set<Long> tasksOfLostHosts = ConcurrentHashMap.newKeySet();
    /** Outcomes of adding hosts' agents, completed on the dispatcher's threads, applied by the poller in order. */
    private final java.util.Queue<Admission> admissions = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final Wire wire = Wire.writer();
    private final Wire reader = new Wire();
    private final long session = ThreadLocalRandom.current().nextLong();
    private final long heartbeatNanos;
    private final long silenceNanos;
    private final ThrottledLog bad = new ThrottledLog(LOG);
    private final HostIdClaims claims;
    /** Host ids this dispatcher has admitted; read by the dispatcher's threads that decide an admission. */
    private final KnownHosts hostIds = new KnownHosts();
    /** Why hosts wait to be admitted: one line a second at most while a host says HELLO every heartbeat. */
    private final ThrottledLog waits = new ThrottledLog(LOG);
    /** The host id of the message being handled, once read (null before); for the log when it cannot be handled. */
    private String from;
    private long nextTickNanos;
    private volatile List<HostStatus> snapshot = List.of();

    /** A host whose admission was deferred tries again on its first HELLO this long after. */
    private static final long RETRY_NANOS = 1_000_000_000L;

    public LinkTable(final Dispatcher dispatcher, final AeronTransport transport, final RemoteSettings settings,
                     final PayloadCodec codec, final RemoteCounters counters)
    {
        this.dispatcher = dispatcher;
        this.transport = transport;
        this.settings = settings;
        this.codec = codec;
        this.counters = counters;
        this.pending = new PendingAttempts(1 << 16, settings.answerTimeout(), settings.heartbeat());
        this.claims = new HostIdClaims(transport);
        this.heartbeatNanos = settings.heartbeat().toNanos();
        this.silenceNanos = settings.silenceTimeout().toNanos();
    }

    /**
     * Handles one whole message from a host (the assembler joins fragments). A message that cannot be handled costs
     * only itself: it is logged and the poller goes on, since an exception here would end the poller and with it
     * every completion and the silence check.
     */
    public void onFragment(final DirectBuffer buffer, final int offset, final int length,
                           final io.aeron.logbuffer.Header header)
    {
        final Wire in = reader.wrap(buffer, offset);
        final long now = System.nanoTime();
        int type = -1;
        from = null;
        try
        {
            type = Messages.type(in);
            switch (type)
            {
                case Messages.COMPLETION -> onCompletion(in, now);
                case Messages.HEARTBEAT ->
                {
                    final long hostSession = in.getLong();
                    from = in.getString();
                    final HostLink link = links.get(from);
                    if (link != null && link.session == hostSession && link.live())
                    {
                        link.lastHeardNanos = now;
                    }
                }
                case Messages.HELLO ->
                {
                    final long hostSession = in.getLong();
                    from = in.getString();
                    final String reply = in.getString();
                    Messages.Hello hello;
                    String unreadable = null;
                    try
                    {
                        hello = Messages.readHello(reader.wrap(buffer, offset + Integer.BYTES));
                    }
                    catch (final RuntimeException e)
                    {
                        // an agent this dispatcher cannot take (a spec it finds invalid, more distinct skills than
                        // it holds): the host is told, instead of saying HELLO forever to no answer
                        hello = new Messages.Hello(hostSession, from, reply, List.of());
                        unreadable = "its registration could not be read: " + e.getMessage();
                    }
                    onHello(hello, unreadable, now);
                }
                case Messages.TELEMETRY -> onTelemetry(in, now);
                default -> bad.warn("remote agents: ignored a message of unknown type or version ({} bytes)", length);
            }
        }
        catch (final Throwable t)
        {
            bad.warn("remote agents: a message of type {} ({} bytes) from {} could not be handled and is ignored: {}",
                type, length, from == null ? "an unidentified host" : "host '" + from + "'", t.toString(), t);
        }
    }

    private void onTelemetry(final Wire in, final long now)
    {
        final long hostSession = in.getLong();
        final int agentIndex = in.getInt();
        final double utilization = in.getDouble();
        final long budget = in.getLong();
        for (final HostLink link : links.values())
        {
            if (link.session == hostSession && link.live() && agentIndex >= 0 && agentIndex < link.adapters.length &&
                link.adapters[agentIndex] != null)
            {
                from = link.hostId;
                link.lastHeardNanos = now;
                final RemoteAgentAdapter adapter = link.adapters[agentIndex];
                if (!adapter.telemetry(utilization, budget))
                {
                    bad.warn("remote agents: host '{}' reported a context utilization of {} for agent '{}', outside "
                        + "[0, 1]; left out (the agent's adapter should publish the fraction of its context in use)",
                        link.hostId, utilization, adapter.agentId());
                }
                return;
            }
        }
    }

    private void onCompletion(final Wire in, final long now)
    {
        final long correlationId = in.getLong();
        final boolean ok;
        final long tokens;
        final double quality;
        final String text;
        try
        {
            ok = in.getInt() == 1;
            tokens = in.getLong();
            quality = in.getDouble();
            text = in.getString();
        }
        catch (final RuntimeException e)
        {
            // the attempt would otherwise wait until its host is given up, which may be never
            final Attempt attempt = pending.remove(correlationId);
            if (attempt == null)
            {
                throw e;
            }
            from = attempt.link.hostId;
            attempt.link.lastHeardNanos = now;
            counters.completions.increment();
            attempt.completion.fail(new RemoteFailure("agent host '" + attempt.link.hostId
                + "' sent a completion that could not be decoded (" + e + "); the attempt counts as failed"));
            throw e;
        }
        final Attempt attempt = pending.remove(correlationId);
        if (attempt == null)
        {
            counters.lateCompletions.increment();
            return;
        }
        from = attempt.link.hostId;
        attempt.link.lastHeardNanos = now;
        counters.completions.increment();
        if (ok)
        {
            attempt.completion.succeed(text, tokens, quality);
        }
        else
        {
            attempt.completion.fail(new RemoteFailure(text));
        }
    }

    /** @param unreadable why the agents of the HELLO could not be read (the host is refused), or null. */
    private void onHello(final Messages.Hello hello, final String unreadable, final long now)
    {
        final HostLink known = links.get(hello.hostId());
        if (known != null && known.session == hello.session() && known.refusal != null)
        {
            // the host has not heard the refusal yet: say it again; it is not admitted unless it restarts
            refuse(known);
            return;
        }
        if (known != null && known.session == hello.session() && known.live())
        {
            known.lastHeardNanos = now;
            if (known.unconnected != null)
            {
                return; // its agents are added once its link is connected (duty)
            }
            if (known.admitted)
            {
                // the host has not heard our WELCOME yet (its link may still be connecting): say it again
                welcome(known);
            }
            else if (!known.admitting && now - known.retryAtNanos >= 0)
            {
                // deferred for a cause that passes: try again, once what the last try added is out
                admit(known, known.gone);
            }
            return;
        }
        if (known != null && known.live())
        {
            // another process with this host id, or this host restarted: refused while the live one is heard from
            claims.contend(known, hello, now, wire);
            return;
        }
        claims.release(hello.hostId());
        CompletableFuture<Void> previous = CompletableFuture.completedFuture(null);
        if (known != null)
        {
            previous = known.gone;
            if (known.refusal != null)
            {
                known.publication.close(); // kept open to repeat the refusal until the host came back as a new session
            }
        }
        final Publication publication = transport.aeron().addPublication(RemoteSettings.udp(hello.replyEndpoint()),
            RemoteFleet.HOST_STREAM);
        int capacity = 0;
        for (final AgentSpec a : hello.agents())
        {
            capacity += a.capacity();
        }
        final HostLink link = new HostLink(hello.hostId(), hello.session(), hello.replyEndpoint(), hello.agents(),
            publication, capacity * 2, now);
        links.put(link.hostId, link);
        LOG.info("remote agents: host '{}' at {} registers {} agent(s){}", link.hostId, link.replyEndpoint,
            hello.agents().size(), known == null ? "" : " (again)");
        // the agents of a host given up must be out of the dispatcher before the same ids come back
        for (int i = 0; i < link.agents.size(); i++)
        {
            link.adapters[i] = new RemoteAgentAdapter(link, i, pending, codec, counters);
        }
        if (unreadable != null)
        {
            link.admitting = true;
            admissions.add(new Admission(link, List.of(), unreadable, false));
        }
        else
        {
            link.awaitConnection(previous, now + silenceNanos);
        }
        refreshSnapshot(now);
    }

    /** Adds the session's agents once {@code previous} completes; the outcome is queued for the poller to apply. */
    private void admit(final HostLink link, final CompletableFuture<Void> previous)
    {
        link.admitting = true;
        // welcomed only once all its agents are in: a host told it is registered must be, whole
        previous.whenComplete((ignored, error) ->
        {
            if (!link.live())
            {
                // given up while waiting for its previous session's agents to leave: there is nothing to add for
                admissions.add(new Admission(link, List.of(), null, false));
                return;
            }
            final DispatcherState state = dispatcher.state();
            // a host admitted before that comes back while draining (a GC pause past the silence timeout) is taken
            // back: the queued tasks of its agents' type may have nowhere else to go before the drain times out
            if (state != DispatcherState.RUNNING && !(state == DispatcherState.DRAINING
                && hostIds.wasAdmitted(link.hostId)))
            {
                // not started yet passes; draining or shut down does not: a new host's agents would get no task, or
                // tasks during the shutdown
                admissions.add(state == DispatcherState.NEW
                    ? new Admission(link, List.of(), "the dispatcher is not running (" + state + ")", true)
                    : new Admission(link, List.of(), AdmissionFailures.stopping(state), false));
                return;
            }
            Admission.addAgents(dispatcher, link).thenAccept(admissions::add);
        });
    }

    /**
     * Welcomes the hosts whose agents are all in, defers those whose agents could not all be added for a cause that
     * passes, and refuses the others.
     */
    private int applyAdmissions(final long now)
    {
        int n = 0;
        Admission a;
        while ((a = admissions.poll()) != null)
        {
            n++;
            final HostLink link = a.link();
            link.admitting = false;
            if (!link.live())
            {
                // given up (and maybe superseded) while its agents were being added: the give-up found none of them
                // in, so out go exactly those this admission added, and its next session waits for that
                final CompletableFuture<Void> out = crash(a.added(), "agent host '" + link.hostId + "' " +
                    link.lostReason);
                final CompletableFuture<Void> late = link.lateAdmission;
                out.whenComplete((done, e) -> late.complete(null));
                continue;
            }
            link.added = a.added();
            if (a.failure() == null)
            {
                if (link.waiting != null)
                {
                    LOG.info("remote agents: host '{}' admitted after waiting", link.hostId);
                    link.waiting = null;
                }
                link.admitted = true;
                hostIds.admitted(link.hostId);
                counters.hostsAdmitted.increment();
                welcome(link);
                refreshSnapshot(now);
                continue;
            }
            if (a.passing())
            {
                defer(link, a.failure(), now);
                continue;
            }
            link.refusal = "the dispatcher refused agent host '" + link.hostId + "': " + a.failure() + "; "
                + AdmissionFailures.fixFor(a.failure());
            link.lost("refused: " + a.failure(), now);
            LOG.error("remote agents: {}", link.refusal);
            // only the agents this session added: an id it shares with another agent is that agent's, not ours
            link.gone = crash(link.added, "agent host '" + link.hostId + "' was refused");
            link.added = List.of();
            link.sweepsLeft = 10;
            lost.add(link);
            refuse(link);
            refreshSnapshot(now); // a host that hears REFUSED at once may look before the next heartbeat tick
        }
        return n;
    }

    /** Not admitted, not refused: whole or nothing, what it added goes out again, and its next HELLOs try again. */
    private void defer(final HostLink link, final String why, final long now)
    {
        link.waiting = "waiting to be admitted: " + why;
        final CompletableFuture<Void> out = crash(link.added, "agent host '" + link.hostId + "' is not admitted yet");
        // replaced once done: a host waiting for hours must not chain a future per try
        link.gone = link.gone == null || link.gone.isDone() ? out : CompletableFuture.allOf(link.gone, out);
        link.added = List.of();
        link.retryAtNanos = now + RETRY_NANOS;
        waits.warn("remote agents: host '{}' is not admitted yet, for a cause that passes: {}; it is not refused, it "
            + "keeps registering and is admitted once its agents can be added", link.hostId, why);
        refreshSnapshot(now);
    }

    /** @return completes once each of the agents is out of the dispatcher (or was not in it). */
    private CompletableFuture<Void> crash(final List<String> agentIds, final String reason)
    {
        final List<CompletableFuture<Boolean>> crashes = new ArrayList<>(agentIds.size());
        for (final String id : agentIds)
        {
            crashes.add(dispatcher.crashAgent(id, reason).exceptionally(e -> false));
        }
        return CompletableFuture.allOf(crashes.toArray(new CompletableFuture[0]));
    }

    private void refuse(final HostLink link)
    {
        Messages.refused(wire, link.session, link.refusal);
        link.publication.offer(wire.buffer(), 0, wire.position()); // lost if not connected yet: the host says HELLO again
    }

    private void welcome(final HostLink link)
    {
        Messages.welcome(wire, link.session, session);
        link.publication.offer(wire.buffer(), 0, wire.position()); // lost if not connected yet: the host says HELLO again
    }

    /** Sends backlogged attempts; every heartbeat interval, heartbeats and the silence check. */
    public int duty(final long now)
    {
        int work = applyAdmissions(now);
        for (final HostLink link : links.values())
        {
            work += link.unconnected != null && link.live() ? awaitConnection(link, now) : 0;
            work += link.drain(wire, codec, pending, counters);
        }
        if (now - nextTickNanos < 0)
        {
            return work;
        }
        nextTickNanos = now + heartbeatNanos;
        final List<HostLink> silent = new ArrayList<>(0);
        for (final HostLink link : links.values())
        {
            if (!link.live())
            {
                continue;
            }
            if (now - link.lastHeardNanos > silenceNanos)
            {
                silent.add(link);
                continue;
            }
            Messages.heartbeat(wire, link.session, "dispatcher");
            link.publication.offer(wire.buffer(), 0, wire.position());
        }
        for (final HostLink link : silent)
        {
            giveUp(link, now, "silent for " + (now - link.lastHeardNanos) / 1_000_000 + " ms (timeout " +
                settings.silenceTimeout().toMillis() + " ms)");
        }
        sweepLost();
        hostIds.forget(links, now);
        claims.expire(now, silenceNanos);
        // a sixteenth of the table per tick: every attempt is looked at within 16 heartbeats of its deadline
        pending.expire(now, 1 << 12, this::unanswered);
        refreshSnapshot(now);
        return work + 1;
    }

    /** Admits a session once its publication is connected; says once why it waits, past the deadline. */
    private int awaitConnection(final HostLink link, final long now)
    {
        final boolean told = link.waiting != null;
        final CompletableFuture<Void> previous = link.connectedOrOverdue(now, silenceNanos / 1_000_000);
        if (previous != null)
        {
            admit(link, previous);
            return 1;
        }
        if (!told && link.waiting != null)
        {
            // once per session, so not throttled: a line shared with other hosts' could be held back for good
            LOG.warn("remote agents: host '{}' is not admitted yet: {}", link.hostId, link.waiting);
            refreshSnapshot(now);
        }
        return 0;
    }

    private void giveUp(final HostLink link, final long now, final String reason)
    {
        link.lost(reason, now);
        counters.hostsLost.increment();
        LOG.warn("remote agents: host '{}' given up: {}; its {} agent(s) leave routing and their attempts are retried",
            link.hostId, reason, link.added.size());
        // only what the session added: one whose admission is not applied yet has nothing in the dispatcher, and an
        // id it asked for may be another host's
        CompletableFuture<Void> gone = crash(link.added, "agent host '" + link.hostId + "' " + reason);
        if (link.gone != null)
        {
            gone = CompletableFuture.allOf(gone, link.gone); // what a deferred admission added, going out
        }
        if (link.unconnected != null)
        {
            gone = CompletableFuture.allOf(gone, link.unconnected); // its previous session's, for the next one
            link.unconnected = null;
        }
        link.added = List.of();
        if (link.admitting)
        {
            link.lateAdmission = new CompletableFuture<>();
            gone = CompletableFuture.allOf(gone, link.lateAdmission);
        }
        link.gone = gone;
        link.sweepsLeft = 10;
        link.publication.close();
        lost.add(link);
    }

    /**
     * Ends an attempt its host, still heard from, has not answered by its deadline, and tells the host, which would
     * otherwise hold the agent's slot for it for good ({@link PendingAttempts} says which deadline and why).
     */
    private void unanswered(final Attempt attempt)
    {
        attempt.link.cancel(attempt.correlationId, wire);
        attempt.completion.fail(pending.expired(attempt, counters));
    }

    /** Fails the attempts of given-up hosts once their agents are out, and again for a few ticks after (races). */
    private void sweepLost()
    {
        for (final Iterator<HostLink> it = lost.iterator(); it.hasNext(); )
        {
            final HostLink link = it.next();
            if (!link.gone.isDone())
            {
                continue;
            }
            pending.removeAll(link, attempt ->
            {
                counters.hostLostAttempts.increment();
                tasksOfLostHosts.add(attempt.taskId);
                attempt.completion.fail(RemoteFailure.HOST_LOST);
            });
            if (--link.sweepsLeft <= 0)
            {
                it.remove();
            }
        }
    }

    private void refreshSnapshot(final long now)
    {
        final List<HostStatus> out = new ArrayList<>(links.size());
        for (final HostLink link : links.values())
        {
            // a host not admitted (registering, refused) has no agent in the dispatcher: an id it shares is another
            // agent's, not to drain by it
            final List<String> ids = new ArrayList<>(link.agents.size());
            for (int i = 0; link.admitted && i < link.agents.size(); i++)
            {
                ids.add(link.agents.get(i).id());
            }
            final String state = link.refusal != null ? "refused" : !link.live() ? "lost"
                : link.admitted && link.publication.isConnected() ? "connected" : "connecting";
            out.add(new HostStatus(link.hostId, link.replyEndpoint, state, List.copyOf(ids),
                (now - link.lastHeardNanos) / 1_000_000, link.live() ? link.waiting : link.lostReason()));
        }
        snapshot = List.copyOf(out); // volatile store: readers on other threads see a whole list
    }

    public List<HostStatus> snapshot()
    {
        return snapshot;
    }

    /** A departed host's session and id are forgotten this long after it left ({@link KnownHosts}). */
    public static final java.time.Duration FORGET_AFTER = KnownHosts.FORGET_AFTER;

    /** @return how many host ids this table remembers as admitted; for tests. */
    int admittedIds()
    {
        return hostIds.size();
    }

    public boolean hadAttemptOnLostHost(final long taskId)
    {
        return tasksOfLostHosts.contains(taskId);
    }

    public Set<Long> tasksOfLostHosts()
    {
        return Set.copyOf(tasksOfLostHosts);
    }
}
