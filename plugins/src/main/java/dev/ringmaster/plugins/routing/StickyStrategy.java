package dev.ringmaster.plugins.routing;

import dev.ringmaster.spi.AgentPool;
import dev.ringmaster.spi.Candidates;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.RoutingStrategy;
import dev.ringmaster.spi.RoutingStrategyProvider;
import dev.ringmaster.spi.TaskView;
import org.agrona.collections.Object2LongHashMap;

import java.util.HashMap;

/**
 * Sticky session affinity on {@code task.affinityKey()}: the first task of a key goes to the least loaded eligible
 * agent and later tasks of that key to the same agent while it is eligible; when it is not (busy, paused, gone) the
 * task goes to the least loaded agent and the session moves there. O(1) expected for a task of a known session, O(n)
 * to place a new or moved one, and tasks without a key go to the least loaded agent (O(n)). Called by the routing role's holder, one thread at a time.
 *
 * <p>Unlike consistent hashing, a session follows the agent that actually served it, so it never moves when agents
 * join. Sessions are kept per agent type in an Agrona {@link Object2LongHashMap} (open addressing, primitive values):
 * a lookup allocates nothing, a new key takes a slot and may grow the table. The table is bounded: when it holds
 * {@code maxSessions} keys (constructor, else the system property {@value #MAX_SESSIONS_PROPERTY}, default 65,536)
 * and a new key arrives, every session of that type is forgotten at once (the table keeps its capacity, so clearing
 * allocates nothing) and new tasks start new sessions. The table holds a reference to each key string until then.
 * Each session records the agent's stable {@link dev.ringmaster.spi.AgentView#index()} with its pool position, so a
 * pool that changed under it is noticed and the agent found again. No scores are reported for sticky placements.
 */
public final class StickyStrategy extends LeastLoadedFallback
{
    public static final String NAME = "sticky";
    public static final String MAX_SESSIONS_PROPERTY = "ringmaster.sticky.max-sessions";
    public static final int DEFAULT_MAX_SESSIONS = 65_536;

    private static final long NO_SESSION = -1L;

    private final int maxSessions;
    private final HashMap<String, Object2LongHashMap<String>> sessionsByType = new HashMap<>();

    /** @param maxSessions sessions per agent type remembered before they are all forgotten; at least 1. */
    public StickyStrategy(final int maxSessions)
    {
        if (maxSessions < 1)
        {
            throw new IllegalArgumentException("maxSessions of " + NAME + " must be >= 1, got " + maxSessions);
        }
        this.maxSessions = maxSessions;
    }

    public StickyStrategy()
    {
        this(Integer.getInteger(MAX_SESSIONS_PROPERTY, DEFAULT_MAX_SESSIONS));
    }

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public int select(final TaskView task, final Candidates candidates, final RoutingDecision decision)
    {
        final String key = task.task().affinityKey();
        if (key == null)
        {
            return leastLoaded.select(task, candidates, decision);
        }
        final Object2LongHashMap<String> sessions = sessions(task.task().type());
        final long session = sessions.getValue(key);
        if (session != NO_SESSION)
        {
            final int position = positionOf(candidates, (int)(session >>> 32), (int)session);
            if (position >= 0)
            {
                final int candidate = candidates.candidateIndexOf(position);
                if (candidate >= 0)
                {
                    return candidate;
                }
            }
        }
        else if (sessions.size() >= maxSessions)
        {
            sessions.clear(); // bounded: forget every session rather than track recency on the hot path
        }
        final int chosen = leastLoaded.select(task, candidates, decision);
        sessions.put(key, session(candidates.get(chosen).index(), candidates.poolPosition(chosen)));
        return chosen;
    }

    /** @return the pool position of the agent with the given index, trying its last known position first; -1 if gone. */
    private static int positionOf(final Candidates candidates, final int agentIndex, final int lastPosition)
    {
        final int n = candidates.poolSize();
        if (lastPosition < n && candidates.poolAgent(lastPosition).index() == agentIndex)
        {
            return lastPosition;
        }
        for (int p = 0; p < n; p++) // the pool changed since the session was placed: O(n), once per moved session
        {
            if (candidates.poolAgent(p).index() == agentIndex)
            {
                return p;
            }
        }
        return -1;
    }

    private static long session(final int agentIndex, final int position)
    {
        return ((long)agentIndex << 32) | (position & 0xFFFF_FFFFL);
    }

    private Object2LongHashMap<String> sessions(final String type)
    {
        Object2LongHashMap<String> sessions = sessionsByType.get(type);
        if (sessions == null)
        {
            sessions = new Object2LongHashMap<>(NO_SESSION);
            sessionsByType.put(type, sessions);
        }
        return sessions;
    }

    /** @return how many sessions of the type are remembered now, for tests and diagnostics. */
    int sessionCount(final String type)
    {
        final Object2LongHashMap<String> sessions = sessionsByType.get(type);
        return sessions == null ? 0 : sessions.size();
    }

    /** As {@link #select}, over the pool: O(1) for a session whose agent has room, else the least loaded (least-connections). */
    @Override
    public int route(final TaskView task, final AgentPool pool, final RoutingDecision decision)
    {
        final int placed = targetOrUnkeyed(task, pool, decision);
        if (placed != KEYED)
        {
            return placed;
        }
        final String key = task.task().affinityKey();
        final Object2LongHashMap<String> sessions = sessions(task.task().type());
        final long session = sessions.getValue(key);
        if (session != NO_SESSION)
        {
            final int position = positionOf(pool, (int)(session >>> 32), (int)session);
            if (position >= 0 && pool.isEligible(position))
            {
                return position;
            }
        }
        else if (sessions.size() >= maxSessions)
        {
            sessions.clear();
        }
        final int chosen = leastLoaded.route(task, pool, decision);
        if (chosen >= 0)
        {
            sessions.put(key, session(pool.agent(chosen).index(), chosen));
        }
        return chosen;
    }

    private static int positionOf(final AgentPool pool, final int agentIndex, final int lastPosition)
    {
        final int n = pool.size();
        if (lastPosition < n && pool.agent(lastPosition).index() == agentIndex)
        {
            return lastPosition;
        }
        for (int p = 0; p < n; p++) // the pool changed since the session was placed: O(n), once per moved session
        {
            if (pool.agent(p).index() == agentIndex)
            {
                return p;
            }
        }
        return -1;
    }

    /** Registers {@link StickyStrategy} with the ServiceLoader; stateless. */
    public static final class Provider implements RoutingStrategyProvider
    {
        @Override
        public String name()
        {
            return NAME;
        }

        @Override
        public String description()
        {
            return "sticky sessions: an affinity key stays on the agent that took its first task while it has room; " +
                "O(1) (new or moved sessions: least loaded, O(n))";
        }

        @Override
        public RoutingStrategy create()
        {
            return new StickyStrategy();
        }
    }
}
