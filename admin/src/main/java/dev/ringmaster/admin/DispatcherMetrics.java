package dev.ringmaster.admin;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.metrics.AgentStats;
import dev.ringmaster.metrics.LatencySummary;
import dev.ringmaster.metrics.MetricsSnapshot;
import dev.ringmaster.metrics.TaskCounts;
import dev.ringmaster.metrics.ShadowStats;
import dev.ringmaster.metrics.TypeStats;
import dev.ringmaster.model.Priority;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * Binds a dispatcher's figures to a Micrometer registry, every name prefixed {@code ringmaster.} (Prometheus:
 * {@code ringmaster_}): tasks by state (overall, per priority, and per tenant: the first 32 tenants by name, later
 * ones as {@code (other)}, tasks without one as {@code (none)}), outstanding, retries, timeouts, steals, ejections,
 * faults by kind, queue depth by type and priority, each agent's in flight, load, utilization, ejected flag,
 * completions, failures and tokens, the Gini coefficients, rate-limit holds, latency percentiles per stage since start
 * and over the last minute, throughput since start and over the last minute, and per type the seed's quality spread
 * across agents and context waste ratio. Thread-safe: meters read one
 * snapshot, taken by {@link #refresh()} (once per scrape) or, for a registry read without one, when the last is
 * older than 250 ms.
 *
 * <p>Agents and types that join later get their meters at the next {@link #refresh()}, which a scrape calls first;
 * an agent that left the fleet loses its meters there.
 */
public final class DispatcherMetrics implements MeterBinder
{
    private static final long MAX_AGE_NANOS = 250_000_000L;
    private static final double[] QUANTILES = {0.5, 0.9, 0.99, 0.999};
    private static final String[] STATES = {"accepted", "completed", "dead_lettered", "expired", "cancelled"};

    private final Dispatcher dispatcher;
    private volatile MetricsSnapshot snapshot;
    private volatile Map<String, Map<Priority, Long>> depthByType = Map.of();
    private volatile long takenAtNanos;
    private volatile MeterRegistry registry;
    /** Names of the per-type, per-limit and per-stage meter groups already registered. */
    private final Set<String> bound = ConcurrentHashMap.newKeySet();
    /**
     * Each present agent's meters, removed from the registry when it leaves the fleet: kept, they would export NaN
     * for good, and a counter turning NaN breaks rate(). Changed under {@code this} by {@link #refresh()}.
     */
    private final Map<String, List<Meter>> agentMeters = new HashMap<>();

    public DispatcherMetrics(final Dispatcher dispatcher)
    {
        this.dispatcher = dispatcher;
    }

    @Override
    public void bindTo(final MeterRegistry registry)
    {
        this.registry = registry;
        take();
        for (final String state : STATES)
        {
            FunctionCounter.builder("ringmaster.tasks", this, m -> m.byState(state)).tags("state", state)
                .description("tasks by state: accepted, and each terminal state").register(registry);
            for (final Priority p : Priority.values())
            {
                counter("ringmaster.tasks.by.priority", Tags.of("priority", p.name().toLowerCase(Locale.ROOT), "state",
                    state), x -> count(x.tasksByPriority().get(p), state),
                    "tasks by state per priority (each task at the priority it was submitted with, even if moved since)");
            }
        }
        gauge("ringmaster.tasks.outstanding", Tags.empty(), s -> s.outstanding(), "accepted tasks not yet terminal");
        counter("ringmaster.retries", Tags.empty(), s -> s.retries(), "retries scheduled");
        counter("ringmaster.timeouts", Tags.empty(), s -> s.timeouts(), "attempts that outlived their timeout");
        counter("ringmaster.steals", Tags.empty(), s -> s.steals(), "tasks moved by work stealing");
        counter("ringmaster.ejections", Tags.empty(), s -> s.ejections(), "outlier ejections");
        counter("ringmaster.faults", Tags.of("kind", "strategy"), s -> s.faults().strategy(), "contained faults by kind");
        counter("ringmaster.faults", Tags.of("kind", "listener"), s -> s.faults().listeners(), "contained faults by kind");
        counter("ringmaster.faults", Tags.of("kind", "callback"), s -> s.faults().callbacks(), "contained faults by kind");
        counter("ringmaster.faults", Tags.of("kind", "ignored_completion"), s -> s.faults().ignoredCompletions(),
            "contained faults by kind");
        gauge("ringmaster.gini", Tags.of("by", "count"), s -> s.giniByCount(), "Gini coefficient of work per agent");
        gauge("ringmaster.gini", Tags.of("by", "tokens"), s -> s.giniByTokens(), "Gini coefficient of work per agent");
        gauge("ringmaster.throughput", Tags.empty(), s -> s.throughputPerSecond(), "completed tasks per second since start");
        gauge("ringmaster.throughput.recent", Tags.empty(), s -> s.recent().completedPerSecond(),
            "completed tasks per second over the last minute");
        final ShadowStats shadow = snapshot.shadow();
        if (shadow != null)
        {
            final Tags tags = Tags.of("strategy", shadow.strategy());
            counter("ringmaster.shadow.decisions", tags, s -> shadow(s, ShadowStats::decisions),
                "live decisions the shadow strategy also made");
            counter("ringmaster.shadow.agreements", tags, s -> shadow(s, ShadowStats::agreements),
                "shadow decisions that picked the live strategy's agent");
            counter("ringmaster.shadow.faults", tags, s -> shadow(s, ShadowStats::faults), "contained shadow faults");
            gauge("ringmaster.shadow.agreement", tags, s -> shadow(s, ShadowStats::agreement),
                "fraction of decisions in which the shadow agreed");
            gauge("ringmaster.shadow.regret.seconds", tags, s -> shadow(s, ShadowStats::regretSeconds),
                "mean estimated regret per shadow decision (expected completion on its pick minus on the live pick)");
        }
        refresh();
    }

    /** Takes a fresh snapshot (a scrape calls this first) and registers meters for what joined since. */
    public synchronized void refresh()
    {
        final MeterRegistry r = registry;
        if (r == null)
        {
            return;
        }
        take();
        final MetricsSnapshot s = snapshot;
        final Set<String> present = new HashSet<>();
        for (final AgentStats a : s.agents())
        {
            present.add(a.id());
            if (!agentMeters.containsKey(a.id()))
            {
                final String id = a.id();
                final Tags tags = Tags.of("agent", id, "type", a.type());
                agentMeters.put(id, List.of(
                    gauge("ringmaster.agent.in.flight", tags, x -> agent(x, id, AgentStats::inFlight),
                        "tasks assigned, not finished"),
                    gauge("ringmaster.agent.load", tags, x -> agent(x, id, AgentStats::load), "in flight over capacity"),
                    gauge("ringmaster.agent.utilization", tags, x -> agent(x, id, AgentStats::utilization),
                        "busy time over elapsed time x capacity"),
                    gauge("ringmaster.agent.ejected", tags, x -> agent(x, id, st -> st.ejected() ? 1 : 0),
                        "1 while outlier ejection keeps the agent out of routing"),
                    counter("ringmaster.agent.completed", tags, x -> agent(x, id, AgentStats::completed),
                        "tasks completed"),
                    counter("ringmaster.agent.failed", tags, x -> agent(x, id, AgentStats::failed), "attempts failed"),
                    counter("ringmaster.agent.tokens", tags, x -> agent(x, id, AgentStats::tokens), "tokens reported")));
            }
        }
        // an agent that left (drained, removed, scaled down) takes its series with it; one that comes back under
        // the same id gets new ones at the next refresh
        for (final String id : new ArrayList<>(agentMeters.keySet()))
        {
            if (!present.contains(id))
            {
                agentMeters.remove(id).forEach(r::remove);
            }
        }
        for (final Map.Entry<String, Map<Priority, Long>> type : depthByType.entrySet())
        {
            if (bound.add("type:" + type.getKey()))
            {
                for (final Priority p : Priority.values())
                {
                    final String t = type.getKey();
                    Gauge.builder("ringmaster.queue.depth", this, m -> m.depth(t, p))
                        .tags("type", t, "priority", p.name().toLowerCase(Locale.ROOT))
                        .description("tasks waiting centrally").register(r);
                }
            }
        }
        for (final String type : s.types().keySet())
        {
            if (bound.add("quality:" + type))
            {
                final Tags tags = Tags.of("type", type);
                gauge("ringmaster.quality.stddev", tags, x -> type(x, type, TypeStats::qualityStdDev),
                    "standard deviation of the recent quality scores across the type's agents");
                gauge("ringmaster.quality.mean", tags, x -> type(x, type, TypeStats::meanQuality),
                    "mean of the recent quality scores of the type's agents");
                gauge("ringmaster.context.waste.ratio", tags, x -> type(x, type, TypeStats::contextWasteRatio),
                    "context tokens loaded but not used over those loaded, from adapter telemetry");
                counter("ringmaster.context.tokens", Tags.of("type", type, "kind", "loaded"),
                    x -> type(x, type, TypeStats::contextTokensLoaded), "context tokens adapters reported, by kind");
                counter("ringmaster.context.tokens", Tags.of("type", type, "kind", "used"),
                    x -> type(x, type, TypeStats::contextTokensUsed), "context tokens adapters reported, by kind");
            }
        }
        for (final String tenant : s.tasksByTenant().keySet())
        {
            if (bound.add("tenant:" + tenant))
            {
                for (final String state : STATES)
                {
                    counter("ringmaster.tasks.by.tenant", Tags.of("tenant", tenant, "state", state),
                        x -> count(x.tasksByTenant().get(tenant), state),
                        "tasks by state per tenant: the first 32 by name, then (other); (none) without a tenant");
                }
            }
        }
        for (final String limit : s.rateLimitedNanos().keySet())
        {
            if (bound.add("limit:" + limit))
            {
                counter("ringmaster.rate.limited.seconds", Tags.of("limit", limit),
                    x -> x.rateLimitedNanos().getOrDefault(limit, 0L) / 1e9, "time a rate limit held work back");
            }
        }
        for (final String stage : s.stages().keySet())
        {
            if (bound.add("stage:" + stage))
            {
                final String name = stage.toLowerCase(Locale.ROOT);
                for (final double q : QUANTILES)
                {
                    gauge("ringmaster.stage.latency.seconds", Tags.of("stage", name, "quantile", Double.toString(q)),
                        x -> percentile(x.stages().get(stage), q), "latency per stage since start, by quantile");
                }
                counter("ringmaster.stage.count", Tags.of("stage", name), x -> x.stages().get(stage).count(),
                    "samples per stage (routing: one decision in 16)");
                for (final double q : QUANTILES)
                {
                    gauge("ringmaster.stage.latency.recent.seconds", Tags.of("stage", name, "quantile",
                        Double.toString(q)), x -> percentile(x.recent().stages().get(stage), q),
                        "latency per stage over the last minute, by quantile");
                }
            }
        }
    }

    private static double percentile(final LatencySummary l, final double q)
    {
        if (l == null || l.count() == 0)
        {
            return 0;
        }
        return l.histogram().getValueAtPercentile(q * 100) / 1e9;
    }

    private static double agent(final MetricsSnapshot s, final String id, final ToDoubleFunction<AgentStats> f)
    {
        for (final AgentStats a : s.agents())
        {
            if (a.id().equals(id))
            {
                return f.applyAsDouble(a);
            }
        }
        return Double.NaN; // the agent left since the last refresh, which removes its meters
    }

    private static double shadow(final MetricsSnapshot s, final ToDoubleFunction<ShadowStats> f)
    {
        return s.shadow() == null ? Double.NaN : f.applyAsDouble(s.shadow());
    }

    private static double type(final MetricsSnapshot s, final String type, final ToDoubleFunction<TypeStats> f)
    {
        final TypeStats t = s.types().get(type);
        return t == null ? Double.NaN : f.applyAsDouble(t);
    }

    private double depth(final String type, final Priority p)
    {
        current();
        final Map<Priority, Long> byPriority = depthByType.get(type);
        return byPriority == null ? 0 : byPriority.getOrDefault(p, 0L);
    }

    private double byState(final String state)
    {
        final MetricsSnapshot s = current();
        return count(new TaskCounts(s.accepted(), s.completed(), s.deadLettered(), s.expired(), s.cancelled()), state);
    }

    private static double count(final TaskCounts c, final String state)
    {
        if (c == null)
        {
            return 0;
        }
        return switch (state)
        {
            case "accepted" -> c.accepted();
            case "completed" -> c.completed();
            case "dead_lettered" -> c.deadLettered();
            case "expired" -> c.expired();
            default -> c.cancelled();
        };
    }

    private Meter gauge(final String name, final Tags tags, final ToDoubleFunction<MetricsSnapshot> f, final String help)
    {
        return Gauge.builder(name, this, m -> f.applyAsDouble(m.current())).tags(tags).description(help).register(registry);
    }

    private Meter counter(final String name, final Tags tags, final ToDoubleFunction<MetricsSnapshot> f, final String help)
    {
        return FunctionCounter.builder(name, this, m -> f.applyAsDouble(m.current())).tags(tags).description(help)
            .register(registry);
    }

    private MetricsSnapshot current()
    {
        if (snapshot == null || System.nanoTime() - takenAtNanos > MAX_AGE_NANOS)
        {
            take();
        }
        return snapshot;
    }

    private void take()
    {
        // two racing scrapes may both take one: harmless, and cheaper than making every meter wait on a lock
        depthByType = dispatcher.queueDepthByType();
        snapshot = dispatcher.metrics();
        takenAtNanos = System.nanoTime();
    }
}
