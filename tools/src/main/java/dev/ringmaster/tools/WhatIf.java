package dev.ringmaster.tools;

import dev.ringmaster.bench.sim.SimFleet;
import dev.ringmaster.bench.sim.SimRun;
import dev.ringmaster.bench.sim.SimWorkload;
import dev.ringmaster.bench.sim.Simulator;
import dev.ringmaster.metrics.Gini;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Priority;
import dev.ringmaster.routing.RoutingStrategies;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Re-runs a journal's recorded workload in the simulator under a routing strategy: each agent type's tasks on that
 * type's agents, arriving when they were accepted, each as long on its recorded agent as it really took there (work =
 * duration x speed / (2 - fit), so another agent takes it at its own speed and fit), priorities served with the
 * dispatcher's aging, and placements paced by the recorded dispatcher (the k-th placement of a type no earlier than
 * the k-th really was), since a closed-loop run on a small machine is often limited by the dispatcher's own threads
 * rather than by its agents. Stateless; each {@link #run} is confined to its calling thread.
 */
final class WhatIf
{
    /** The dispatcher's defaults, which the demo keeps. */
    static final int PREFETCH = 1;
    static final int AGING_QUANTUM = 8;
    /** Contexts an agent keeps warm when a context-load cost is priced (--context-load-us). */
    static final int WARM_SLOTS = 4;

    /**
     * One strategy's figures over the replayed tasks (no warm-up left out: the journal's own figures include every
     * task), with the agent each task was assigned to.
     *
     * @param decisions task id to the agent the strategy chose, in task id order.
     */
    record Outcome(String strategy, int tasks, int unfinished, double meanSojournSeconds, double p50SojournSeconds,
                   double p99SojournSeconds, double meanExecutionSeconds, double gini, double contextWasteRatio,
                   Map<Long, String> decisions, long strategyErrors, String firstStrategyError)
    {
    }

    private WhatIf()
    {
    }

    /** @return what the journal itself shows for the replayed tasks; no decisions. */
    static Outcome recorded(final JournalArrivals journal, final ReplayFleet fleet, final String strategy)
    {
        final Histogram sojourn = new Histogram(3);
        final Map<String, Long> perAgent = emptyCounts(fleet);
        double execution = 0;
        for (final JournalArrivals.Arrival a : journal.arrivals())
        {
            sojourn.recordValue(Math.max(0, a.sojournNanos()));
            perAgent.merge(a.executedBy(), 1L, Long::sum);
            execution += a.durationNanos();
        }
        return outcome(strategy, journal.arrivals().size(), 0, sojourn, execution, perAgent, 0, Map.of(), 0, null);
    }

    /**
     * @param contextLoadNanos extra time a task takes on a speed-1 agent that does not hold its affinity key warm; 0
     *                         as the demo's agents, which pay nothing.
     * @throws IllegalArgumentException if the strategy is unknown to the loader.
     */
    static Outcome run(final JournalArrivals journal, final ReplayFleet fleet, final String strategy,
                       final ClassLoader loader, final long contextLoadNanos)
    {
        return run(journal, fleet, strategy, loader, contextLoadNanos, true);
    }

    /**
     * As {@link #run(JournalArrivals, ReplayFleet, String, ClassLoader, long)}; {@code paced} false places every task
     * as soon as an agent has room, as if the recorded dispatcher had cost no time at all.
     */
    static Outcome run(final JournalArrivals journal, final ReplayFleet fleet, final String strategy,
                       final ClassLoader loader, final long contextLoadNanos, final boolean paced)
    {
        final Map<String, List<JournalArrivals.Arrival>> byType = new LinkedHashMap<>();
        for (final JournalArrivals.Arrival a : journal.arrivals())
        {
            byType.computeIfAbsent(a.type(), t -> new ArrayList<>()).add(a);
        }
        final Histogram sojourn = new Histogram(3);
        final Map<String, Long> perAgent = emptyCounts(fleet);
        final Map<Long, String> decisions = new TreeMap<>();
        int unfinished = 0;
        double execution = 0;
        double contextWork = 0;
        double performedWork = 0;
        long errors = 0;
        String firstError = null;
        for (final Map.Entry<String, List<JournalArrivals.Arrival>> e : byType.entrySet())
        {
            final List<ReplayFleet.Agent> agents = fleet.agents(e.getKey());
            if (agents.isEmpty())
            {
                throw new IllegalStateException("the journal has tasks of type '" + e.getKey() + "' but the replayed " +
                    "fleet has no agent of that type (" + fleet.origin() + ")");
            }
            final List<JournalArrivals.Arrival> tasks = e.getValue();
            final SimRun run = simulate(tasks, agents, strategy, loader, contextLoadNanos, paced);
            for (int i = 0; i < tasks.size(); i++)
            {
                if (run.assignedTo(i) >= 0) // a task never assigned has no decision to record or verify
                {
                    decisions.put(tasks.get(i).taskId(), agents.get(run.assignedTo(i)).id());
                }
                if (run.finish(i) < 0)
                {
                    unfinished++;
                    continue;
                }
                sojourn.recordValue(Math.max(0, run.finish(i) - tasks.get(i).arrivalNanos()));
                execution += run.finish(i) - run.start(i);
                perAgent.merge(agents.get(run.executedBy(i)).id(), 1L, Long::sum);
            }
            contextWork += run.contextWork();
            performedWork += run.performedWork();
            errors += run.errors();
            firstError = firstError != null ? firstError : run.firstError();
        }
        return outcome(strategy, journal.arrivals().size(), unfinished, sojourn, execution, perAgent,
            performedWork == 0 ? 0 : contextWork / performedWork, decisions, errors, firstError);
    }

    private static SimRun simulate(final List<JournalArrivals.Arrival> tasks, final List<ReplayFleet.Agent> agents,
                                   final String strategy, final ClassLoader loader, final long contextLoadNanos,
                                   final boolean paced)
    {
        final AgentSpec[] specs = new AgentSpec[agents.size()];
        final double[] speeds = new double[agents.size()];
        final Map<String, ReplayFleet.Agent> byId = new HashMap<>();
        for (int a = 0; a < specs.length; a++)
        {
            specs[a] = agents.get(a).simSpec();
            speeds[a] = agents.get(a).speed();
            byId.put(agents.get(a).id(), agents.get(a));
        }
        final int n = tasks.size();
        final long[] arrivals = new long[n];
        final long[] work = new long[n];
        final long[] skills = new long[n];
        final int[] domains = new int[n];
        final long[] cost = new long[n];
        final Priority[] priorities = new Priority[n];
        final long[] placements = new long[n];
        final Map<String, Integer> keys = new HashMap<>();
        for (int i = 0; i < n; i++)
        {
            final JournalArrivals.Arrival t = tasks.get(i);
            arrivals[i] = t.arrivalNanos();
            skills[i] = t.skillMask();
            cost[i] = Math.max(1, t.costTokens());
            priorities[i] = t.priority();
            domains[i] = t.affinityKey() == null ? -1 : keys.computeIfAbsent(t.affinityKey(), k -> keys.size());
            placements[i] = Math.max(t.arrivalNanos(), t.firstAssignedNanos());
            final ReplayFleet.Agent ran = byId.get(t.executedBy());
            // the duration it showed on its agent, as work: another agent runs it at its own speed and fit
            final double speed = ran == null ? 1.0 : ran.speed();
            final double fit = ran == null ? 1.0 : ran.fit(t.skillMask());
            work[i] = Math.max(1, Math.round(t.durationNanos() * speed / (2.0 - fit)));
        }
        Arrays.sort(placements);
        final SimFleet fleet = new SimFleet(specs, speeds, PREFETCH, WARM_SLOTS, contextLoadNanos,
            SimFleet.Binding.LATE, true);
        final SimWorkload workload = new SimWorkload(arrivals, work, skills, domains, cost, priorities);
        final Simulator simulator = new Simulator(fleet, workload, RoutingStrategies.create(strategy, loader), false)
            .agingQuantum(AGING_QUANTUM);
        return (paced ? simulator.pacedBy(placements) : simulator).run();
    }

    private static Map<String, Long> emptyCounts(final ReplayFleet fleet)
    {
        final Map<String, Long> counts = new LinkedHashMap<>();
        for (final String type : fleet.types())
        {
            for (final ReplayFleet.Agent a : fleet.agents(type))
            {
                counts.put(a.id(), 0L);
            }
        }
        return counts;
    }

    private static Outcome outcome(final String strategy, final int tasks, final int unfinished, final Histogram sojourn,
                                   final double executionNanos, final Map<String, Long> perAgent,
                                   final double contextWaste,
                                   final Map<Long, String> decisions, final long errors, final String firstError)
    {
        final long[] counts = perAgent.values().stream().mapToLong(Long::longValue).toArray();
        final boolean any = sojourn.getTotalCount() > 0;
        return new Outcome(strategy, tasks, unfinished, any ? sojourn.getMean() / 1e9 : Double.NaN,
            any ? sojourn.getValueAtPercentile(50) / 1e9 : Double.NaN,
            any ? sojourn.getValueAtPercentile(99) / 1e9 : Double.NaN,
            any ? executionNanos / sojourn.getTotalCount() / 1e9 : Double.NaN, Gini.of(counts), contextWaste,
            java.util.Collections.unmodifiableMap(decisions), errors, firstError);
    }
}
