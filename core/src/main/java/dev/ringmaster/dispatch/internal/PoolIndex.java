package dev.ringmaster.dispatch.internal;

import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.Object2IntHashMap;

/**
 * Which agents of one lane's pool could take a task now, kept up to date as loads change instead of found by a scan
 * per decision; routing role only. Bit {@code i} of each set stands for pool position {@code i}, so candidates built
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
 *   <li>the hot figures strategies score by (tasks in flight, capacity, peak EWMA latency) in flat arrays by
 *       position, mirrored from the agents' state at every change: a decision that compares agents reads a few
 *       array slots instead of an agent object of some 200 bytes and its spec each (at 16,384 agents those objects
 *       are tens of MB, a cache miss each).</li>
 * </ul>
 * A pool change (agent added, removed, crashed) rebuilds everything: O(pool), rare.
 */
final class PoolIndex
{
    /** Skill masks remembered in front of the map; a power of two. */
    private static final int RECENT_MASKS = 8;

    private AgentState[] pool = new AgentState[0];
    long[] room = new long[0];
    long[] probation = new long[0];
    /**
     * Two words per position, so that one agent's figures share a cache line: tasks in flight (assigned plus bound
     * under early binding) in the high half and capacity in the low half of {@code hot[2p]}, the peak EWMA latency's
     * bits in {@code hot[2p + 1]}. Three separate arrays cost a draw three cache misses in a large pool.
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
        this.pool = pool;
        generation++;
        final int words = (pool.length + 63) >>> 6;
        room = new long[words];
        probation = new long[words];
        hot = new long[2 * pool.length];
        probationCount = 0;
        bySkills.clear();
        java.util.Arrays.fill(recentMasks, 0L);
        java.util.Arrays.fill(recentSets, null);
        positionById.clear();
        for (int i = 0; i < pool.length; i++)
        {
            final AgentState a = pool[i];
            a.poolPosition = i;
            positionById.put(a.spec.id(), i);
            hot[2 * i] = a.spec.capacity();
            hot[2 * i + 1] = Double.doubleToRawLongBits(a.peakEwmaLatencyNanos);
            roomChanged(a);
            probationChanged(a);
        }
    }

    AgentState[] pool()
    {
        return pool;
    }

    /** After the agent's in-flight count or leaving state changed. */
    void roomChanged(final AgentState a)
    {
        final int i = a.poolPosition;
        if (i < 0 || i >= pool.length || pool[i] != a)
        {
            return; // no longer in this pool (removed while its last tasks finished)
        }
        setLoad(i, a);
        if (early ? !a.retiring : a.hasRoom())
        {
            room[i >>> 6] |= 1L << i;
        }
        else
        {
            room[i >>> 6] &= ~(1L << i);
        }
    }

    /** After the agent's bound count changed (early binding), which moves its load but not its room. */
    void loadChanged(final AgentState a)
    {
        final int i = a.poolPosition;
        if (i >= 0 && i < pool.length && pool[i] == a)
        {
            setLoad(i, a);
        }
    }

    private void setLoad(final int i, final AgentState a)
    {
        hot[2 * i] = (long)(a.assigned + a.boundCount) << 32 | (hot[2 * i] & 0xFFFF_FFFFL);
    }

    /** After a result moved the agent's latency estimates. */
    void latencyChanged(final AgentState a)
    {
        final int i = a.poolPosition;
        if (i >= 0 && i < pool.length && pool[i] == a)
        {
            hot[2 * i + 1] = Double.doubleToRawLongBits(a.peakEwmaLatencyNanos);
        }
    }

    /** After the agent's ejection or slow start began or ended. */
    void probationChanged(final AgentState a)
    {
        final int i = a.poolPosition;
        if (i < 0 || i >= pool.length || pool[i] != a)
        {
            return;
        }
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
