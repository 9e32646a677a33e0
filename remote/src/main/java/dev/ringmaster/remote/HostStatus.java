package dev.ringmaster.remote;

import java.util.List;

/**
 * One agent host as the dispatcher last saw it; an immutable snapshot.
 *
 * @param state        "connected" (heard from within the timeout and its publication connected), "connecting"
 *                     (registered, the link not up yet) or "lost" (given up: its agents are out of routing).
 * @param silentMillis time since the host was last heard from.
 */
public record HostStatus(String hostId, String endpoint, String state, List<String> agentIds, long silentMillis,
                         String lostReason)
{
}
