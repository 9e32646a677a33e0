package dev.ringmaster.admin.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ringmaster.dispatch.DeadLetter;
import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.dispatch.ReprioritizeOutcome;
import dev.ringmaster.metrics.AgentStats;
import dev.ringmaster.metrics.LatencySummary;
import dev.ringmaster.metrics.MetricsSnapshot;
import dev.ringmaster.metrics.RecentWindow;
import dev.ringmaster.metrics.TaskCounts;
import dev.ringmaster.model.Priority;
import dev.ringmaster.spi.AgentView;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JSON documents of the admin endpoint, built from the dispatcher's snapshot methods; stateless and thread-safe.
 *
 * <p>Field names are snake_case like the demo's JSON summary; ratios are rounded to 4 decimals and a value that is not
 * a number (nothing measured yet) is written as null, since JSON has no NaN.
 */
public final class Views
{
    /** Thread-safe once built; shared by every request. */
    public static final ObjectMapper JSON = JsonMapper.builder()
        // {"type":"a","type":"b"} is a client bug: taking the last value silently would run something it did not mean
        .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private static final JsonNodeFactory NODES = JSON.getNodeFactory();

    private Views()
    {
    }

    public static ObjectNode object()
    {
        return NODES.objectNode();
    }

    public static ObjectNode error(final String error, final String fix)
    {
        final ObjectNode o = object();
        o.put("error", error);
        if (fix != null)
        {
            o.put("fix", fix);
        }
        return o;
    }

    public static ObjectNode status(final Dispatcher d, final String state)
    {
        final MetricsSnapshot m = d.metrics();
        final ObjectNode o = object();
        o.put("state", state);
        o.put("strategy", m.strategy());
        o.put("uptime_s", ratio(m.elapsedNanos() / 1e9));
        o.put("agents", m.agents().size());
        final ObjectNode types = o.putObject("types");
        final Map<String, Integer> agentsByType = new HashMap<>();
        for (final AgentStats a : m.agents())
        {
            agentsByType.merge(a.type(), 1, Integer::sum);
        }
        d.types().forEach((type, paused) ->
        {
            final ObjectNode t = types.putObject(type);
            t.put("paused", paused);
            t.put("agents", agentsByType.getOrDefault(type, 0));
        });
        o.put("accepted", m.accepted());
        o.put("completed", m.completed());
        o.put("dead_lettered", m.deadLettered());
        o.put("expired", m.expired());
        o.put("cancelled", m.cancelled());
        o.put("outstanding", m.outstanding());
        o.put("queued", total(m.queueDepth()));
        o.put("retries", m.retries());
        o.put("timeouts", m.timeouts());
        o.put("steals", m.steals());
        o.put("throughput_per_s", ratio(m.throughputPerSecond()));
        o.put("gini_by_count", ratio(m.giniByCount()));
        o.put("gini_by_tokens", ratio(m.giniByTokens()));
        final ArrayNode overloaded = o.putArray("overloaded");
        for (final AgentStats a : m.agents())
        {
            if (a.overloaded())
            {
                overloaded.add(a.id());
            }
        }
        final ObjectNode latency = o.putObject("latency_ms");
        m.stages().forEach((stage, s) -> latency.set(stage, latency(s)));
        o.put("context_waste_ratio", ratio(m.contextWasteRatio()));
        final ObjectNode quality = o.putObject("quality");
        m.types().forEach((type, t) ->
        {
            final ObjectNode q = quality.putObject(type);
            q.put("mean", ratio(t.meanQuality()));
            q.put("stddev", ratio(t.qualityStdDev()));
            q.put("context_waste_ratio", ratio(t.contextWasteRatio()));
        });
        final ObjectNode limits = o.putObject("rate_limited_s");
        m.rateLimitedNanos().forEach((limit, nanos) -> limits.put(limit, ratio(nanos / 1e9)));
        o.set("recent", recent(m.recent()));
        final ObjectNode byPriority = o.putObject("tasks_by_priority");
        m.tasksByPriority().forEach((p, c) -> byPriority.set(p.name(), counts(c)));
        final ObjectNode byTenant = o.putObject("tasks_by_tenant");
        m.tasksByTenant().forEach((tenant, c) -> byTenant.set(tenant, counts(c)));
        return o;
    }

    /** The last minute: how long the window really is, rates, counts and latency per stage. */
    private static ObjectNode recent(final RecentWindow w)
    {
        final ObjectNode n = object();
        n.put("window_s", ratio(w.spanNanos() / 1e9));
        n.put("throughput_per_s", ratio(w.completedPerSecond()));
        n.put("accepted_per_s", ratio(w.acceptedPerSecond()));
        n.put("completed", w.completed());
        n.put("dead_lettered", w.deadLettered());
        n.put("expired", w.expired());
        final ObjectNode latency = n.putObject("latency_ms");
        w.stages().forEach((stage, s) -> latency.set(stage, latency(s)));
        return n;
    }

    private static ObjectNode counts(final TaskCounts c)
    {
        final ObjectNode n = object();
        n.put("accepted", c.accepted());
        n.put("completed", c.completed());
        n.put("dead_lettered", c.deadLettered());
        n.put("expired", c.expired());
        n.put("cancelled", c.cancelled());
        n.put("outstanding", c.outstanding());
        return n;
    }

    public static ObjectNode queueDepth(final Dispatcher d)
    {
        final ObjectNode o = object();
        final Map<String, Boolean> paused = d.types();
        final long[] sum = new long[Priority.COUNT];
        final ObjectNode byType = object();
        d.queueDepthByType().forEach((type, depth) ->
        {
            final ObjectNode t = byType.putObject(type);
            t.put("paused", paused.getOrDefault(type, false));
            t.put("total", total(depth));
            final ObjectNode levels = t.putObject("by_priority");
            for (final Priority p : Priority.values())
            {
                final long n = depth.getOrDefault(p, 0L);
                levels.put(p.name(), n);
                sum[p.ordinal()] += n;
            }
        });
        long total = 0;
        final ObjectNode byPriority = object();
        for (final Priority p : Priority.values())
        {
            byPriority.put(p.name(), sum[p.ordinal()]);
            total += sum[p.ordinal()];
        }
        // per-type figures summed here rather than taken from metrics(), so the two halves of the answer agree
        o.put("total", total);
        o.set("by_priority", byPriority);
        o.set("by_type", byType);
        return o;
    }

    public static ObjectNode agents(final Dispatcher d, final Set<String> draining,
                                    final java.util.function.Function<String, Map<String, String>> details)
    {
        final MetricsSnapshot m = d.metrics();
        final Map<String, AgentView> views = new HashMap<>();
        for (final AgentView v : d.agents())
        {
            views.put(v.id(), v);
        }
        final ObjectNode o = object();
        final ArrayNode list = o.putArray("agents");
        final ArrayNode overloaded = o.putArray("overloaded");
        for (final AgentStats a : m.agents())
        {
            final ObjectNode n = list.addObject();
            n.put("id", a.id());
            n.put("type", a.type());
            n.put("capacity", a.capacity());
            n.put("in_flight", a.inFlight());
            final AgentView v = views.get(a.id());
            if (v != null)
            {
                n.put("queued", v.queued());
            }
            n.put("load", ratio(a.load()));
            n.put("utilization", ratio(a.utilization()));
            n.put("overloaded", a.overloaded());
            try
            {
                details.apply(a.id()).forEach(n::put);
            }
            catch (final RuntimeException e)
            {
                n.put("details_error", String.valueOf(e)); // the embedder's hook failing costs its fields, not the route
            }
            n.put("ejected", a.ejected());
            n.put("hung_slots", a.hungSlots());
            n.put("draining", draining.contains(a.id()));
            n.put("completed", a.completed());
            n.put("failed", a.failed());
            n.put("stolen", a.stolen());
            n.put("tokens", a.tokens());
            if (v != null)
            {
                n.put("ewma_latency_ms", ratio(v.ewmaLatencyNanos() / 1e6));
                n.put("context_utilization", ratio(v.contextUtilization()));
                n.put("recent_quality", ratio(v.recentQuality()));
            }
            if (a.overloaded())
            {
                overloaded.add(a.id());
            }
        }
        return o;
    }

    public static ObjectNode agent(final AgentView v)
    {
        final ObjectNode n = object();
        n.put("id", v.id());
        n.put("type", v.spec().type());
        n.put("capacity", v.capacity());
        n.put("weight", v.weight());
        n.put("speed", v.speed());
        final ObjectNode skills = n.putObject("skills");
        v.spec().proficiency().forEach(skills::put);
        return n;
    }

    public static ObjectNode distribution(final Dispatcher d)
    {
        final MetricsSnapshot m = d.metrics();
        long count = 0;
        long tokens = 0;
        for (final AgentStats a : m.agents())
        {
            count += a.completed();
            tokens += a.tokens();
        }
        final ObjectNode o = object();
        o.put("gini_by_count", ratio(m.giniByCount()));
        o.put("gini_by_tokens", ratio(m.giniByTokens()));
        o.put("completed", count);
        o.put("tokens", tokens);
        final ArrayNode list = o.putArray("agents");
        for (final AgentStats a : m.agents())
        {
            final ObjectNode n = list.addObject();
            n.put("id", a.id());
            n.put("type", a.type());
            n.put("completed", a.completed());
            n.put("share_of_tasks", ratio(count == 0 ? 0 : (double)a.completed() / count));
            n.put("tokens", a.tokens());
            n.put("share_of_tokens", ratio(tokens == 0 ? 0 : (double)a.tokens() / tokens));
        }
        return o;
    }

    public static ObjectNode deadLetters(final Dispatcher d, final int limit)
    {
        final List<DeadLetter> all = d.deadLetters();
        final ObjectNode o = object();
        o.put("kept", all.size());
        final List<DeadLetter> shown = all.subList(Math.max(0, all.size() - limit), all.size());
        o.put("shown", shown.size());
        final ArrayNode list = o.putArray("dead_letters");
        for (final DeadLetter dl : shown)
        {
            final ObjectNode n = list.addObject();
            n.put("task_id", dl.task().id());
            n.put("type", dl.task().type());
            n.put("priority", dl.task().priority().name());
            n.put("state", dl.state().name());
            n.put("reason", dl.reason());
            n.put("attempts", dl.attempts());
            n.put("last_agent", dl.lastAgentId());
            n.put("at", Instant.ofEpochMilli(dl.epochMillis()).toString());
        }
        return o;
    }

    public static ObjectNode reprioritized(final long taskId, final Priority priority, final ReprioritizeOutcome outcome)
    {
        final ObjectNode o = object();
        o.put("task_id", taskId);
        o.put("priority", priority.name());
        o.put("outcome", outcome.name());
        o.put("reason", outcome.reason());
        return o;
    }

    private static ObjectNode latency(final LatencySummary s)
    {
        final ObjectNode n = object();
        n.put("count", s.count());
        n.put("p50", ratio(s.p50Nanos() / 1e6));
        n.put("p99", ratio(s.p99Nanos() / 1e6));
        n.put("max", ratio(s.maxNanos() / 1e6));
        return n;
    }

    static long total(final Map<Priority, Long> depth)
    {
        long sum = 0;
        for (final long n : depth.values())
        {
            sum += n;
        }
        return sum;
    }

    /** @return the value rounded to 4 decimals, or null where nothing was measured (JSON has no NaN). */
    static Double ratio(final double value)
    {
        return Double.isFinite(value) ? Math.round(value * 10_000.0) / 10_000.0 : null;
    }
}
