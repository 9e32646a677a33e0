package dev.ringmaster.plugins.routing.index;

/**
 * The agents with room having every skill of one mask (and of one group), ranked best first: by indexed score,
 * higher first, then by stamp, lower (picked longer ago) first. Stamps are unique, so the order is total and every
 * implementation walks the same agents in the same order. Not thread-safe: owned by one {@link ScoreIndex}.
 *
 * <p>The walk ({@link #first}, then {@link #next} until -1) must not be interleaved with a change.
 */
abstract class RankedAgents
{
    final long mask;
    final int group;
    /** By pool position: the score a member is ranked by. */
    final double[] key;

    RankedAgents(final long mask, final int group, final int poolSize)
    {
        this.mask = mask;
        this.group = group;
        key = new double[poolSize];
    }

    /** @return true if the agent at this pool position is ranked here. */
    abstract boolean contains(int position);

    /** Ranks an agent that is not a member yet, by {@code score} and its current {@code stamp[position]}. */
    abstract void add(int position, double score, long[] stamp);

    /** Un-ranks a member (it has no room now). */
    abstract void remove(int position, long[] stamp);

    /** Re-ranks a member whose score or stamp (or both) may have changed. */
    abstract void update(int position, double score, long[] stamp);

    /** @return the best member's pool position, -1 if none; starts a walk. */
    abstract int first(long[] stamp);

    /** @return the pool position of the member ranked next in the walk, -1 past the last. */
    abstract int next(long[] stamp);
}
