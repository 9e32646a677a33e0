package dev.ringmaster.bench.sim;

import java.util.BitSet;
import java.util.PriorityQueue;

/**
 * The {@link ClairvoyantBaseline}'s choice without a context cost, in O(profiles x log agents) per task instead of a
 * scan: a task's execution time then depends only on the agent's profile, so within a profile the earliest finish
 * is the earliest start, the lowest pool position among agents free at arrival, else the agent whose first slot
 * frees first. It picks exactly what the scan picks. Single-threaded, one per baseline run.
 */
final class EarliestAgents
{
    private final AgentProfiles profiles;
    private final SimAgent[] agents;
    private final TaskSource workload;
    /** Earliest time a slot of each agent is free. */
    private final long[] available;
    /** Per profile: agents with a slot free at the last arrival, by pool position. */
    private final BitSet[] free;
    /** Per profile: agents with every slot busy, by (available, pool position). */
    private final PriorityQueue<Integer>[] busy;

    @SuppressWarnings("unchecked")
    EarliestAgents(final SimFleet fleet, final SimAgent[] agents, final TaskSource workload)
    {
        this.profiles = new AgentProfiles(fleet);
        this.agents = agents;
        this.workload = workload;
        this.available = new long[agents.length];
        this.free = new BitSet[profiles.size()];
        this.busy = new PriorityQueue[profiles.size()];
        for (int p = 0; p < profiles.size(); p++)
        {
            free[p] = new BitSet(agents.length);
            busy[p] = new PriorityQueue<>((a, b) -> available[a] != available[b] ?
                Long.compare(available[a], available[b]) : Integer.compare(a, b));
        }
        for (int i = 0; i < agents.length; i++)
        {
            free[profiles.profileOf[i]].set(i);
        }
    }

    /** @return the agent that finishes task t earliest (lowest pool position on a tie), -1 if none has the skills. */
    int earliestFinish(final int t, final long arrival)
    {
        final long required = workload.skills(t);
        int best = -1;
        long bestFinish = Long.MAX_VALUE;
        for (int p = 0; p < profiles.size(); p++)
        {
            final SimAgent representative = agents[profiles.representative[p]];
            if (!representative.hasSkills(required))
            {
                continue;
            }
            final PriorityQueue<Integer> waiting = busy[p];
            while (!waiting.isEmpty() && available[waiting.peek()] <= arrival)
            {
                free[p].set(waiting.poll());
            }
            final int first = free[p].nextSetBit(0);
            final int agent = first >= 0 ? first : waiting.peek();
            final long begin = Math.max(arrival, available[agent]);
            final long end = begin + ClairvoyantBaseline.duration(representative, workload, t, 0);
            if (end < bestFinish || (end == bestFinish && agent < best))
            {
                best = agent;
                bestFinish = end;
            }
        }
        return best;
    }

    /** Records that the agent took a task at the arrival and that its first slot is now free at {@code nextFree}. */
    void assigned(final int agent, final long arrival, final long nextFree)
    {
        final int p = profiles.profileOf[agent];
        if (free[p].get(agent))
        {
            available[agent] = nextFree;
            if (nextFree > arrival)
            {
                free[p].clear(agent);
                busy[p].add(agent);
            }
        }
        else
        {
            busy[p].poll(); // a busy agent is chosen only as its profile's head; out before its key changes
            available[agent] = nextFree;
            busy[p].add(agent);
        }
    }
}
