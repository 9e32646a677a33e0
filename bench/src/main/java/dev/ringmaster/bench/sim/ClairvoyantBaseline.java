package dev.ringmaster.bench.sim;

import java.util.Arrays;

/**
 * The clairvoyant join-shortest-queue baseline: knows every task's true execution time on every agent (work, speed,
 * skill fit and whether its context is warm) and, at each arrival, assigns the task to the agent that would finish
 * it earliest behind the true remaining work already queued there; stateless, each {@link #run} is independent and
 * single-threaded.
 *
 * <p>It binds early: each agent keeps an unbounded FIFO queue and runs it on its capacity slots (list scheduling), so
 * the baseline is not limited to agents with room as the strategies are. It is a yardstick of what knowing durations
 * is worth, not an optimum: it never revisits a choice as later tasks arrive.
 */
public final class ClairvoyantBaseline
{
    /** The name this baseline has in tables. */
    public static final String NAME = "clairvoyant-jsq";

    private ClairvoyantBaseline()
    {
    }

    public static SimRun run(final SimFleet fleet, final SimWorkload workload)
    {
        final int n = workload.size();
        final int agentCount = fleet.size();
        final SimAgent[] agents = new SimAgent[agentCount];
        final long[][] slotFree = new long[agentCount][];
        for (int i = 0; i < agentCount; i++)
        {
            agents[i] = new SimAgent(i, fleet.spec(i), fleet.speed(i), fleet.prefetch(), fleet.warmSlots());
            slotFree[i] = new long[fleet.spec(i).capacity()];
        }
        final long[] start = new long[n];
        final long[] finish = new long[n];
        Arrays.fill(start, -1);
        Arrays.fill(finish, -1);
        final long contextLoad = fleet.contextLoadWork();
        double contextWork = 0;
        double performedWork = 0;
        for (int t = 0; t < n; t++)
        {
            final long arrival = workload.arrival(t);
            final long required = workload.skills(t);
            final int domain = workload.domain(t);
            int best = -1;
            int bestSlot = -1;
            long bestStart = 0;
            long bestFinish = Long.MAX_VALUE;
            for (int i = 0; i < agentCount; i++)
            {
                final SimAgent a = agents[i];
                if (!a.hasSkills(required))
                {
                    continue;
                }
                final int slot = earliest(slotFree[i]);
                final long begin = Math.max(arrival, slotFree[i][slot]);
                final long end = begin + duration(a, workload, t, domain >= 0 && contextLoad > 0 && !a.isWarm(domain) ? contextLoad : 0);
                if (end < bestFinish)
                {
                    best = i;
                    bestSlot = slot;
                    bestStart = begin;
                    bestFinish = end;
                }
            }
            if (best < 0)
            {
                continue; // no agent has the skills: the task never runs, as with any strategy
            }
            final SimAgent chosen = agents[best];
            // FIFO per agent: tasks start in the order they were assigned, so the warm set evolves in that order too
            final boolean warm = domain < 0 || chosen.touch(domain);
            final double fit = chosen.fit(required);
            final double context = warm || contextLoad == 0 ? 0 : contextLoad;
            contextWork += context;
            performedWork += workload.work(t) * (2.0 - fit) + context;
            chosen.workDone += workload.work(t);
            slotFree[best][bestSlot] = bestFinish;
            start[t] = bestStart;
            finish[t] = bestFinish;
        }
        final long[] workPerAgent = new long[agentCount];
        for (int i = 0; i < agentCount; i++)
        {
            workPerAgent[i] = agents[i].workDone;
        }
        return new SimRun(NAME, fleet, workload, start, finish, workPerAgent, contextWork, performedWork,
            0, 0, 0, null, 0, Double.NaN);
    }

    /** The same execution time as {@link Simulator}'s, so that the comparison is like for like. */
    private static long duration(final SimAgent a, final SimWorkload workload, final int task, final long context)
    {
        final double performed = workload.work(task) * (2.0 - a.fit(workload.skills(task))) + context;
        return Math.max(1, (long)Math.ceil(performed / a.trueSpeed()));
    }

    private static int earliest(final long[] slots)
    {
        int best = 0;
        for (int s = 1; s < slots.length; s++)
        {
            if (slots[s] < slots[best])
            {
                best = s;
            }
        }
        return best;
    }
}
