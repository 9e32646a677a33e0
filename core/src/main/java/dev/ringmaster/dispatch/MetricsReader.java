package dev.ringmaster.dispatch;

import dev.ringmaster.dispatch.internal.AgentState;
import dev.ringmaster.dispatch.internal.Engine;
import dev.ringmaster.dispatch.internal.Stage;
import dev.ringmaster.dispatch.internal.TaskTally;
import dev.ringmaster.metrics.AgentStats;
import dev.ringmaster.metrics.ContextTokens;
import dev.ringmaster.metrics.CounterWindow;
import dev.ringmaster.metrics.Gini;
import dev.ringmaster.metrics.HistogramAccumulator;
import dev.ringmaster.metrics.LatencySummary;
import dev.ringmaster.metrics.MetricsSnapshot;
import dev.ringmaster.metrics.RecentWindow;
import dev.ringmaster.metrics.TaskCounts;
import dev.ringmaster.metrics.TypeStats;
import dev.ringmaster.model.Priority;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds {@link MetricsSnapshot}s of one dispatcher: counters read one by one, stage histograms accumulated from the
 * interval histograms the routing role records, and each snapshot's reads feed the last minute's window. Any thread;
 * snapshots taken concurrently share the accumulators and the counter window, which are thread-safe.
 */
final class MetricsReader
{
    private final Engine engine;
    private final double overloadThreshold;
    private final Map<String, HistogramAccumulator> stageTotals = new LinkedHashMap<>();
    /** Accepted, completed, dead-lettered, expired: the counters of {@link RecentWindow}. */
    private final CounterWindow counterWindow = new CounterWindow(4);

    MetricsReader(final Engine engine, final double overloadThreshold)
    {
        this.engine = engine;
        this.overloadThreshold = overloadThreshold;
        for (final Stage stage : Stage.values())
        {
            stageTotals.put(stage.name(), new HistogramAccumulator(h -> engine.stages().intervalHistogram(stage, h)));
        }
    }

    /** @return a consistent-enough snapshot of every metric (counters are read one by one, histograms cumulatively). */
    MetricsSnapshot snapshot()
    {
        final long elapsed = engine.elapsedNanos();
        final List<AgentState> agents = engine.agents();
        final List<AgentStats> stats = new ArrayList<>(agents.size());
        final long[] counts = new long[agents.size()];
        final long[] tokens = new long[agents.size()];
        for (int i = 0; i < agents.size(); i++)
        {
            final AgentState a = agents.get(i);
            counts[i] = a.completedTotal();
            tokens[i] = a.tokensTotal();
            final double utilization = elapsed == 0 ? 0 :
                Math.min(1.0, a.busyNanosTotal() / ((double)elapsed * a.capacity()));
            final double load = (double)a.inFlight() / a.capacity();
            stats.add(new AgentStats(a.id(), a.spec().type(), a.capacity(), counts[i], a.failedTotal(), tokens[i],
                a.stolenTotal(), a.inFlight(), utilization, load, load >= overloadThreshold, a.isEjected(),
                a.hungSlots()));
        }
        final Map<Priority, Long> depth = new EnumMap<>(Priority.class);
        final long[] byLevel = engine.queueDepthByPriority();
        for (final Priority p : Priority.values())
        {
            depth.put(p, byLevel[p.ordinal()]);
        }
        // the window first, then the total: the total's drain comes later, so it holds every value the window does
        final Map<String, Histogram> windows = new LinkedHashMap<>();
        stageTotals.forEach((name, acc) -> windows.put(name, acc.recent()));
        final Map<String, LatencySummary> stages = new LinkedHashMap<>();
        final Map<String, LatencySummary> recentStages = new LinkedHashMap<>();
        stageTotals.forEach((name, acc) ->
        {
            final Histogram total = acc.cumulative();
            stages.put(name, LatencySummary.of(total));
            recentStages.put(name, LatencySummary.ofWindow(windows.get(name), total));
        });
        final long accepted = engine.accepted();
        final long completed = engine.completed();
        final long deadLettered = engine.deadLettered();
        final long expired = engine.expired();
        return new MetricsSnapshot(elapsed, engine.strategyName(), accepted, completed, deadLettered, expired,
            engine.cancelled(), engine.outstanding(), engine.retried(), engine.timedOut(), engine.stolen(), depth,
            stages, stats, Gini.of(counts), Gini.of(tokens), engine.ejections(), engine.rateLimitedNanos(),
            engine.faults(), types(agents), byPriority(engine.tally), byTenant(engine.tally),
            recent(elapsed, new long[] {accepted, completed, deadLettered, expired}, recentStages), engine.shadow());
    }

    /** The last minute: counter growth over the window and the stage histograms' recent slots. */
    private RecentWindow recent(final long elapsed, final long[] counters, final Map<String, LatencySummary> stages)
    {
        final long[] deltas = new long[counters.length];
        final long now = System.nanoTime();
        counterWindow.startAt(now - elapsed); // the counters were 0 at start, so a first read sees what came before
        final long span = counterWindow.sample(now, counters, deltas);
        return new RecentWindow(span, deltas[0], deltas[1], deltas[2], deltas[3], stages);
    }

    private static Map<Priority, TaskCounts> byPriority(final TaskTally tally)
    {
        final Map<Priority, TaskCounts> out = new EnumMap<>(Priority.class);
        for (final Priority p : Priority.values())
        {
            out.put(p, counts(tally.byPriority(p)));
        }
        return out;
    }

    private static Map<String, TaskCounts> byTenant(final TaskTally tally)
    {
        final Map<String, TaskCounts> out = new LinkedHashMap<>();
        final String[] tenants = tally.tenants();
        for (int row = 0; row < tenants.length; row++)
        {
            out.put(tenants[row], counts(tally.byTenant(row)));
        }
        for (final String special : new String[] {TaskTally.NO_TENANT, TaskTally.OTHER})
        {
            final TaskCounts c = counts(tally.byTenant(TaskTally.rowOf(special)));
            if (c.accepted() > 0)
            {
                out.put(special, c);
            }
        }
        return out;
    }

    /** @param c accepted, then one count per terminal state in {@link TerminalState} order. */
    private static TaskCounts counts(final long[] c)
    {
        return new TaskCounts(c[0], c[1 + TerminalState.COMPLETED.ordinal()],
            c[1 + TerminalState.DEAD_LETTERED.ordinal()], c[1 + TerminalState.EXPIRED.ordinal()],
            c[1 + TerminalState.CANCELLED.ordinal()]);
    }

    /** Quality spread and context waste per type; quality is each agent's recent score (an EWMA of what it reported). */
    private static Map<String, TypeStats> types(final List<AgentState> agents)
    {
        final Map<String, List<AgentState>> byType = new LinkedHashMap<>();
        for (final AgentState a : agents)
        {
            byType.computeIfAbsent(a.spec().type(), t -> new ArrayList<>()).add(a);
        }
        final Map<String, TypeStats> out = new LinkedHashMap<>();
        byType.forEach((type, members) ->
        {
            double sum = 0;
            double squares = 0;
            int scored = 0;
            long loaded = 0;
            long used = 0;
            for (final AgentState a : members)
            {
                final double q = a.recentQuality();
                // the score starts at 1.0: only agents that completed something have one of their own
                if (a.completedTotal() > 0 && Double.isFinite(q))
                {
                    sum += q;
                    squares += q * q;
                    scored++;
                }
                final long[] context = ContextTokens.of(a);
                loaded += context[0];
                used += context[1];
            }
            final double mean = scored == 0 ? Double.NaN : sum / scored;
            final double stdDev = scored == 0 ? Double.NaN : Math.sqrt(Math.max(0, squares / scored - mean * mean));
            out.put(type, new TypeStats(type, members.size(), mean, stdDev, loaded, used));
        });
        return out;
    }

    /** @return per agent type, the tasks waiting centrally at each priority. */
    Map<String, Map<Priority, Long>> queueDepthByType()
    {
        final Map<String, Map<Priority, Long>> out = new LinkedHashMap<>();
        engine.fleet.queueDepthByType().forEach((type, depth) ->
        {
            final Map<Priority, Long> byPriority = new EnumMap<>(Priority.class);
            for (final Priority p : Priority.values())
            {
                byPriority.put(p, depth[p.ordinal()]);
            }
            out.put(type, byPriority);
        });
        return out;
    }
}
