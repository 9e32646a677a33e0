package dev.ringmaster.plugins.routing;

import dev.ringmaster.spi.AgentPool;
import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.Candidates;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.function.IntFunction;

/**
 * An immutable consistent-hash ring of one agent pool: virtual-node points sorted in a {@code long[]}, each owned by a
 * pool position; built off the hot path, then read by one router thread (safe to share once published).
 *
 * <p>Points are derived from agent ids, not positions, so an agent keeps its arcs when others join or leave and only
 * the keys on the arcs that changed hands move. The ring remembers each position's {@link AgentView#index()} so a
 * strategy can tell, in O(1) per position it touches, that the pool changed under it and rebuild.
 */
final class HashRing
{
    /** Virtual nodes per unit of weight: about 10% spread in arc share per agent at 128. */
    static final int VNODES_PER_WEIGHT = 128;
    /** Weights above this get no more virtual nodes, which bounds the ring at 16 x 128 points per agent. */
    static final int MAX_WEIGHT = 16;

    /** Points per bucket of {@link #bucketStart}, about: a lookup's search then stays within a cache line or two. */
    static final int POINTS_PER_BUCKET = 4;

    private final int poolSize;
    private final int[] agentIndexAt;
    /**
     * Each point and its owner in one long, in ring order: the point's bits below its bucket's prefix (the prefix is the
     * bucket's, so these order the points within a bucket exactly), shifted up, and the owner's pool position in the low
     * {@link #bucketBits} bits (there are always at least as many buckets as agents). Why: a third less memory than a
     * {@code long[]} of points beside an {@code int[]} of owners (75 MB instead of 112 MB for the 9 million points of
     * 16,384 agents of weights 1 to 8). A lookup now reads one array instead of two, but measured no faster
     * (bench/RESULTS.md, eighth pass).
     */
    private final long[] entries;
    /** The point bits kept in an entry: all those below the bucket prefix. */
    private final long lowMask;
    /**
     * The first slot of each bucket of hashes by their top {@link #bucketBits} bits, and the ring's size at the end:
     * a lookup searches one bucket's few points instead of the whole ring, whose binary search missed the cache at
     * nearly every step once the ring outgrew it (2 million points and more at 16,384 agents).
     */
    private final int[] bucketStart;
    private final int bucketBits;
    /**
     * Built after the host announced the pool's change ({@code onPoolChanged}), as the dispatcher does for every
     * change: positions then cannot move under the ring unnoticed, and {@link #holds} need not read the agent.
     */
    private final boolean announced;

    private HashRing(final int poolSize, final int[] agentIndexAt, final long[] points, final int[] owners,
                     final boolean announced)
    {
        this.poolSize = poolSize;
        this.announced = announced;
        this.agentIndexAt = agentIndexAt;
        int bits = 0;
        // at least as many buckets as agents, so that an owner's position fits in the bits the bucket prefix frees
        while (bits < 30 && ((1L << bits) * POINTS_PER_BUCKET < points.length || (1L << bits) < poolSize))
        {
            bits++;
        }
        bucketBits = bits;
        lowMask = -1L >>> bits;
        entries = new long[points.length];
        for (int i = 0; i < points.length; i++)
        {
            entries[i] = ((points[i] & lowMask) << bits) | owners[i];
        }
        bucketStart = new int[(1 << bits) + 1];
        int slot = 0;
        for (int b = 0; b <= 1 << bits; b++)
        {
            while (slot < points.length && bucketOf(points[slot]) < b)
            {
                slot++;
            }
            bucketStart[b] = slot;
        }
    }

    /** @return the bucket of a hash: its top {@link #bucketBits} bits, which order buckets as unsigned hashes are. */
    private int bucketOf(final long hash)
    {
        return bucketBits == 0 ? 0 : (int)(hash >>> (64 - bucketBits));
    }

    /** @return the ring of the candidates' whole pool, {@code weight x VNODES_PER_WEIGHT} points per agent; allocates. */
    static HashRing of(final Candidates candidates)
    {
        return of(candidates.poolSize(), candidates::poolAgent, false);
    }

    /**
     * @param announced true if the host announces each change of this pool ({@code onPoolChanged}) before routing on it
     * @return the ring of a version 2 pool, as {@link #of(Candidates)}; allocates.
     */
    static HashRing of(final AgentPool pool, final boolean announced)
    {
        return of(pool.size(), pool::agent, announced);
    }

    private static HashRing of(final int n, final IntFunction<AgentView> agentAt, final boolean announced)
    {
        final int[] agentIndexAt = new int[n];
        int total = 0;
        for (int p = 0; p < n; p++)
        {
            final AgentView a = agentAt.apply(p);
            agentIndexAt[p] = a.index();
            total += vnodes(a);
        }
        // sort (point, owner) pairs by point: an index sort is fine here, the ring is built only when the pool changes
        final long[] raw = new long[total];
        final int[] rawOwner = new int[total];
        int k = 0;
        for (int p = 0; p < n; p++)
        {
            final AgentView a = agentAt.apply(p);
            final long h = Hashing.hash(a.id());
            final int v = vnodes(a);
            for (int r = 0; r < v; r++)
            {
                raw[k] = Hashing.point(h, r);
                rawOwner[k++] = p;
            }
        }
        final Integer[] order = new Integer[total];
        for (int i = 0; i < total; i++)
        {
            order[i] = i;
        }
        // ties (a 64-bit collision) are broken by agent id so the ring does not depend on pool order
        Arrays.sort(order, (x, y) ->
        {
            final int c = Long.compareUnsigned(raw[x], raw[y]);
            return c != 0 ? c : agentAt.apply(rawOwner[x]).id().compareTo(agentAt.apply(rawOwner[y]).id());
        });
        final long[] points = new long[total];
        final int[] owners = new int[total];
        for (int i = 0; i < total; i++)
        {
            points[i] = raw[order[i]];
            owners[i] = rawOwner[order[i]];
        }
        return new HashRing(n, agentIndexAt, points, owners, announced);
    }

    private static int vnodes(final AgentView a)
    {
        return VNODES_PER_WEIGHT * Math.min(Math.max(a.weight(), 1), MAX_WEIGHT);
    }

    /**
     * O(1) check that the pool is still the one the ring was built from: same size and the same agents at both ends
     * (agents join at the end; a removal shifts the last position). Positions the caller lands on are checked again
     * with {@link #holds}, which catches a swap in the middle.
     */
    boolean matches(final Candidates candidates)
    {
        final int n = poolSize;
        return candidates.poolSize() == n &&
            candidates.poolAgent(0).index() == agentIndexAt[0] &&
            candidates.poolAgent(n - 1).index() == agentIndexAt[n - 1];
    }

    /** As {@link #matches(Candidates)}, for a version 2 pool. */
    boolean matches(final AgentPool pool)
    {
        final int n = poolSize;
        return pool.size() == n && pool.agent(0).index() == agentIndexAt[0] && pool.agent(n - 1).index() == agentIndexAt[n - 1];
    }

    /** @return true if pool position {@code position} still holds the agent the ring placed there. */
    boolean holds(final Candidates candidates, final int position)
    {
        return candidates.poolAgent(position).index() == agentIndexAt[position];
    }

    /**
     * As {@link #holds(Candidates, int)}, for a version 2 pool; without reading the agent (in a pool of thousands, a
     * cache miss per decision) when every change of the pool is announced.
     */
    boolean holds(final AgentPool pool, final int position)
    {
        return position < pool.size() && (announced || pool.agent(position).index() == agentIndexAt[position]);
    }

    /** @return number of points on the ring. */
    int size()
    {
        return entries.length;
    }

    /** @return the slot of the first point at or clockwise after {@code hash}, wrapping past the top; O(1) expected. */
    int slotOf(final long hash)
    {
        final long[] entries = this.entries;
        final int bits = bucketBits;
        final int b = bucketOf(hash);
        final long low = hash & lowMask;
        // the first point at or after the hash is in its bucket, or else it is the first point of a later bucket
        int lo = bucketStart[b];
        int hi = bucketStart[b + 1];
        while (lo < hi)
        {
            final int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(entries[mid] >>> bits, low) < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo == entries.length ? 0 : lo;
    }

    /** @return the slot after {@code slot}, clockwise. */
    int next(final int slot)
    {
        final int s = slot + 1;
        return s == entries.length ? 0 : s;
    }

    /** @return the pool position that owns the point at {@code slot}. */
    int owner(final int slot)
    {
        return (int)(entries[slot] & ((1L << bucketBits) - 1));
    }

    /**
     * The current ring of each agent type a strategy has seen (one strategy instance serves every type of its
     * dispatcher); the routing role's holder only (one thread at a time). Lookups do not allocate: {@code HashMap.get} on a String uses its cached hash.
     */
    static final class PerType
    {
        private final HashMap<String, HashRing> rings = new HashMap<>();
        /** Types whose pool changes the host announces: their rings skip the per-position check. */
        private final HashSet<String> announced = new HashSet<>();

        /** @return the ring for the task's type, rebuilt first if the pool no longer matches it. */
        HashRing current(final String type, final Candidates candidates)
        {
            final HashRing ring = rings.get(type);
            return ring != null && ring.matches(candidates) ? ring : rebuild(type, candidates);
        }

        /** @return the ring for a version 2 pool, rebuilt first if the pool no longer matches it. */
        HashRing current(final AgentPool pool)
        {
            final HashRing ring = rings.get(pool.type());
            if (ring != null && ring.matches(pool))
            {
                return ring;
            }
            return rebuild(pool);
        }

        /** From {@code onPoolChanged}: the type's ring is rebuilt at its next use, and its changes are announced. */
        void poolChanged(final AgentPool pool)
        {
            announced.add(pool.type());
            rings.remove(pool.type());
        }

        /** @return a fresh ring of a version 2 pool, replacing the type's old one; allocates. */
        HashRing rebuild(final AgentPool pool)
        {
            final HashRing ring = HashRing.of(pool, announced.contains(pool.type()));
            rings.put(pool.type(), ring);
            return ring;
        }

        /** @return a fresh ring of the pool, replacing the type's old one; allocates. */
        HashRing rebuild(final String type, final Candidates candidates)
        {
            final HashRing ring = HashRing.of(candidates);
            rings.put(type, ring);
            return ring;
        }
    }
}
