package dev.ringmaster.dispatch.internal;

import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.Object2IntHashMap;

/**
 * Which agents of one lane's pool could take a task now, kept up to date as loads change instead of found by a scan
 * per decision, and the routing counters of the agents in the pool; routing role only (other threads may read the
 * counters racily, as metrics). Bit {@code i} of each set stands for pool position {@code i}, so candidates built
 * from it keep the pool order that {@link dev.ringmaster.spi.Candidates} promises.
 *
 * <ul>
 *   <li>{@code room}: the agent may be given another task (in flight below its limit, not leaving; under early
 *       binding, not leaving); flipped on every assignment and release that crosses the limit, O(1).</li>
 *   <li>{@code probation}: the agent is ejected or ramping up after a slow start; whether it admits a task depends on
 *       the clock, so only these few are asked per decision.</li>
 *   <li>one set per required-skills mask seen, of the agents having every one of those skills; built on first use
 *       and dropped when the pool changes (skills never change while an agent is in the pool).</li>
 *   <li>agent id to pool position, for direct assignment and avoidance without comparing strings per agent.</li>
 *   <li>the routing counters of every agent in the pool, owned here (not mirrored) in one flat array by position:
 *       tasks assigned, tasks in flight (assigned plus bound under early binding), tokens in flight, the limit, and
 *       the figures strategies score by (capacity, peak EWMA latency). An assignment and a release then change a
 *       few words of one array instead of an agent object of some 200 bytes: at 16,384 agents those objects and
 *       what hangs off them span tens of MB, so each one touched is a cache and TLB miss of 150 to 250 ns, while
 *       this array is 512 KB. A decision that picked a position never reads the agent object at all.</li>
 * </ul>
 * An agent out of every pool (before its lane indexes it, after it left one with tasks still finishing) keeps its
 * counters in its {@link AgentState}; {@link #rebuild} moves them between the two.
 * A pool change (agent added, removed, crashed) rebuilds everything: O(pool), rare.
 */
final class PoolIndex
{
    /** Skill masks remembered in front of the map; a power of two. */
    private static final int RECENT_MASKS = 8;

    private AgentState[] pool = new AgentState[0];
    long[] room = new long[0];
    long[] probation = new long[0];
    /** Words per position in {@link #hot}. */
    static final int STRIDE = 4;
    private static final long HIGH = 0xFFFF_FFFF_0000_0000L;
    /**
     * {@value #STRIDE} words per position, so that one agent's figures share half a cache line (separate arrays cost
     * a decision one miss each in a large pool): {@code hot[4p]} tasks in flight (assigned plus bound) in the high
     * half and capacity in the low half; {@code hot[4p + 1]} the peak EWMA latency's bits; {@code hot[4p + 2]} tasks
     * assigned (in the inbox or running) in the high half and the limit on them in the low half, 0 while the agent is
     * leaving; {@code hot[4p + 3]} tokens in flight.
     */
    long[] hot = new long[0];
    /** Agents in probation: with none, a decision never asks the clock-dependent checks. */
    int probationCount;
    private final Long2ObjectHashMap<long[]> bySkills = new Long2ObjectHashMap<>();
    /**
     * The last few skill masks asked for and their sets, searched first: a fleet's tasks use a handful of masks, and
     * a short array scan is cheaper than the map's probe on every decision.
     */
    private final long[] recentMasks = new long[RECENT_MASKS];
    private final long[][] recentSets = new long[RECENT_MASKS][];
    private int recentNext;
    private final Object2IntHashMap<String> positionById = new Object2IntHashMap<>(-1);
    /** Early binding: any agent not leaving can be given a task, room or not (it waits in the agent's own queue). */
    boolean early;
    /** Bumped by every rebuild: a version 2 strategy is told of the new pool before its next event for it. */
    int generation;

    /** Rebuilds every set for the pool as it is now. */
    void rebuild(final AgentState[] pool)
    {
        // the agents of the old pool take their counters back; those still in the new one bring them here again
        final AgentState[] old = this.pool;
        for (int i = 0; i < old.length; i++)
        {
            final AgentState a = old[i];
            if (a.pooledIn == this && a.poolPosition == i)
            {
                a.parkedAssigned = assigned(i);
                a.parkedBound = bound(i);
                a.parkedTokens = tokens(i);
                a.pooledIn = null;
                a.poolPosition = -1;
            }
        }
        this.pool = pool;
        generation++;
        final int words = (pool.length + 63) >>> 6;
        room = new long[words];
        probation = new long[words];
        hot = new long[STRIDE * pool.length];
        probationCount = 0;
        bySkills.clear();
        java.util.Arrays.fill(recentMasks, 0L);
        java.util.Arrays.fill(recentSets, null);
        positionById.clear();
        for (int i = 0; i < pool.length; i++)
        {
            final AgentState a = pool[i];
            positionById.put(a.spec.id(), i);
            hot[STRIDE * i] = (long)(a.parkedAssigned + a.parkedBound) << 32 | a.spec.capacity();
            hot[STRIDE * i + 1] = Double.doubleToRawLongBits(a.peakEwmaLatencyNanos);
            hot[STRIDE * i + 2] = (long)a.parkedAssigned << 32;
            hot[STRIDE * i + 3] = a.parkedTokens;
            a.poolPosition = i;
            a.pooledIn = this; // after the words above: a reader on another thread then finds them filled
            roomChanged(a);
            probationChanged(a);
        }
    }

    AgentState[] pool()
    {
        return pool;
    }

    /** @return true if the agent is in this pool, where its routing counters live. */
    boolean holds(final AgentState a)
    {
        return a.pooledIn == this;
    }

    /** After the agent's leaving state changed: its limit becomes 0 (no new task) or its own again. */
    void roomChanged(final AgentState a)
    {
        if (a.pooledIn != this)
        {
            return; // no longer in this pool (removed while its last tasks finished)
        }
        final int i = a.poolPosition;
        final int w = STRIDE * i + 2;
        hot[w] = (hot[w] & HIGH) | (a.retiring ? 0 : a.limit);
        updateRoom(i);
    }

    /** @return tasks assigned to the agent at {@code p} (in its inbox or running); 0 for a position out of range. */
    int assigned(final int p)
    {
        final long[] h = hot; // read once: another thread's racy read must not mix two pools' arrays
        final int w = STRIDE * p + 2;
        return w < h.length ? (int)(h[w] >>> 32) : 0;
    }

    /** @return tasks bound to the agent at {@code p} (early binding), waiting for room in its inbox. */
    int bound(final int p)
    {
        final long[] h = hot;
        final int w = STRIDE * p;
        return w + 2 < h.length ? (int)(h[w] >>> 32) - (int)(h[w + 2] >>> 32) : 0;
    }

    /** @return tokens of the tasks in flight on the agent at {@code p}. */
    long tokens(final int p)
    {
        final long[] h = hot;
        final int w = STRIDE * p + 3;
        return w < h.length ? h[w] : 0;
    }

    /** One more ({@code delta} 1) or one fewer (-1) task assigned to the agent at {@code p}; moves its room and load. */
    void addAssigned(final int p, final int delta)
    {
        final int w = STRIDE * p;
        hot[w] += (long)delta << 32;
        hot[w + 2] += (long)delta << 32;
        updateRoom(p);
    }

    /** One more or one fewer task bound to the agent at {@code p}: moves its load, not its room. */
    void addBound(final int p, final int delta)
    {
        hot[STRIDE * p] += (long)delta << 32;
    }

    void addTokens(final int p, final long delta)
    {
        hot[STRIDE * p + 3] += delta;
    }

    /** @return true if the agent at {@code p} may be given a task now, clock aside (its bit in {@link #room}). */
    boolean hasRoom(final int p)
    {
        return (room[p >>> 6] & (1L << p)) != 0;
    }

    private void updateRoom(final int i)
    {
        final long counts = hot[STRIDE * i + 2];
        final int limit = (int)counts;
        // under early binding any agent not leaving can be given a task: it waits in the agent's own queue
        if (early ? limit > 0 : (int)(counts >>> 32) < limit)
        {
            room[i >>> 6] |= 1L << i;
        }
        else
        {
            room[i >>> 6] &= ~(1L << i);
        }
    }

    /** After a result moved the agent's latency estimates. */
    void latencyChanged(final AgentState a)
    {
        if (a.pooledIn == this)
        {
            hot[STRIDE * a.poolPosition + 1] = Double.doubleToRawLongBits(a.peakEwmaLatencyNanos);
        }
    }

    /** After the agent's ejection or slow start began or ended. */
    void probationChanged(final AgentState a)
    {
        if (a.pooledIn != this)
        {
            return;
        }
        final int i = a.poolPosition;
        final long bit = 1L << i;
        final boolean was = (probation[i >>> 6] & bit) != 0;
        final boolean is = a.ejectedUntilNanos != 0 || a.slowStartFromNanos != 0;
        if (is && !was)
        {
            probation[i >>> 6] |= bit;
            probationCount++;
        }
        else if (!is && was)
        {
            probation[i >>> 6] &= ~bit;
            probationCount--;
        }
    }

    /** @return the set of agents having every skill in {@code required} (not 0); built on first use per mask. */
    long[] withSkills(final long required)
    {
        for (int k = 0; k < RECENT_MASKS; k++)
        {
            if (recentMasks[k] == required)
            {
                return recentSets[k];
            }
        }
        long[] set = bySkills.get(required);
        if (set == null)
        {
            set = new long[room.length];
            for (int i = 0; i < pool.length; i++)
            {
                if (pool[i].hasSkills(required))
                {
                    set[i >>> 6] |= 1L << i;
                }
            }
            bySkills.put(required, set);
        }
        recentMasks[recentNext] = required;
        recentSets[recentNext] = set;
        recentNext = (recentNext + 1) & (RECENT_MASKS - 1);
        return set;
    }

    /** @return the pool position of the agent with this id, or -1. */
    int position(final String agentId)
    {
        return positionById.getValue(agentId);
    }
}
