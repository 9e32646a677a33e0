package dev.ringmaster.dispatch.internal;

import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.Candidates;

/** The reused candidate list of one routing decision; router thread only. */
final class CandidateSet implements Candidates
{
    private AgentState[] items = new AgentState[16];
    private int[] positions = new int[16];
    private int size;
    private AgentState[] pool;
    /** Pool position to candidate index, -1 for agents not eligible; rebuilt with each candidate list. */
    private int[] candidateOfPool = new int[16];

    void reset(final AgentState[] pool)
    {
        this.pool = pool;
        if (items.length < pool.length)
        {
            items = new AgentState[pool.length];
            positions = new int[pool.length];
            candidateOfPool = new int[pool.length];
        }
        size = 0;
    }

    void add(final AgentState a, final int position)
    {
        candidateOfPool[position] = size;
        positions[size] = position;
        items[size++] = a;
    }

    void skip(final int position)
    {
        candidateOfPool[position] = -1;
    }

    @Override
    public int candidateIndexOf(final int poolPosition)
    {
        return candidateOfPool[poolPosition];
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
