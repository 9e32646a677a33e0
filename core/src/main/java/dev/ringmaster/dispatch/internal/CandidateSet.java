package dev.ringmaster.dispatch.internal;

import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.Candidates;

/**
 * The reused candidate list of one routing decision; routing role only. Resetting it is O(1) (a generation stamp
 * marks which pool positions belong to the current list), so a decision costs the candidates it adds, not the pool.
 */
final class CandidateSet implements Candidates
{
    private AgentState[] items = new AgentState[16];
    private int[] positions = new int[16];
    private int size;
    private AgentState[] pool;
    /** Pool position to candidate index, valid where {@link #stampOfPool} holds the current {@link #stamp}. */
    private int[] candidateOfPool = new int[16];
    private int[] stampOfPool = new int[16];
    private int stamp;

    void reset(final AgentState[] pool)
    {
        this.pool = pool;
        if (items.length < pool.length)
        {
            items = new AgentState[pool.length];
            positions = new int[pool.length];
            candidateOfPool = new int[pool.length];
            stampOfPool = new int[pool.length];
        }
        if (++stamp == 0)
        {
            java.util.Arrays.fill(stampOfPool, 0); // wrapped after 4 billion decisions: forget every old mark
            stamp = 1;
        }
        size = 0;
    }

    void add(final AgentState a, final int position)
    {
        candidateOfPool[position] = size;
        stampOfPool[position] = stamp;
        positions[size] = position;
        items[size++] = a;
    }

    @Override
    public int candidateIndexOf(final int poolPosition)
    {
        return stampOfPool[poolPosition] == stamp ? candidateOfPool[poolPosition] : -1;
    }

    AgentState agent(final int i)
    {
        return items[i];
    }

    @Override
    public int size()
    {
        return size;
    }

    @Override
    public AgentView get(final int i)
    {
        if (i < 0 || i >= size)
        {
            throw new IndexOutOfBoundsException("candidate " + i + " of " + size);
        }
        return items[i];
    }

    @Override
    public int poolPosition(final int i)
    {
        return positions[i];
    }

    @Override
    public int poolSize()
    {
        return pool.length;
    }

    @Override
    public AgentView poolAgent(final int i)
    {
        return pool[i];
    }
}
