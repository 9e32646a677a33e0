package dev.ringmaster.tools;

import dev.ringmaster.dispatch.DeadLetter;
import dev.ringmaster.dispatch.SubmitStatus;
import dev.ringmaster.metrics.AgentStats;
import dev.ringmaster.metrics.LatencySummary;
import dev.ringmaster.metrics.MetricsSnapshot;
import dev.ringmaster.model.Priority;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of one finished demo run and their two renderings, a text summary for people and one JSON object for
 * scripts; immutable after construction (it copies what it is given), so any thread may read and render it.
 *
 * <p>Terminal counts come from the demo's own {@link LifecycleTally} (what the listener saw) and are cross-checked
 * against the dispatcher's {@link MetricsSnapshot}; the two are independent paths through the core, so agreement
 * means something.
 */
public final class DemoReport
{
    private static final String[] STAGES = {"QUEUE_WAIT", "ROUTING", "EXECUTION", "END_TO_END"};

    private final DemoSettings settings;
    private final Fleet fleet;
    private final boolean drained;
    private final long wallNanos;
    private final long acceptedBySubmit;
    private final Map<SubmitStatus, Long> rejections;
    private final MetricsSnapshot metrics;
    private final List<DeadLetter> deadLetterSamples;
    private final LatencySummary clockLateness;
    private final long clockErrors;

    private final long accepted;
    private final long completed;
    private final long deadLettered;
    private final long expired;
    private final long cancelled;
    private final long failedAttempts;
    private final long retried;
    private final long stolen;
    private final long duplicateTerminals;
    private final long acceptedWithoutTerminal;
    private final Map<Priority, LatencySummary> endToEndByPriority = new EnumMap<>(Priority.class);

    DemoReport(final DemoSettings settings, final Fleet fleet, final boolean drained, final long wallNanos,
               final long acceptedBySubmit, final Map<SubmitStatus, Long> rejections, final LifecycleTally tally,
               final MetricsSnapshot metrics, final List<DeadLetter> deadLetterSamples, final Histogram clockLateness,
               final long clockErrors)
    {
        this.settings = settings;
        this.fleet = fleet;
        this.drained = drained;
        this.wallNanos = wallNanos;
        this.acceptedBySubmit = acceptedBySubmit;
        this.rejections = Map.copyOf(rejections);
        this.metrics = metrics;
        this.deadLetterSamples = List.copyOf(deadLetterSamples);
        this.clockLateness = LatencySummary.of(clockLateness);
        this.clockErrors = clockErrors;
        this.accepted = tally.accepted();
        this.completed = tally.completed();
        this.deadLettered = tally.deadLettered();
        this.expired = tally.expired();
        this.cancelled = tally.cancelled();
        this.failedAttempts = tally.failedAttempts();
        this.retried = tally.retried();
        this.stolen = tally.stolen();
        this.duplicateTerminals = tally.duplicateTerminals();
        this.acceptedWithoutTerminal = tally.acceptedWithoutTerminal();
        for (final Priority p : Priority.values())
        {
            endToEndByPriority.put(p, LatencySummary.of(tally.endToEnd(p)));
        }
    }

    /** @return accepted minus the terminal events the listener saw; must be 0. */
    public long lost()
    {
        return accepted - (completed + deadLettered + expired + cancelled);
    }

    /** @return the same computed from the dispatcher's metrics snapshot. */
    public long lostByMetrics()
    {
        return metrics.accepted() - metrics.terminal();
    }

    /** @return tasks the producers could not submit within the wait bound (or that were refused outright). */
    public long rejected()
    {
        long sum = 0;
        for (final long n : rejections.values())
        {
            sum += n;
        }
        return sum;
    }

    /** @return true if the listener's counts, the metrics, and the producers' view of acceptance all agree. */
    public boolean consistent()
    {
        return metrics.accepted() == accepted && metrics.completed() == completed &&
            metrics.deadLettered() == deadLettered && metrics.expired() == expired &&
            metrics.cancelled() == cancelled && metrics.outstanding() == 0 && acceptedBySubmit == accepted &&
            duplicateTerminals == 0 && acceptedWithoutTerminal == 0 && clockErrors == 0;
    }

    /** @return true if the run drained, nothing was lost, and every count agrees. */
    public boolean ok()
    {
        return drained && lost() == 0 && lostByMetrics() == 0 && consistent();
    }

    /** @return why {@link #ok()} is false, one problem per entry; empty when ok. */
    public List<String> problems()
    {
        final List<String> problems = new ArrayList<>();
        if (!drained)
        {
            problems.add("the dispatcher did not drain in time; the rest was cancelled");
        }
        if (lost() != 0)
        {
            problems.add(lost() + " accepted task(s) never reached a terminal state (listener count)");
        }
        if (lostByMetrics() != 0)
        {
            problems.add(lostByMetrics() + " accepted task(s) never reached a terminal state (metrics snapshot)");
        }
        if (metrics.accepted() != accepted || metrics.completed() != completed ||
            metrics.deadLettered() != deadLettered || metrics.expired() != expired || metrics.cancelled() != cancelled)
        {
            problems.add(String.format(Locale.ROOT,
                "listener and metrics disagree: accepted %d/%d, completed %d/%d, dead-lettered %d/%d, expired %d/%d, cancelled %d/%d",
                accepted, metrics.accepted(), completed, metrics.completed(), deadLettered, metrics.deadLettered(),
                expired, metrics.expired(), cancelled, metrics.cancelled()));
        }
        if (metrics.outstanding() != 0)
        {
            problems.add(metrics.outstanding() + " task(s) still outstanding after the drain");
        }
        if (acceptedBySubmit != accepted)
        {
            problems.add("submit() returned ACCEPTED " + acceptedBySubmit + " times but the listener saw " + accepted +
                " acceptances");
        }
        if (duplicateTerminals != 0)
        {
            problems.add(duplicateTerminals + " task(s) got more than one terminal event");
        }
        if (acceptedWithoutTerminal != 0)
        {
            problems.add(acceptedWithoutTerminal + " accepted task id(s) never got a terminal event");
        }
        if (clockErrors != 0)
        {
            problems.add(clockErrors + " simulated completion(s) threw (completed twice?)");
        }
        return problems;
    }

    /** @return completed tasks per second of wall time, from the first submission to the end of the drain. */
    public double throughputPerSecond()
    {
        return wallNanos == 0 ? 0 : completed * 1e9 / wallNanos;
    }

    private LatencySummary stage(final String name)
    {
        final LatencySummary s = metrics.stages().get(name);
        return s != null ? s : LatencySummary.of(new Histogram(3));
    }

    // ---------------------------------------------------------------- text

    /** @return the summary for a terminal, several lines, each ending in a newline. */
    public String toText()
    {
        final StringBuilder sb = new StringBuilder(4096);
        final Map<String, Integer> byType = fleet.countByType();
        line(sb, "Ringmaster demo: %s tasks, strategy %s, seed %d", n(settings.tasks()), metrics.strategy(), settings.seed());
        line(sb, "  fleet: %d agents %s, %d slots; %d producer(s), queue capacity %s per type and priority",
            fleet.profiles().size(), byType, fleet.totalCapacity(), settings.producers(), n(settings.queueCapacity()));
        sb.append('\n');
        line(sb, "Outcome");
        line(sb, "  accepted %s   completed %s   dead-lettered %s   expired %s   cancelled %s   rejected %s",
            n(accepted), n(completed), n(deadLettered), n(expired), n(cancelled), n(rejected()));
        line(sb, "  lost %d (accepted - completed - dead-lettered - expired - cancelled); metrics cross-check: %s",
            lost(), consistent() && lostByMetrics() == 0 ? "agrees, lost 0" : "MISMATCH, see below");
        line(sb, "  failed attempts %s   retries %s   timeouts %s   steals %s",
            n(failedAttempts), n(retried), n(metrics.timeouts()), n(stolen));
        line(sb, "  wall time %.2f s   throughput %s tasks/s", wallNanos / 1e9, n(Math.round(throughputPerSecond())));
        line(sb, "  Gini by tasks %.3f   by tokens %.3f   (0 = perfectly even, 1 = one agent does all)",
            metrics.giniByCount(), metrics.giniByTokens());
        for (final Map.Entry<SubmitStatus, Long> e : rejections.entrySet())
        {
            line(sb, "  rejected %s x%s: %s", e.getKey(), n(e.getValue()), e.getKey().reason());
        }
        sb.append('\n');

        line(sb, "Latency by stage       %10s %10s %10s %10s %10s %10s %10s", "count", "mean", "p50", "p90", "p99",
            "p99.9", "max");
        for (final String name : STAGES)
        {
            latencyRow(sb, "  " + name, stage(name));
        }
        line(sb, "End to end by priority (completed tasks)");
        for (final Priority p : Priority.values())
        {
            latencyRow(sb, "  " + p, endToEndByPriority.get(p));
        }
        latencyRow(sb, "Sim clock lateness", clockLateness);
        sb.append('\n');

        line(sb, "Agents          %-10s %5s %4s %10s %7s %13s %7s %6s", "type", "speed", "cap", "completed", "failed",
            "tokens", "stolen", "util");
        for (final AgentStats a : metrics.agents())
        {
            final Fleet.Profile profile = fleet.profile(a.id());
            line(sb, "  %-13s %-10s %5s %4d %10s %7s %13s %7s %5.1f%%", a.id(), a.type(),
                profile != null ? profile.speed() + "x" : "?", a.capacity(), n(a.completed()), n(a.failed()),
                n(a.tokens()), n(a.stolen()), a.utilization() * 100);
        }
        sb.append('\n');

        line(sb, "Dead letters: %s dead-lettered, %s expired%s", n(deadLettered), n(expired),
            deadLetterSamples.isEmpty() ? "" : "; the first " + deadLetterSamples.size() + ":");
        for (final DeadLetter d : deadLetterSamples)
        {
            line(sb, "  task %d (%s, %s) %s after %d attempt(s), last on %s: %s", d.task().id(), d.task().type(),
                d.task().priority(), d.state(), d.attempts(), d.lastAgentId(), d.reason());
        }
        final List<String> problems = problems();
        if (!problems.isEmpty())
        {
            sb.append('\n');
            line(sb, "PROBLEMS");
            for (final String p : problems)
            {
                line(sb, "  %s", p);
            }
        }
        return sb.toString();
    }

    private static void latencyRow(final StringBuilder sb, final String label, final LatencySummary s)
    {
        line(sb, "%-22s %10s %10s %10s %10s %10s %10s %10s", label, n(s.count()), duration(Math.round(s.meanNanos())),
            duration(s.p50Nanos()), duration(s.p90Nanos()), duration(s.p99Nanos()), duration(s.p999Nanos()),
            duration(s.maxNanos()));
    }

    private static void line(final StringBuilder sb, final String format, final Object... args)
    {
        sb.append(String.format(Locale.ROOT, format, args)).append('\n');
    }

    private static String n(final long value)
    {
        return String.format(Locale.ROOT, "%,d", value);
    }

    /** @return nanoseconds in the unit that keeps 3 significant digits readable (ASCII "us", not the micro sign). */
    static String duration(final long nanos)
    {
        if (nanos < 1_000)
        {
            return nanos + " ns";
        }
        if (nanos < 1_000_000)
        {
            return String.format(Locale.ROOT, "%.1f us", nanos / 1e3);
        }
        if (nanos < 1_000_000_000)
        {
            return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
        }
        return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }

    // ---------------------------------------------------------------- JSON

    /** @return the same summary as one JSON object on one line; durations in nanoseconds, ratios in [0, 1]. */
    public String toJson()
    {
        final LatencySummary e2e = stage("END_TO_END");
        final Json j = new Json().beginObject()
            .field("ok", ok())
            .field("strategy", metrics.strategy())
            .field("seed", settings.seed())
            .field("tasks", settings.tasks())
            .field("producers", settings.producers())
            .field("queue_capacity", settings.queueCapacity())
            .field("accepted", accepted)
            .field("completed", completed)
            .field("dead_lettered", deadLettered)
            .field("expired", expired)
            .field("cancelled", cancelled)
            .field("rejected", rejected())
            .field("lost", lost())
            .field("lost_by_metrics", lostByMetrics())
            .field("metrics_consistent", consistent())
            .field("drained", drained)
            .field("failed_attempts", failedAttempts)
            .field("retries", retried)
            .field("timeouts", metrics.timeouts())
            .field("steals", stolen)
            .field("wall_time_ns", wallNanos)
            .field("throughput_per_s", throughputPerSecond())
            .field("gini", metrics.giniByCount())
            .field("gini_tokens", metrics.giniByTokens())
            .field("p50_ns", e2e.p50Nanos())
            .field("p90_ns", e2e.p90Nanos())
            .field("p99_ns", e2e.p99Nanos())
            .field("p999_ns", e2e.p999Nanos())
            .field("max_ns", e2e.maxNanos());

        j.name("rejections").beginObject();
        for (final Map.Entry<SubmitStatus, Long> e : rejections.entrySet())
        {
            j.field(e.getKey().name(), e.getValue());
        }
        j.endObject();

        j.name("stages").beginObject();
        for (final String name : STAGES)
        {
            j.name(name);
            latencyJson(j, stage(name));
        }
        j.endObject();

        j.name("end_to_end_by_priority").beginObject();
        for (final Priority p : Priority.values())
        {
            j.name(p.name());
            latencyJson(j, endToEndByPriority.get(p));
        }
        j.endObject();

        j.name("sim_clock_lateness");
        latencyJson(j, clockLateness);

        j.name("agents").beginArray();
        for (final AgentStats a : metrics.agents())
        {
            final Fleet.Profile profile = fleet.profile(a.id());
            j.beginObject()
                .field("id", a.id())
                .field("type", a.type())
                .field("speed", profile != null ? profile.speed() : 0)
                .field("capacity", a.capacity())
                .field("completed", a.completed())
                .field("failed", a.failed())
                .field("tokens", a.tokens())
                .field("stolen", a.stolen())
                .field("utilization", a.utilization())
                .endObject();
        }
        j.endArray();

        j.name("dead_letter_samples").beginArray();
        for (final DeadLetter d : deadLetterSamples)
        {
            j.beginObject()
                .field("task_id", d.task().id())
                .field("type", d.task().type())
                .field("priority", d.task().priority().name())
                .field("state", d.state().name())
                .field("attempts", d.attempts())
                .field("last_agent", d.lastAgentId())
                .field("reason", d.reason())
                .endObject();
        }
        j.endArray();

        j.name("problems").beginArray();
        for (final String p : problems())
        {
            j.value(p);
        }
        j.endArray();
        return j.endObject().toString();
    }

    private static void latencyJson(final Json j, final LatencySummary s)
    {
        j.beginObject()
            .field("count", s.count())
            .field("mean_ns", s.meanNanos())
            .field("p50_ns", s.p50Nanos())
            .field("p90_ns", s.p90Nanos())
            .field("p99_ns", s.p99Nanos())
            .field("p999_ns", s.p999Nanos())
            .field("max_ns", s.maxNanos())
            .endObject();
    }
}
