package dev.ringmaster.tools;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders the admin endpoint's JSON answers as short tables for people; stateless, any thread. The field names are
 * the ones {@code dev.ringmaster.admin.internal.Views} writes.
 */
final class AdminText
{
    private static final String[] PRIORITIES = {"CRITICAL", "HIGH", "MEDIUM", "LOW"};

    private AdminText()
    {
    }

    static void status(final JsonNode s, final PrintWriter out)
    {
        out.printf(Locale.ROOT, "state        %s, strategy %s, up %.1f s%n", s.path("state").asText(),
            s.path("strategy").asText(), s.path("uptime_s").asDouble());
        final List<String> types = new ArrayList<>();
        final List<String> paused = new ArrayList<>();
        for (final Iterator<Map.Entry<String, JsonNode>> it = s.path("types").fields(); it.hasNext(); )
        {
            final Map.Entry<String, JsonNode> t = it.next();
            types.add(t.getKey() + " " + t.getValue().path("agents").asInt());
            if (t.getValue().path("paused").asBoolean())
            {
                paused.add(t.getKey());
            }
        }
        out.printf(Locale.ROOT, "agents       %d (%s); paused types: %s%n", s.path("agents").asInt(),
            String.join(", ", types), paused.isEmpty() ? "none" : String.join(", ", paused));
        out.printf(Locale.ROOT, "tasks        accepted %,d  completed %,d  outstanding %,d  queued %,d%n",
            s.path("accepted").asLong(), s.path("completed").asLong(), s.path("outstanding").asLong(),
            s.path("queued").asLong());
        out.printf(Locale.ROOT, "             dead-lettered %,d  expired %,d  cancelled %,d  retries %,d  timeouts %,d  " +
            "steals %,d%n", s.path("dead_lettered").asLong(), s.path("expired").asLong(), s.path("cancelled").asLong(),
            s.path("retries").asLong(), s.path("timeouts").asLong(), s.path("steals").asLong());
        final JsonNode recent = s.path("recent");
        out.printf(Locale.ROOT, "throughput   %,.0f tasks/s over the last %.0f s, %,.0f since start%n",
            recent.path("throughput_per_s").asDouble(), recent.path("window_s").asDouble(),
            s.path("throughput_per_s").asDouble());
        out.printf(Locale.ROOT, "gini         %.3f by count, %.3f by tokens%n", s.path("gini_by_count").asDouble(),
            s.path("gini_by_tokens").asDouble());
        out.printf(Locale.ROOT, "overloaded   %s%n", list(s.path("overloaded")));
        final JsonNode e2e = s.path("latency_ms").path("END_TO_END");
        final JsonNode e2eRecent = recent.path("latency_ms").path("END_TO_END");
        if (!e2eRecent.isMissingNode())
        {
            out.printf(Locale.ROOT, "end to end   p50 %.2f ms, p99 %.2f ms, max %.2f ms over the last %.0f s%n",
                e2eRecent.path("p50").asDouble(), e2eRecent.path("p99").asDouble(), e2eRecent.path("max").asDouble(),
                recent.path("window_s").asDouble());
        }
        if (!e2e.isMissingNode())
        {
            out.printf(Locale.ROOT, "             p50 %.2f ms, p99 %.2f ms, max %.2f ms since start%n",
                e2e.path("p50").asDouble(), e2e.path("p99").asDouble(), e2e.path("max").asDouble());
        }
    }

    static void queueDepth(final JsonNode q, final PrintWriter out)
    {
        out.printf(Locale.ROOT, "%-14s %-6s %9s %9s %9s %9s %9s%n", "TYPE", "PAUSED", PRIORITIES[0], PRIORITIES[1],
            PRIORITIES[2], PRIORITIES[3], "TOTAL");
        for (final Iterator<Map.Entry<String, JsonNode>> it = q.path("by_type").fields(); it.hasNext(); )
        {
            final Map.Entry<String, JsonNode> t = it.next();
            final JsonNode levels = t.getValue().path("by_priority");
            out.printf(Locale.ROOT, "%-14s %-6s %9d %9d %9d %9d %9d%n", t.getKey(),
                t.getValue().path("paused").asBoolean() ? "yes" : "no", levels.path(PRIORITIES[0]).asLong(),
                levels.path(PRIORITIES[1]).asLong(), levels.path(PRIORITIES[2]).asLong(),
                levels.path(PRIORITIES[3]).asLong(), t.getValue().path("total").asLong());
        }
        final JsonNode all = q.path("by_priority");
        out.printf(Locale.ROOT, "%-14s %-6s %9d %9d %9d %9d %9d%n", "(all)", "", all.path(PRIORITIES[0]).asLong(),
            all.path(PRIORITIES[1]).asLong(), all.path(PRIORITIES[2]).asLong(), all.path(PRIORITIES[3]).asLong(),
            q.path("total").asLong());
    }

    static void agents(final JsonNode a, final PrintWriter out)
    {
        // QUEUED (pushed to its inbox, not started: up to the prefetch) beside IN-FLIGHT, which counts them too: without
        // it, a capacity-1 agent with one running and one prefetched read as 2 in flight, past its capacity
        out.printf(Locale.ROOT, "%-14s %-11s %4s %9s %6s %6s %6s %10s %7s %12s  %s%n", "AGENT", "TYPE", "CAP",
            "IN-FLIGHT", "QUEUED", "LOAD", "UTIL", "COMPLETED", "FAILED", "TOKENS", "FLAGS");
        for (final JsonNode n : a.path("agents"))
        {
            final List<String> flags = new ArrayList<>();
            if (n.path("overloaded").asBoolean())
            {
                flags.add("OVERLOADED");
            }
            if (n.path("draining").asBoolean())
            {
                flags.add("DRAINING");
            }
            out.printf(Locale.ROOT, "%-14s %-11s %4d %9d %6d %6.2f %6.2f %,10d %,7d %,12d  %s%n", n.path("id").asText(),
                n.path("type").asText(), n.path("capacity").asInt(), n.path("in_flight").asInt(),
                n.path("queued").asInt(), n.path("load").asDouble(), n.path("utilization").asDouble(), n.path("completed").asLong(),
                n.path("failed").asLong(), n.path("tokens").asLong(), String.join(" ", flags));
        }
        out.printf(Locale.ROOT, "overloaded: %s%n", list(a.path("overloaded")));
    }

    static void distribution(final JsonNode d, final PrintWriter out)
    {
        out.printf(Locale.ROOT, "%-14s %-11s %10s %7s %14s %7s%n", "AGENT", "TYPE", "TASKS", "SHARE", "TOKENS", "SHARE");
        for (final JsonNode n : d.path("agents"))
        {
            out.printf(Locale.ROOT, "%-14s %-11s %,10d %6.1f%% %,14d %6.1f%%%n", n.path("id").asText(),
                n.path("type").asText(), n.path("completed").asLong(), 100 * n.path("share_of_tasks").asDouble(),
                n.path("tokens").asLong(), 100 * n.path("share_of_tokens").asDouble());
        }
        out.printf(Locale.ROOT, "gini: %.3f by task count, %.3f by tokens (0 = perfectly even, 1 = one agent does all)%n",
            d.path("gini_by_count").asDouble(), d.path("gini_by_tokens").asDouble());
    }

    static void deadLetters(final JsonNode d, final PrintWriter out)
    {
        out.printf(Locale.ROOT, "%s kept, the last %d shown%n", count(d.path("kept").asInt(), "dead letter"),
            d.path("shown").asInt());
        for (final JsonNode n : d.path("dead_letters"))
        {
            out.printf(Locale.ROOT, "task %d (%s, %s) %s after %s, last on %s at %s: %s%n",
                n.path("task_id").asLong(), n.path("type").asText(), n.path("priority").asText(),
                n.path("state").asText(), count(n.path("attempts").asInt(), "attempt"),
                n.path("last_agent").isNull() ? "no agent" : n.path("last_agent").asText(), n.path("at").asText(),
                n.path("reason").asText());
        }
    }

    /**
     * A count and its noun, singular for exactly one ("1 agent", "2 agents"), so that no output reads "1 agents"; the
     * noun's plural is its singular plus "s", which every noun counted here takes.
     */
    static String count(final long n, final String noun)
    {
        return String.format(Locale.ROOT, "%,d %s%s", n, noun, n == 1 ? "" : "s");
    }

    static String list(final JsonNode array)
    {
        final List<String> items = new ArrayList<>();
        array.forEach(n -> items.add(n.asText()));
        return items.isEmpty() ? "none" : String.join(", ", items);
    }
}
