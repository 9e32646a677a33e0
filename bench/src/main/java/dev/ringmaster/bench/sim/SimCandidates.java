package dev.ringmaster.bench.sim;

import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.Candidates;

/**
 * The eligible agents of one simulated routing decision, in pool order, refilled for every decision without
 * allocating; single-threaded, valid during one {@code select} like the dispatcher's own candidate set.
 */
final class SimCandidates implements Candidates
{
    private final SimAgent[] pool;
    private final int[] positions;
    private final int[] candidateOf;
    private int size;

    SimCandidates(final SimAgent[] pool)
    {
        this.pool = pool;
        this.positions = new int[pool.length];
        this.candidateOf = new int[pool.length];
    }

    void reset()
    {
        size = 0;
    }

    void add(final int position)
    {
        candidateOf[position] = size;
        positions[size++] = position;
    }

    void skip(final int position)
    {
        candidateOf[position] = -1;
    }

    /** @return the router's choice when the strategy failed: the candidate with the fewest tasks in flight, first on a tie. */
    int fewestInFlight()
    {
        int best = 0;
        for (int i = 1; i < size; i++)
        {
            if (get(i).inFlight() < get(best).inFlight())
            {
                best = i;
            }
        }
        return best;
    }

    @Override
    public int size()
    {
        return size;
    }

    @Override
    public AgentView get(final int i)
    {
        return pool[positions[i]];
    }

    @Override
    public int poolPosition(final int i)
    {
        return positions[i];
    }

    @Override
    public int candidateIndexOf(final int poolPosition)
    {
        return candidateOf[poolPosition];
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
