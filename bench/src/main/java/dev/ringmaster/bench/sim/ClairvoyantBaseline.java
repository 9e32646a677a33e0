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
 * is worth, a greedy heuristic and not an optimum nor a bound: it never revisits a choice as later tasks arrive, and
 * built-in strategies beat it on some rows. {@link References} has the true lower bounds.
 */
public final class ClairvoyantBaseline
{
    /** The name this baseline has in tables. */
    public static final String NAME = "clairvoyant-jsq";

    private ClairvoyantBaseline()
    {
    }

    public static SimRun run(final SimFleet fleet, final TaskSource workload)
    {
        return run(fleet, workload, false);
    }

    /** @param scanOnly scan every agent for every task even where {@link EarliestAgents} would do (for its test). */
    static SimRun run(final SimFleet fleet, final TaskSource workload, final boolean scanOnly)
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
        // a streamed workload is folded task by task into the figures and forgotten; one in memory is kept
        final boolean keep = !workload.streamed();
        final long[] start = new long[keep ? n : 0];
        final long[] finish = new long[keep ? n : 0];
        final int[] executedBy = new int[keep ? n : 0];
        Arrays.fill(start, -1);
        Arrays.fill(finish, -1);
        final RunStats stats = keep ? null : new RunStats(agentCount, workload.initialTasks(), SimRun.warmupTasks(workload));
        final long contextLoad = fleet.contextLoadWork();
        final boolean fast = contextLoad == 0 && !scanOnly;
        final EarliestAgents byProfile = fast ? new EarliestAgents(fleet, agents, workload) : null;
        double contextWork = 0;
        double performedWork = 0;
        for (int t = 0; t < n; t++)
        {
            workload.retireBelow(t); // tasks are placed at arrival, in order: none before t is read again
            final long arrival = workload.arrival(t);
            final long required = workload.skills(t);
            final int domain = workload.domain(t);
            final int best = fast ? byProfile.earliestFinish(t, arrival)
                : scan(agents, slotFree, workload, t, arrival, contextLoad);
            if (best < 0)
            {
                continue; // no agent has the skills: the task never runs, as with any strategy
            }
            final SimAgent chosen = agents[best];
            final int bestSlot = earliest(slotFree[best]);
            final long bestStart = Math.max(arrival, slotFree[best][bestSlot]);
            final boolean cold = domain >= 0 && contextLoad > 0 && !chosen.isWarm(domain);
            final long bestFinish = bestStart + duration(chosen, workload, t, cold ? contextLoad : 0);
            // FIFO per agent: tasks start in the order they were assigned, so the warm set evolves in that order too
            final boolean warm = domain < 0 || chosen.touch(domain);
            final double fit = chosen.fit(required);
            final double context = warm || contextLoad == 0 ? 0 : contextLoad;
            contextWork += context;
            performedWork += workload.work(t) * (2.0 - fit) + context;
            slotFree[best][bestSlot] = bestFinish;
            if (fast)
            {
                byProfile.assigned(best, arrival, slotFree[best][earliest(slotFree[best])]);
            }
            if (keep)
            {
                executedBy[t] = best;
                start[t] = bestStart;
                finish[t] = bestFinish;
            }
            else
            {
                stats.finished(t, arrival, bestFinish, best, workload.work(t));
            }
        }
        if (!keep)
        {
            return new SimRun(NAME, fleet, workload, stats, contextWork, performedWork, 0, 0, 0, null, 0, Double.NaN);
        }
        return new SimRun(NAME, fleet, workload, start, finish, executedBy, executedBy, contextWork, performedWork,
            0, 0, 0, null, 0, Double.NaN);
    }

    /** @return the agent with the skills that finishes task t earliest, the lowest pool position on a tie; -1 if none. */
    private static int scan(final SimAgent[] agents, final long[][] slotFree, final TaskSource workload, final int t,
                            final long arrival, final long contextLoad)
    {
        final long required = workload.skills(t);
        final int domain = workload.domain(t);
        int best = -1;
        long bestFinish = Long.MAX_VALUE;
        for (int i = 0; i < agents.length; i++)
        {
            final SimAgent a = agents[i];
            if (!a.hasSkills(required))
            {
                continue;
            }
            final long begin = Math.max(arrival, slotFree[i][earliest(slotFree[i])]);
            final long end = begin + duration(a, workload, t, domain >= 0 && contextLoad > 0 && !a.isWarm(domain) ? contextLoad : 0);
            if (end < bestFinish)
            {
                best = i;
                bestFinish = end;
            }
        }
        return best;
    }

    /** The same execution time as {@link Simulator}'s, so that the comparison is like for like. */
    static long duration(final SimAgent a, final TaskSource workload, final int task, final long context)
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
