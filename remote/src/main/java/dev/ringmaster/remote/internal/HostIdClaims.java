package dev.ringmaster.remote.internal;

import dev.ringmaster.remote.RemoteFleet;
import dev.ringmaster.remote.RemoteSettings;
import io.aeron.Publication;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Host sessions that say HELLO under a host id another, live session holds: a second host started with the same
 * {@code --host-id}, or the same host restarted before its old session was given up; owned by the remote poller
 * thread.
 *
 * <p>The two look alike at the first HELLO, and only the old session tells them apart: heard from after the new one
 * appeared, it is alive, and the new one is refused (so the two never knock each other out); silent past the silence
 * timeout, it is given up as usual, and the new session's next HELLO takes its place.
 */
final class HostIdClaims
{
    private static final Logger LOG = LoggerFactory.getLogger(HostIdClaims.class);

    /** A session waiting for a host id another session holds; poller only. */
    private static final class Claim
    {
        final long session;
        final String endpoint;
        final long firstHelloNanos;
        /** Opened at the first HELLO, so that it is connected by the time there is a refusal to say. */
        final Publication publication;
        long lastHelloNanos;
        String refusal;

        Claim(final long session, final String endpoint, final long nowNanos, final Publication publication)
        {
            this.session = session;
            this.endpoint = endpoint;
            this.firstHelloNanos = nowNanos;
            this.lastHelloNanos = nowNanos;
            this.publication = publication;
        }
    }

    private final AeronTransport transport;
    /**
     * Per host id, per session: with three processes sharing an id, the two waiting must not replace each other's
     * claim at every HELLO (each time closing a publication and opening another on the poller), which would also
     * restart the wait each refusal needs, so that neither is ever refused.
     */
    private final Map<String, Map<Long, Claim>> claims = new HashMap<>();
    private final Logger log;
    /**
     * A line per new claim, throttled per host id (replicas sharing an id keep making new ones until they are
     * refused), so one such id does not hide the claims on another; dropped with the id's claims.
     */
    private final Map<String, ThrottledLog> claimed = new HashMap<>();

    HostIdClaims(final AeronTransport transport)
    {
        this(transport, LOG);
    }

    /** @param log where the lines go; for tests. */
    HostIdClaims(final AeronTransport transport, final Logger log)
    {
        this.transport = transport;
        this.log = log;
    }

    /**
     * Handles a HELLO of a session other than {@code holder}'s, which is live, for the same host id: it waits, and is
     * refused (told again at every HELLO until it hears it) once the holder is heard from after its first HELLO.
     */
    void contend(final HostLink holder, final Messages.Hello hello, final long now, final Wire wire)
    {
        final Map<Long, Claim> ofId = claims.computeIfAbsent(holder.hostId, id -> new HashMap<>(2));
        Claim claim = ofId.get(hello.session());
        if (claim == null)
        {
            claim = new Claim(hello.session(), hello.replyEndpoint(), now, transport.aeron().addPublication(
                RemoteSettings.udp(hello.replyEndpoint()), RemoteFleet.HOST_STREAM));
            ofId.put(hello.session(), claim);
            claimed.computeIfAbsent(holder.hostId, id -> new ThrottledLog(log)).info("remote agents: host '{}' says "
                + "HELLO from {} while a session of that host id at {} is live; "
                + "it takes its place if that one falls silent, and is refused if it is heard from",
                holder.hostId, hello.replyEndpoint(), holder.replyEndpoint);
        }
        claim.lastHelloNanos = now;
        if (claim.refusal == null && holder.lastHeardNanos - claim.firstHelloNanos > 0)
        {
            claim.refusal = "host id '" + holder.hostId + "' is already connected from " + holder.replyEndpoint
                + "; give this host another --host-id or stop the other one";
            log.error("remote agents: refused the agent host at {}: {}", claim.endpoint, claim.refusal);
        }
        if (claim.refusal != null)
        {
            Messages.refused(wire, claim.session, claim.refusal);
            claim.publication.offer(wire.buffer(), 0, wire.position()); // lost if not connected: it says HELLO again
        }
    }

    /** The host id is free again (its holder given up): the claims on it are over, whatever session takes it now. */
    void release(final String hostId)
    {
        final Map<Long, Claim> ofId = claims.remove(hostId);
        claimed.remove(hostId);
        if (ofId != null)
        {
            ofId.values().forEach(claim -> claim.publication.close());
        }
    }

    /** Forgets the claims whose sessions have not said HELLO for {@code silenceNanos} (a refused host stops). */
    void expire(final long now, final long silenceNanos)
    {
        for (final Iterator<Map.Entry<String, Map<Long, Claim>>> ids = claims.entrySet().iterator(); ids.hasNext(); )
        {
            final Map.Entry<String, Map<Long, Claim>> entry = ids.next();
            final Map<Long, Claim> ofId = entry.getValue();
            ofId.values().removeIf(claim ->
            {
                final boolean over = now - claim.lastHelloNanos > silenceNanos;
                if (over)
                {
                    claim.publication.close();
                }
                return over;
            });
            if (ofId.isEmpty())
            {
                claimed.remove(entry.getKey());
                ids.remove();
            }
        }
    }
}
