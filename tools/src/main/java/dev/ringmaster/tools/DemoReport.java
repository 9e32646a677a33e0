package dev.ringmaster.tools;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.ringmaster.dispatch.DeadLetter;
import dev.ringmaster.dispatch.SubmitStatus;
import dev.ringmaster.metrics.AgentStats;
import dev.ringmaster.metrics.LatencySummary;
import dev.ringmaster.metrics.MetricsSnapshot;
import dev.ringmaster.metrics.ShadowStats;
import dev.ringmaster.model.Priority;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static dev.ringmaster.tools.ReportFormat.decimalField;
import static dev.ringmaster.tools.ReportFormat.duration;
import static dev.ringmaster.tools.ReportFormat.latencyField;
import static dev.ringmaster.tools.ReportFormat.latencyRow;
import static dev.ringmaster.tools.ReportFormat.line;
import static dev.ringmaster.tools.ReportFormat.n;

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
    /** Thread-safe once built; creates one generator per {@link #toJson()} call. Compact output, no pretty printer. */
    private static final JsonFactory JSON = JsonFactory.builder().build();

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
    /** What the agent hosts did, or null for the in-process fleet. */
    private RemoteDemo.Summary remote;
    private DemoPredictions.Summary predictions;
    private DemoPredictions.Contexts contexts;
    /** Why the journal did not record everything (it failed, or dropped records), or null. */
    private String journalProblem;
    /** Submissions made before a signal stopped the producers, or -1 for a run that submitted every task. */
    private long interruptedAfter = -1;

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
    /** The strategy asked for placed no task (the built-in choice placed them all), or null. */
    private final StrategyFailure strategyFailure;

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
        this.strategyFailure = StrategyFailure.of(metrics);
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

    /** Adds what the agents paid for cold contexts; call once, before the report is read. */
    void contexts(final DemoPredictions.Contexts loads)
    {
        this.contexts = loads;
    }

    /** Adds what predictive pre-routing did; call once, before the report is read. */
    void predictions(final DemoPredictions.Summary summary)
    {
        this.predictions = summary;
    }

    /** Adds what the agent-host processes did; call once, before the report is read. */
    void remote(final RemoteDemo.Summary summary)
    {
        this.remote = summary;
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
            duplicateTerminals == 0 && acceptedWithoutTerminal == 0 && clockErrors == 0 && unexplainedIgnored() == 0;
    }

    /**
     * @return completions the dispatcher ignored beyond one late answer per timed-out attempt: the simulated agents
     *     complete each attempt once, so any such completion means one was reported twice.
     */
    private long unexplainedIgnored()
    {
        return Math.max(0, metrics.faults().ignoredCompletions() - metrics.timeouts());
    }

    /** @return true if the run drained, nothing was lost, and every count agrees. */
    public boolean ok()
    {
        return drained && lost() == 0 && lostByMetrics() == 0 && consistent() && journalProblem == null &&
            strategyFailure == null;
    }

    /** @return the strategy's failure to make any decision, or null if it made some. */
    StrategyFailure strategyFailure()
    {
        return strategyFailure;
    }

    /** Marks the run as stopped by a signal after {@code submitted} submissions; before the report is read. */
    DemoReport interrupted(final long submitted)
    {
        this.interruptedAfter = submitted;
        return this;
    }

    /** Marks the run as failed because its journal did not record everything; called once, before the report is read. */
    DemoReport journalFailed(final String problem)
    {
        this.journalProblem = problem;
        return this;
    }

    /** @return why {@link #ok()} is false, one problem per entry; empty when ok. */
    public List<String> problems()
    {
        final List<String> problems = new ArrayList<>();
        if (journalProblem != null)
        {
            problems.add(journalProblem);
        }
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
            problems.add(clockErrors + " simulated completion(s) threw");
        }
        if (unexplainedIgnored() != 0)
        {
            problems.add(unexplainedIgnored() + " completion(s) reported twice (ignored by the dispatcher)");
        }
        if (remote != null)
        {
            remoteProblems(problems);
        }
        if (strategyFailure != null)
        {
            problems.add(strategyFailure.describe());
        }
        return problems;
    }

    private void remoteProblems(final List<String> problems)
    {
        // a task whose attempt on the killed host timed out may have completed on it earlier, in a later attempt that
        // still reached the host before it died: it counts as completed, on the killed host
        final long unresolved = remote.killedHostTasks() - remote.completedElsewhere() - remote.deadLetteredAfterLoss() -
            remote.completedOnKilledHost();
        if (remote.hostsKilled() > 0 && unresolved != 0)
        {
            problems.add(unresolved + " task(s) in flight on the killed host neither completed elsewhere nor " +
                "dead-lettered");
        }
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
        if (interruptedAfter >= 0)
        {
            line(sb, "  interrupted by a signal: stopped submitting after %s of %s tasks; %s", n(interruptedAfter),
                n(settings.tasks()), drained ? "every accepted task was drained" : "the drain timed out");
        }
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
        if (metrics.strategyFaults() > 0) // else a plugin that always fails looks like a working strategy here
        {
            // a callback's fault sent no task elsewhere: saying the fallback took it would be false
            final long callbacks = metrics.strategyCallbackFaults();
            final long decisions = metrics.strategyFaults() - callbacks;
            final String decided = decisions == 0 ? "" : String.format(Locale.ROOT, "its select() or route() failed " +
                "%s time(s), and the agent with the fewest tasks in flight took the task instead", n(decisions));
            final String called = callbacks == 0 ? "" : String.format(Locale.ROOT, "its callbacks (onAssigned, " +
                "onReleased, onTelemetry, onPoolChanged) threw %s time(s), which sent no task elsewhere", n(callbacks));
            final long quarantines = metrics.faults().strategyQuarantines();
            line(sb, "  strategy faults %s: %s%s%s (after 16 faults in a row the agent with the fewest tasks in flight " +
                "takes every task for 10 s%s); the log above names the first", n(metrics.strategyFaults()), decided,
                decisions > 0 && callbacks > 0 ? "; " : "", called, quarantines == 0 ? "" : String.format(Locale.ROOT,
                ": quarantined %s time(s), the built-in choice made %s of its %s placements", n(quarantines),
                n(metrics.strategyFallbacks()), n(metrics.strategyDecisions())));
        }
        if (remote != null)
        {
            line(sb, "  transport aeron-udp: %d agent host(s), %d killed%s; %s host-lost attempt(s) of %s task(s) retried, "
                + "%s completed elsewhere, %s dead-lettered; late answers ignored %s", remote.hosts(),
                remote.hostsKilled(), remote.killedHost() == null ? "" : " (" + remote.killedHost() + ")",
                n(remote.stats().hostLostAttempts()), n(remote.killedHostTasks()), n(remote.completedElsewhere()),
                n(remote.deadLetteredAfterLoss()), n(remote.stats().lateCompletions()));
        }
        line(sb, "  wall time %.2f s   throughput %s tasks/s", wallNanos / 1e9, n(Math.round(throughputPerSecond())));
        line(sb, "  Gini by tasks %.3f   by tokens %.3f   (0 = perfectly even, 1 = one agent does all)",
            metrics.giniByCount(), metrics.giniByTokens());
        for (final Map.Entry<SubmitStatus, Long> e : rejections.entrySet())
        {
            line(sb, "  rejected %s x%s: %s", e.getKey(), n(e.getValue()), e.getKey().reason());
        }
        if (contexts != null)
        {
            line(sb, "%s", DemoPredictions.describe(contexts, completed));
        }
        if (predictions != null)
        {
            line(sb, "%s", DemoPredictions.describe(predictions));
        }
        final ShadowStats shadow = metrics.shadow();
        if (shadow != null)
        {
            // no sample: the shadow picked nothing comparable (it threw, was quarantined or declined), not "NaN ms"
            final String regret = shadow.regretSamples() == 0 ? "no regret estimated (the shadow picked no agent to " +
                "compare: it declined, threw or was quarantined)" : String.format(Locale.ROOT, "estimated regret %+.4f " +
                "ms per decision (%s estimated; negative: the shadow's picks would have finished sooner)",
                shadow.regretSeconds() * 1e3, n(shadow.regretSamples()));
            line(sb, "  shadow %s: agreed on %s of %s decisions (%.1f%%), %s, %s shadow faults", shadow.strategy(),
                n(shadow.agreements()), n(shadow.decisions()), shadow.agreement() * 100, regret, n(shadow.faults()));
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
            "tokens", "stole", "util");
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
                d.task().priority(), d.state(), d.attempts(), d.lastAgentId() == null ? "no agent (never started)" :
                d.lastAgentId(), d.reason());
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

    // ---------------------------------------------------------------- JSON

    /** @return the same summary as one JSON object on one line; durations in nanoseconds, ratios in [0, 1]. */
    public String toJson()
    {
        final StringWriter out = new StringWriter(4096);
        try (JsonGenerator j = JSON.createGenerator(out))
        {
            writeJson(j);
        }
        catch (final IOException e)
        {
            // a StringWriter does not fail; only a bug in the writing code could get here
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private void writeJson(final JsonGenerator j) throws IOException
    {
        final LatencySummary e2e = stage("END_TO_END");
        j.writeStartObject();
        j.writeBooleanField("ok", ok());
        j.writeStringField("strategy", metrics.strategy());
        if (strategyFailure != null)
        {
            strategyFailure.writeJson(j);
        }
        j.writeNumberField("seed", settings.seed());
        j.writeNumberField("tasks", settings.tasks());
        if (interruptedAfter >= 0)
        {
            j.writeNumberField("interrupted_after", interruptedAfter);
        }
        j.writeNumberField("producers", settings.producers());
        j.writeNumberField("queue_capacity", settings.queueCapacity());
        j.writeNumberField("accepted", accepted);
        j.writeNumberField("completed", completed);
        j.writeNumberField("dead_lettered", deadLettered);
        j.writeNumberField("expired", expired);
        j.writeNumberField("cancelled", cancelled);
        j.writeNumberField("rejected", rejected());
        j.writeNumberField("lost", lost());
        j.writeNumberField("lost_by_metrics", lostByMetrics());
        j.writeStringField("transport", remote == null ? "in-process" : "aeron-udp");
        if (remote != null)
        {
            j.writeNumberField("hosts", remote.hosts());
            j.writeNumberField("hosts_killed", remote.hostsKilled());
            j.writeObjectFieldStart("remote");
            j.writeNumberField("hosts_admitted", remote.stats().hostsAdmitted());
            j.writeNumberField("hosts_lost", remote.stats().hostsLost());
            j.writeNumberField("host_lost_attempts", remote.stats().hostLostAttempts());
            j.writeNumberField("killed_host_tasks", remote.killedHostTasks());
            j.writeNumberField("killed_host_tasks_completed_elsewhere", remote.completedElsewhere());
            j.writeNumberField("killed_host_tasks_dead_lettered", remote.deadLetteredAfterLoss());
            j.writeNumberField("killed_host_tasks_completed_there_before", remote.completedOnKilledHost());
            j.writeNumberField("late_completions_ignored", remote.stats().lateCompletions());
            j.writeNumberField("fast_failures", remote.stats().fastFailures());
            j.writeNumberField("back_pressured_offers", remote.stats().backPressured());
            j.writeNumberField("completions_received", remote.stats().completions());
            j.writeEndObject();
        }
        // every run, not only a failed one: a strategy that failed now and then, or was quarantined, shows here
        j.writeObjectFieldStart("routing");
        j.writeNumberField("decisions", metrics.strategyDecisions());
        j.writeNumberField("fallbacks", metrics.strategyFallbacks());
        j.writeNumberField("faults", metrics.strategyFaults() - metrics.strategyCallbackFaults());
        j.writeNumberField("callback_faults", metrics.strategyCallbackFaults());
        j.writeNumberField("quarantines", metrics.faults().strategyQuarantines());
        j.writeEndObject();
        j.writeNumberField("ignored_completions", metrics.faults().ignoredCompletions());
        j.writeBooleanField("metrics_consistent", consistent());
        j.writeBooleanField("drained", drained);
        j.writeNumberField("failed_attempts", failedAttempts);
        j.writeNumberField("retries", retried);
        j.writeNumberField("timeouts", metrics.timeouts());
        j.writeNumberField("steals", stolen);
        j.writeNumberField("wall_time_ns", wallNanos);
        decimalField(j, "throughput_per_s", throughputPerSecond());
        decimalField(j, "gini", metrics.giniByCount());
        decimalField(j, "gini_tokens", metrics.giniByTokens());
        j.writeNumberField("p50_ns", e2e.p50Nanos());
        j.writeNumberField("p90_ns", e2e.p90Nanos());
        j.writeNumberField("p99_ns", e2e.p99Nanos());
        j.writeNumberField("p999_ns", e2e.p999Nanos());
        j.writeNumberField("max_ns", e2e.maxNanos());

        if (contexts != null)
        {
            DemoPredictions.writeJson(j, contexts);
        }
        if (predictions != null)
        {
            DemoPredictions.writeJson(j, predictions);
        }
        final ShadowStats shadow = metrics.shadow();
        if (shadow != null)
        {
            j.writeObjectFieldStart("shadow");
            j.writeStringField("strategy", shadow.strategy());
            decimalField(j, "agreement", shadow.agreement());
            j.writeFieldName("regretSeconds"); // a mean of small differences: all its digits, not six decimals
            if (Double.isFinite(shadow.regretSeconds()))
            {
                j.writeNumber(shadow.regretSeconds());
            }
            else
            {
                j.writeNull();
            }
            j.writeNumberField("decisions", shadow.decisions());
            j.writeNumberField("agreements", shadow.agreements());
            j.writeNumberField("regretSamples", shadow.regretSamples());
            j.writeNumberField("faults", shadow.faults());
            j.writeEndObject();
        }

        j.writeObjectFieldStart("rejections");
        for (final Map.Entry<SubmitStatus, Long> e : rejections.entrySet())
        {
            j.writeNumberField(e.getKey().name(), e.getValue());
        }
        j.writeEndObject();

        j.writeObjectFieldStart("stages");
        for (final String name : STAGES)
        {
            latencyField(j, name, stage(name));
        }
        j.writeEndObject();

        j.writeObjectFieldStart("end_to_end_by_priority");
        for (final Priority p : Priority.values())
        {
            latencyField(j, p.name(), endToEndByPriority.get(p));
        }
        j.writeEndObject();

        latencyField(j, "sim_clock_lateness", clockLateness);

        j.writeArrayFieldStart("agents");
        for (final AgentStats a : metrics.agents())
        {
            final Fleet.Profile profile = fleet.profile(a.id());
            j.writeStartObject();
            j.writeStringField("id", a.id());
            j.writeStringField("type", a.type());
            j.writeNumberField("speed", profile != null ? profile.speed() : 0);
            j.writeNumberField("capacity", a.capacity());
            j.writeNumberField("completed", a.completed());
            j.writeNumberField("failed", a.failed());
            j.writeNumberField("tokens", a.tokens());
            j.writeNumberField("stolen", a.stolen());
            decimalField(j, "utilization", a.utilization());
            j.writeEndObject();
        }
        j.writeEndArray();

        j.writeArrayFieldStart("dead_letter_samples");
        for (final DeadLetter d : deadLetterSamples)
        {
            j.writeStartObject();
            j.writeNumberField("task_id", d.task().id());
            j.writeStringField("type", d.task().type());
            j.writeStringField("priority", d.task().priority().name());
            j.writeStringField("state", d.state().name());
            j.writeNumberField("attempts", d.attempts());
            j.writeStringField("last_agent", d.lastAgentId());
            j.writeStringField("reason", d.reason());
            j.writeEndObject();
        }
        j.writeEndArray();

        j.writeArrayFieldStart("problems");
        for (final String p : problems())
        {
            j.writeString(p);
        }
        j.writeEndArray();
        j.writeEndObject();
    }
}
