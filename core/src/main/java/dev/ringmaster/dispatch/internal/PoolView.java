package dev.ringmaster.dispatch.internal;

import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentPool;
import dev.ringmaster.spi.AgentView;

/**
 * The {@link AgentPool} that version 2 strategies see: a lane's {@link PoolIndex} with the eligibility of the task
 * being routed, answered per position from the index's bit sets; one reused flyweight, routing role only.
 */
final class PoolView implements AgentPool
{
    private final Router router;
    private Lane lane;
    private AgentState[] pool = new AgentState[0];
    private long[] room = new long[0];
    private long[] hot = new long[0];
    /** The task's target id as given, so the strategy asking for its position again costs no second lookup. */
    private String targetId;
    /** Agents with every required skill, or null when the task requires none. */
    private long[] skills;
    /** The task's target position, -1 for none; a target that left the pool makes nobody eligible. */
    private int only = -1;
    private boolean targetGone;
    private int avoided = -1;
    /** Agents whose admission depends on the clock, or null when none is in probation. */
    private long[] probation;
    private long now;

    PoolView(final Router router)
    {
        this.router = router;
    }

    /** Points the view at a lane for a callback: eligibility then means room and admission only. */
    PoolView of(final Lane lane, final long now)
    {
        point(lane, now);
        skills = null;
        only = -1;
        targetId = null;
        targetGone = false;
        avoided = -1;
        return this;
    }

    /** Points the view at a lane and a task, for a decision. */
    PoolView forTask(final Lane lane, final Task task, final long now)
    {
        point(lane, now);
        final PoolIndex index = lane.index;
        final long required = task.requiredSkills();
        skills = required == 0 ? null : index.withSkills(required);
        final String target = task.targetAgent();
        only = target == null ? -1 : index.position(target);
        targetId = target;
        targetGone = target != null && only < 0;
        final String avoid = task.avoidAgent();
        avoided = avoid == null ? -1 : index.position(avoid);
        return this;
    }

    private void point(final Lane lane, final long now)
    {
        this.lane = lane;
        final PoolIndex index = lane.index;
        this.pool = index.pool();
        this.room = index.room;
        this.hot = index.hot;
        this.probation = index.probationCount == 0 ? null : index.probation;
        this.now = now;
    }

    @Override
    public int id()
    {
        return lane.id;
    }

    @Override
    public String type()
    {
        return lane.type;
    }

    @Override
    public int size()
    {
        return pool.length;
    }

    @Override
    public AgentView agent(final int position)
    {
        return pool[position];
    }

    @Override
    public int positionOf(final String agentId)
    {
        if (agentId == targetId && agentId != null)
        {
            return only; // the task's own target, looked up once per decision already
        }
        return lane.index.position(agentId);
    }

    @Override
    public int inFlight(final int position)
    {
        return (int)(hot[PoolIndex.STRIDE * position] >>> 32);
    }

    @Override
    public int capacity(final int position)
    {
        return (int)hot[PoolIndex.STRIDE * position];
    }

    @Override
    public double peakEwmaLatencyNanos(final int position)
    {
        return Double.longBitsToDouble(hot[PoolIndex.STRIDE * position + 1]);
    }

    AgentState state(final int position)
    {
        return pool[position];
    }

    @Override
    public boolean hasRoom(final int position)
    {
        return position >= 0 && position < pool.length && (room[position >>> 6] & (1L << position)) != 0;
    }

    @Override
    public boolean isEligible(final int position)
    {
        if (position < 0 || position >= pool.length)
        {
            return false;
        }
        final int w = position >>> 6;
        final long bit = 1L << position;
        if ((candidateBits(w) & bit) == 0)
        {
            return false;
        }
        return probation == null || (probation[w] & bit) == 0 || router.health.admits(pool[position], now);
    }

    @Override
    public int nextEligible(final int from)
    {
        if (from < 0 || from >= pool.length)
        {
            return -1;
        }
        for (int w = from >>> 6; w < room.length; w++)
        {
            long bits = candidateBits(w);
            if (w == from >>> 6)
            {
                bits &= -1L << from; // shifts by from mod 64: the positions before it in its word are out
            }
            while (bits != 0)
            {
                final int i = (w << 6) + Long.numberOfTrailingZeros(bits);
                bits &= bits - 1;
                if (probation == null || (probation[w] & (1L << i)) == 0 || router.health.admits(pool[i], now))
                {
                    return i;
                }
            }
        }
        return -1;
    }

    /** @return how many agents are eligible for the task; O(pool / 64) plus one admission test per agent in probation. */
    int eligibleCount()
    {
        int count = 0;
        for (int w = 0; w < room.length; w++)
        {
            long bits = candidateBits(w);
            if (probation != null && (bits & probation[w]) != 0)
            {
                long doubtful = bits & probation[w];
                bits &= ~doubtful;
                while (doubtful != 0)
                {
                    final int i = (w << 6) + Long.numberOfTrailingZeros(doubtful);
                    doubtful &= doubtful - 1;
                    if (router.health.admits(pool[i], now))
                    {
                        count++;
                    }
                }
            }
            count += Long.bitCount(bits);
        }
        return count;
    }

    /** The word of agents that pass every clock-free test: room, skills, target, avoidance. */
    private long candidateBits(final int w)
    {
        if (targetGone)
        {
            return 0;
        }
        long bits = room[w];
        if (skills != null)
        {
            bits &= skills[w];
        }
        if (only >= 0)
        {
            bits &= (only >>> 6) == w ? 1L << only : 0;
        }
        if (avoided >= 0 && (avoided >>> 6) == w)
        {
            bits &= ~(1L << avoided);
        }
        return bits;
    }
}
