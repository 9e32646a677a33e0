package dev.ringmaster.plugins.routing.index;

import dev.ringmaster.spi.AgentPool;
import dev.ringmaster.spi.AgentView;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.Arrays;

/**
 * A value of each agent for a required-skills mask that stays fixed while the agent is in its pool (a mean
 * proficiency, an efficiency), computed for the whole pool at the mask's first use and kept by pool and mask, so that
 * re-keying an agent reads one array instead of the agent's spec and skill table (two cache misses per mask and change
 * in a pool of thousands). The owner calls {@link #forget} from {@code onPoolChanged}. Not thread-safe: the routing
 * role's holder only, like the strategy owning it.
 */
public final class FixedPerMask
{
    /** The fixed value, a pure function of the agent's spec and the mask. */
    @FunctionalInterface
    public interface Value
    {
        double of(AgentView agent, long mask);
    }

    private final Value value;
    /** By pool id: the values by mask, each by pool position. */
    private Long2ObjectHashMap<double[]>[] pools = newPools(4);
    /**
     * By pool id: the pool's size when its values were kept. A host that misses an announcement is caught as the
     * index catches it, by the size: every mask's values go then, not only the one asked for, or a mask unused while
     * the pool had another size would be read for other agents once the size came back.
     */
    private int[] sizes = new int[4];

    public FixedPerMask(final Value value)
    {
        this.value = value;
    }

    @SuppressWarnings("unchecked")
    private static Long2ObjectHashMap<double[]>[] newPools(final int n)
    {
        return (Long2ObjectHashMap<double[]>[])new Long2ObjectHashMap[n];
    }

    /** @return the value of the agent at {@code position} for {@code mask}; allocates only at a mask's first use. */
    public double get(final AgentPool pool, final int position, final long mask)
    {
        final int id = pool.id();
        final Long2ObjectHashMap<double[]> byMask = id < pools.length ? pools[id] : null;
        if (byMask != null && sizes[id] != pool.size())
        {
            byMask.clear();
        }
        final double[] values = byMask == null ? null : byMask.get(mask);
        if (values == null)
        {
            return compute(pool, mask)[position];
        }
        return values[position];
    }

    /** Drops what was kept for the pool: from {@code onPoolChanged}, as positions and agents may have moved. */
    public void forget(final AgentPool pool)
    {
        final int id = pool.id();
        if (id < pools.length && pools[id] != null)
        {
            pools[id].clear();
        }
    }

    private double[] compute(final AgentPool pool, final long mask)
    {
        final int id = pool.id();
        if (id >= pools.length)
        {
            pools = Arrays.copyOf(pools, Math.max(id + 1, pools.length * 2));
            sizes = Arrays.copyOf(sizes, pools.length);
        }
        Long2ObjectHashMap<double[]> byMask = pools[id];
        if (byMask == null)
        {
            byMask = new Long2ObjectHashMap<>();
            pools[id] = byMask;
        }
        sizes[id] = pool.size();
        final double[] values = new double[pool.size()];
        for (int p = 0; p < values.length; p++)
        {
            values[p] = value.of(pool.agent(p), mask);
        }
        byMask.put(mask, values);
        return values;
    }
}
