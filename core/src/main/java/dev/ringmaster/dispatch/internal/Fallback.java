package dev.ringmaster.dispatch.internal;

/**
 * The built-in choice when a strategy failed or is quarantined: the eligible agent with the fewest tasks in flight;
 * stateless, called by the routing role's holder.
 */
final class Fallback
{
    private Fallback()
    {
    }

    /** The built-in choice when the strategy failed or is quarantined: the candidate with the fewest tasks in flight. */
    static int choice(final CandidateSet c)
    {
        int best = 0;
        for (int i = 1; i < c.size(); i++)
        {
            if (c.agent(i).assigned() < c.agent(best).assigned())
            {
                best = i;
            }
        }
        return best;
    }

    /** The built-in choice for version 2: the eligible agent with the fewest tasks in flight; O(pool), faults only. */
    static int choice(final PoolView pool)
    {
        int best = -1;
        for (int p = pool.nextEligible(0); p >= 0; p = p + 1 < pool.size() ? pool.nextEligible(p + 1) : -1)
        {
            if (best < 0 || pool.state(p).assigned() < pool.state(best).assigned())
            {
                best = p;
            }
        }
        return best;
    }
}
