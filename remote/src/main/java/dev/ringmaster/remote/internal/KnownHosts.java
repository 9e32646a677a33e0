package dev.ringmaster.remote.internal;

import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The host ids a dispatcher has admitted, and the forgetting of departed host sessions; the poller adds and forgets,
 * any thread may ask {@link #wasAdmitted} (the dispatcher's threads deciding an admission do).
 *
 * <p>A host id is remembered while the link table holds a session of it and for {@link #FORGET_AFTER} after that
 * session departed (given up or refused): long enough for a host given up by a pause or a partition to come back
 * and be taken back by a draining dispatcher, and no longer, since hosts churning through unique ids (a fresh
 * container per run, with a generated id) would otherwise grow the table, the admitted ids and the status list for
 * as long as the dispatcher runs. A host that comes back after that is a new host: welcome while running, refused
 * while draining.
 */
final class KnownHosts
{
    /** How long a departed host's session and id are kept. */
    static final Duration FORGET_AFTER = Duration.ofMinutes(10);

    private final Set<String> admitted = ConcurrentHashMap.newKeySet();

    /** A session of this host id was admitted; poller only. */
    void admitted(final String hostId)
    {
        admitted.add(hostId);
    }

    /** @return whether a session of this host id was admitted and not forgotten since; any thread. */
    boolean wasAdmitted(final String hostId)
    {
        return admitted.contains(hostId);
    }

    int size()
    {
        return admitted.size();
    }

    /**
     * Drops from {@code links} each session that departed over {@link #FORGET_AFTER} before {@code now} and is
     * done with (its agents out of the dispatcher, its attempts swept, no admission of it in flight), with its id;
     * poller only.
     *
     * @return how many were forgotten.
     */
    int forget(final Map<String, HostLink> links, final long now)
    {
        int n = 0;
        for (final Iterator<HostLink> it = links.values().iterator(); it.hasNext(); )
        {
            final HostLink link = it.next();
            if (link.live() || link.admitting || link.sweepsLeft > 0 || link.gone != null && !link.gone.isDone()
                || now - link.departedAtNanos - FORGET_AFTER.toNanos() < 0)
            {
                continue;
            }
            it.remove();
            admitted.remove(link.hostId);
            // a refused session's was kept open to repeat the refusal; a given-up one's is closed already
            link.publication.close();
            n++;
        }
        return n;
    }
}
