package dev.ringmaster.predict;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Which context keys each agent probably holds warm: the last {@code slots} keys it was warmed for or assigned, least
 * recently used first out (the context model of the simulator's agents and a fair guess for an LLM session cache),
 * and, per key, the agents that touched it last. Fixed size, allocation-free and lock-free: the router thread
 * (assignments) and the pre-routing thread (warm-ups) both write it with ordered stores; two writes that race may
 * lose one update, which costs a preference, never a task. Agents are identified by {@code AgentView.index()}.
 */
public final class WarmModel
{
    /** Agents remembered per key: enough to find a warm one with a free slot. */
    static final int AGENTS_PER_KEY = 4;
    private static final int KEY_BUCKETS = 4096;

    private final int slots;
    private final int maxAgents;
    private final AtomicReferenceArray<String> warm;
    private final AtomicIntegerArray byKey = new AtomicIntegerArray(KEY_BUCKETS * AGENTS_PER_KEY);

    /**
     * @param slots     keys an agent keeps warm, at least 1.
     * @param maxAgents agents modelled (indexes 0 to maxAgents - 1); others are never warm.
     */
    public WarmModel(final int slots, final int maxAgents)
    {
        if (slots < 1 || maxAgents < 1)
        {
            throw new IllegalArgumentException("warm slots and modelled agents must be >= 1, got " + slots + " and " +
                maxAgents);
        }
        this.slots = slots;
        this.maxAgents = maxAgents;
        this.warm = new AtomicReferenceArray<>(slots * maxAgents);
        for (int i = 0; i < byKey.length(); i++)
        {
            byKey.lazySet(i, -1);
        }
    }

    /** @return true if the key is among the agent's warm ones. */
    public boolean isWarm(final int agent, final String key)
    {
        if (agent < 0 || agent >= maxAgents || key == null)
        {
            return false;
        }
        final int base = agent * slots;
        for (int s = 0; s < slots; s++)
        {
            if (key.equals(warm.get(base + s)))
            {
                return true;
            }
        }
        return false;
    }

    /** @return the agent remembered for the key in place {@code i} (0 most recent, up to {@link #AGENTS_PER_KEY}), or -1. */
    public int recentAgent(final String key, final int i)
    {
        return byKey.get(bucket(key) + i);
    }

    /** Makes the key the agent's most recent one, evicting its least recent if all slots are taken. */
    public void touch(final int agent, final String key)
    {
        if (agent < 0 || agent >= maxAgents || key == null)
        {
            return;
        }
        final int base = agent * slots;
        int at = slots - 1;
        for (int s = 0; s < slots; s++)
        {
            if (key.equals(warm.get(base + s)))
            {
                at = s;
                break;
            }
        }
        for (int s = at; s > 0; s--)
        {
            warm.lazySet(base + s, warm.get(base + s - 1)); // ordered: a reader sees a whole reference, maybe stale
        }
        warm.lazySet(base, key);
        final int b = bucket(key);
        int pos = AGENTS_PER_KEY - 1;
        for (int i = 0; i < AGENTS_PER_KEY; i++)
        {
            if (byKey.get(b + i) == agent)
            {
                pos = i;
                break;
            }
        }
        for (int i = pos; i > 0; i--)
        {
            byKey.lazySet(b + i, byKey.get(b + i - 1));
        }
        byKey.lazySet(b, agent);
    }

    /** @return the key the agent would evict next (its least recent), or null if it has a free slot. */
    public String evictsNext(final int agent)
    {
        return agent < 0 || agent >= maxAgents ? null : warm.get(agent * slots + slots - 1);
    }

    public int slots()
    {
        return slots;
    }

    private static int bucket(final String key)
    {
        final int h = key.hashCode() * 0x9E3779B9;
        return ((h ^ (h >>> 16)) & (KEY_BUCKETS - 1)) * AGENTS_PER_KEY;
    }
}
