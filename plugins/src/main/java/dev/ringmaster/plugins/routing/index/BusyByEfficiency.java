package dev.ringmaster.plugins.routing.index;

import dev.ringmaster.spi.AgentPool;
import dev.ringmaster.spi.AgentView;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * What the expected-completion strategy asks of the agents it could hold a task for, in O(log n) instead of a scan:
 * per pool and required-skills mask, the agents having those skills ranked by efficiency for them (speed x mean
 * proficiency, highest first; fixed while the agent is in the pool), with segment-tree sums over the <em>busy</em>
 * ones (every slot taken, not draining, not ejected) of their backlog, their slot rate ({@code capacity / latency},
 * split into measured agents and cold ones whose latency is the pool's unit over their speed), and their count; plus
 * the pool's unit, the mean of {@code expectedLatency x speed} over its measured agents. Kept current by the
 * strategy's callbacks; not thread-safe: one strategy instance, called one thread at a time.
 *
 * <p>Sums are recomputed from their two children at every update rather than adjusted by differences, so rounding
 * does not drift over millions of events. Ejection and the start of draining come with no callback: an agent that
 * becomes either while busy still counts as busy until its next assignment, release or telemetry.
 */
public final class BusyByEfficiency
{
    /** How fast an agent is for a task requiring some skills, higher is faster; fixed while it is in the pool. */
    @FunctionalInterface
    public interface Efficiency
    {
        double of(AgentView agent, long requiredSkills);
    }

    private final Efficiency rule;
    private Pool[] pools = new Pool[2];

    /** @param efficiency the strategy's own rule, so that rankings and its scan agree to the last bit. */
    public BusyByEfficiency(final Efficiency efficiency)
    {
        this.rule = efficiency;
    }

    /** The pool changed shape: forgets its rankings (rebuilt per mask on first use) and recomputes its unit. */
    public void rebuild(final AgentPool pool)
    {
        final int id = pool.id();
        if (id >= pools.length)
        {
            pools = java.util.Arrays.copyOf(pools, Math.max(id + 1, pools.length * 2));
        }
        final Pool p = new Pool(pool.size());
        pools[id] = p;
        for (int i = 0; i < pool.size(); i++)
        {
            p.setUnit(i, pool.agent(i));
        }
    }

    /** The agent's latency changed (telemetry): re-keys it in its pool's unit and in every ranking it is part of. */
    public void changed(final AgentPool pool, final int position)
    {
        final Pool p = pool(pool);
        final AgentView a = pool.agent(position);
        p.setUnit(position, a);
        reRank(p, position, a);
    }

    /**
     * Only the agent's load changed (an assignment or a release): re-keys it in every ranking it is part of. Its latency
     * estimate moves only with a result, which the host reports as telemetry ({@link #changed}), so the pool's unit is
     * not read again here: that read of the agent's estimate was a cache miss per change in a pool of thousands.
     */
    public void loadChanged(final AgentPool pool, final int position)
    {
        reRank(pool(pool), position, pool.agent(position));
    }

    private void reRank(final Pool p, final int position, final AgentView a)
    {
        for (int m = 0; m < p.rankings; m++)
        {
            final Ranks r = p.all[m];
            final int rank = r.rankOf[position];
            if (rank >= 0)
            {
                r.set(rank, a);
            }
        }
    }

    /** @return nanoseconds per mean task at speed 1 over the pool's measured agents, 0 while none is measured. */
    public double unitNanos(final AgentPool pool)
    {
        final Pool p = pool(pool);
        return p.warm == 0 ? 0 : p.unitSum.total() / p.warm;
    }

    /** The result of {@link #hold}: the busy agents faster than a floor, summed. */
    public double rate;
    public int backlog;
    /** The lowest efficiency among them, or 0 if there is none. */
    public double slowestEfficiency;

    /**
     * Sums, over the busy agents with {@code required} whose efficiency for it is above {@code floor}, their slot
     * rate (cold agents at {@code unit / speed} per task), their backlog ({@code inFlight - capacity + 1} each) and
     * their lowest efficiency, into {@link #rate}, {@link #backlog} and {@link #slowestEfficiency}; O(log n).
     */
    public void hold(final AgentPool pool, final long required, final double floor, final double unit)
    {
        final Ranks r = ranks(pool, required);
        // ranks are by efficiency, highest first: those above the floor are a prefix
        int lo = 0;
        int hi = r.efficiency.length;
        while (lo < hi)
        {
            final int mid = (lo + hi) >>> 1;
            if (r.efficiency[mid] > floor)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        final int k = lo;
        final int busy = (int)r.count.prefix(k);
        if (busy == 0)
        {
            rate = 0;
            backlog = 0;
            slowestEfficiency = 0;
            return;
        }
        rate = r.warmRate.prefix(k) + r.coldCapacitySpeed.prefix(k) / unit;
        backlog = (int)r.backlog.prefix(k);
        slowestEfficiency = r.efficiency[r.count.indexOf(busy)];
    }

    private Pool pool(final AgentPool pool)
    {
        final int id = pool.id();
        final Pool p = id < pools.length ? pools[id] : null;
        if (p == null || p.size != pool.size())
        {
            rebuild(pool); // never told of this pool: a strategy must survive a missed announcement
            return pools[id];
        }
        return p;
    }

    private Ranks ranks(final AgentPool pool, final long required)
    {
        final Pool p = pool(pool);
        Ranks r = p.byMask.get(required);
        if (r == null)
        {
            r = new Ranks(pool, required);
            p.byMask.put(required, r);
            if (p.rankings == p.all.length)
            {
                p.all = java.util.Arrays.copyOf(p.all, p.all.length * 2);
            }
            p.all[p.rankings++] = r;
        }
        return r;
    }

    /** One pool's unit and its rankings per mask. */
    private static final class Pool
    {
        final int size;
        final Long2ObjectHashMap<Ranks> byMask = new Long2ObjectHashMap<>();
        /** The same rankings in an array, for the per-event walk. */
        Ranks[] all = new Ranks[4];
        int rankings;
        final SumTree unitSum;
        final boolean[] measured;
        int warm;

        Pool(final int size)
        {
            this.size = size;
            this.unitSum = new SumTree(size);
            this.measured = new boolean[size];
        }

        void setUnit(final int position, final AgentView a)
        {
            final double latency = a.expectedLatencyNanos();
            final boolean isWarm = latency > 0;
            if (isWarm != measured[position])
            {
                measured[position] = isWarm;
                warm += isWarm ? 1 : -1;
            }
            unitSum.set(position, isWarm ? latency * a.speed() : 0);
        }
    }

    /** The agents having one mask's skills, by efficiency, and the sums over the busy ones. */
    private final class Ranks
    {
        /** Position to rank, -1 for an agent lacking the skills. */
        final int[] rankOf;
        /** Efficiency by rank, non-increasing. */
        final double[] efficiency;
        final SumTree count;
        final SumTree backlog;
        final SumTree warmRate;
        final SumTree coldCapacitySpeed;

        Ranks(final AgentPool pool, final long required)
        {
            final int n = pool.size();
            rankOf = new int[n];
            int members = 0;
            final int[] keyed = new int[n];
            final double[] eff = new double[n];
            for (int i = 0; i < n; i++)
            {
                final AgentView a = pool.agent(i);
                rankOf[i] = -1;
                if ((required & ~a.spec().skillMask()) == 0)
                {
                    eff[i] = rule.of(a, required);
                    keyed[members++] = i;
                }
            }
            // sort members by efficiency, highest first, pool order among equals (a stable order, rebuilt identically)
            final Integer[] order = new Integer[members];
            for (int m = 0; m < members; m++)
            {
                order[m] = keyed[m];
            }
            java.util.Arrays.sort(order,
                (x, y) -> eff[y] != eff[x] ? Double.compare(eff[y], eff[x]) : Integer.compare(x, y));
            efficiency = new double[members];
            count = new SumTree(members);
            backlog = new SumTree(members);
            warmRate = new SumTree(members);
            coldCapacitySpeed = new SumTree(members);
            for (int m = 0; m < members; m++)
            {
                final int position = order[m];
                rankOf[position] = m;
                efficiency[m] = eff[position];
                set(m, pool.agent(position));
            }
        }

        void set(final int rank, final AgentView a)
        {
            final int inFlight = a.inFlight();
            final int capacity = a.capacity();
            final boolean busy = inFlight >= capacity && !a.draining() && !a.ejected();
            count.set(rank, busy ? 1 : 0);
            backlog.set(rank, busy ? inFlight - capacity + 1 : 0);
            final double own = a.expectedLatencyNanos();
            warmRate.set(rank, busy && own > 0 ? capacity / own : 0);
            coldCapacitySpeed.set(rank, busy && own <= 0 ? capacity * a.speed() : 0);
        }
    }
}
