package dev.ringmaster.remote;

import java.util.List;

/**
 * One agent host as the dispatcher last saw it; an immutable snapshot.
 *
 * @param state        "connected" (its agents all added, heard from within the timeout and its publication
 *                     connected), "connecting" (registering: its agents being added, waiting to be admitted for a
 *                     cause that passes, such as the dispatcher not running yet or its slots full, or the link not
 *                     up yet),
 *                     "lost" (given up: its agents are out of routing) or "refused" (its agents could not all be
 *                     added, e.g. an id another agent has: the host was told why, none of its agents routes, and
 *                     {@code agentIds} is empty, since an id it shares belongs to the other agent).
 * @param agentIds     the ids of the host's agents once it was admitted (welcomed); empty until then, since an id it
 *                     asked for may be another host's, so that {@code drainHost} or {@code hostOf} never reach it.
 * @param lostReason   why it was given up or refused, or, while "connecting", why it waits to be admitted; null
 *                     otherwise.
 * @param silentMillis time since the host was last heard from.
 */
public record HostStatus(String hostId, String endpoint, String state, List<String> agentIds, long silentMillis,
                         String lostReason)
{
}
