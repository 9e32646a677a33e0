package dev.ringmaster.tools;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.ringmaster.journal.EventType;
import dev.ringmaster.journal.replay.AgentReplay;
import dev.ringmaster.journal.replay.DeadLetterReplay;
import dev.ringmaster.journal.replay.ReplayReport;
import dev.ringmaster.journal.replay.UtilizationBucket;
import dev.ringmaster.metrics.LatencySummary;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/** Renders a {@link ReplayReport} as text for people or one JSON object for scripts; stateless and thread-safe. */
final class ReplayRendering
{
    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final int SHOWN_DEAD_LETTERS = 10;

    private ReplayRendering()
    {
    }

    /** @param live true if a writer still had the journal open, so the figures are a snapshot of a growing journal. */
    static String text(final Path journal, final ReplayReport r, final boolean live)
    {
        final StringBuilder sb = new StringBuilder(4096);
        sb.append(String.format(Locale.ROOT, "journal %s: %,d records from %s to %s%n", journal, r.records(),
            Instant.ofEpochMilli(r.firstEpochMillis()), Instant.ofEpochMilli(r.lastEpochMillis())));
        if (live)
        {
            sb.append("live: the journal is still being written (a running process has it open); these figures are a "
                + "snapshot of the records read so far, run replay again after it stops for the final ones")
                .append(System.lineSeparator());
        }
        final long acceptedAgain = r.count(EventType.ACCEPTED) - r.acceptedTasks();
        sb.append(String.format(Locale.ROOT,
            "tasks: %,d accepted%s, %,d completed, %,d dead-lettered, %,d expired, %,d cancelled, %,d recovered, "
                + "%,d still open%n", r.acceptedTasks(), acceptedAgain == 0 ? "" : String.format(Locale.ROOT,
                " (%,d of them twice: recovery dispatched them again under their ids)", acceptedAgain),
            r.count(EventType.COMPLETED), r.count(EventType.DEAD_LETTERED), r.count(EventType.EXPIRED),
            r.count(EventType.CANCELLED), r.count(EventType.RECOVERED), r.openTasks()));
        if (r.cancelledAtShutdown() > 0)
        {
            // else the cancelled and the open would seem to count the same tasks twice
            sb.append(String.format(Locale.ROOT, "  of the cancelled, %,d by the dispatcher's shutdown before they "
                + "finished: that ends nothing, and those still open are among the open (recovery runs them again)%n",
                r.cancelledAtShutdown()));
        }
        sb.append(String.format(Locale.ROOT, "attempts: %,d failed, %,d retried; %,d steals%n",
            r.count(EventType.FAILED), r.count(EventType.RETRIED), r.count(EventType.STOLEN)));
        if (r.count(EventType.ADMIN) > 0)
        {
            sb.append(String.format(Locale.ROOT, "admin changes: %,d (list them with ringmaster audit %s --admin)%n",
                r.count(EventType.ADMIN), journal));
        }
        // an agent never given a task leaves no record: the demo's summary, which knows its fleet, may count more
        sb.append(String.format(Locale.ROOT, "distribution: Gini %.3f by tasks, %.3f by tokens, over the %d agents " +
            "the journal names%n", r.giniByCount(), r.giniByTokens(), r.agents().size()));
        sb.append(String.format(Locale.ROOT, "%n%-16s %10s %12s %8s %10s %10s %10s%n", "agent", "completed", "tokens",
            "failed", "stole", "stolen", "busy s"));
        for (final AgentReplay a : r.agents())
        {
            sb.append(String.format(Locale.ROOT, "%-16s %,10d %,12d %,8d %,10d %,10d %10.2f%n", a.agentId(),
                a.completed(), a.tokens(), a.failed(), a.stolenIn(), a.stolenOut(), a.busyNanos() / 1e9));
        }
        sb.append(String.format(Locale.ROOT, "%n%-12s %10s %10s %10s %10s %10s%n", "stage (us)", "count", "p50", "p90",
            "p99", "max"));
        r.stages().forEach((stage, s) -> sb.append(String.format(Locale.ROOT, "%-12s %,10d %,10.1f %,10.1f %,10.1f %,10.1f%n",
            stage, s.count(), s.p50Nanos() / 1e3, s.p90Nanos() / 1e3, s.p99Nanos() / 1e3, s.maxNanos() / 1e3)));
        if (!r.deadLetters().isEmpty())
        {
            sb.append(String.format(Locale.ROOT, "%ndead letters: %,d (%,d dead-lettered, %,d expired), by reason:%n",
                r.deadLetters().size(), r.count(EventType.DEAD_LETTERED), r.count(EventType.EXPIRED)));
            r.deadLetterReasons().forEach((reason, n) ->
                sb.append(String.format(Locale.ROOT, "  %,8d  %s%n", n, reason)));
            final int shown = Math.min(SHOWN_DEAD_LETTERS, r.deadLetters().size());
            sb.append(shown == r.deadLetters().size() ? "  each, oldest first:" + System.lineSeparator()
                : String.format(Locale.ROOT, "  the first %d of %,d, oldest first (--json lists them all):%n", shown,
                    r.deadLetters().size()));
            for (final DeadLetterReplay d : r.deadLetters().subList(0, shown))
            {
                sb.append(String.format(Locale.ROOT, "  task %d (%s) after %d attempt(s): %s%n", d.taskId(), d.taskType(),
                    d.attempts(), d.reason()));
            }
        }
        sb.append(String.format(Locale.ROOT, "%nutilization (tasks running on average, all agents together, %d ms "
            + "buckets; --json has each agent's):%n", r.bucketMillis()));
        for (final UtilizationBucket b : r.utilization())
        {
            double total = 0;
            for (final double v : b.averageRunning().values())
            {
                total += v;
            }
            sb.append(String.format(Locale.ROOT, "  %s  total %.2f over %d agents%s%n", Instant.ofEpochMilli(b.startEpochMillis()),
                total, b.averageRunning().size(), b.coveredMillis() >= r.bucketMillis() ? "" : String.format(Locale.ROOT,
                    " (averaged over the %,d ms of the bucket the journal covers)", b.coveredMillis())));
        }
        if (!r.damage().isEmpty())
        {
            sb.append(String.format(Locale.ROOT, "%nthe journal is damaged in %d region(s), each read past; the figures "
                + "above cover the records around them:%n", r.damage().size()));
            r.damage().forEach(d -> sb.append("  ").append(d).append('\n'));
        }
        return sb.toString();
    }

    /** @param live true if a writer still had the journal open; written as "live", the numbers stay as read. */
    static String json(final Path journal, final ReplayReport r, final boolean live)
    {
        final StringWriter out = new StringWriter(8192);
        try (JsonGenerator j = JSON.createGenerator(out))
        {
            j.writeStartObject();
            j.writeStringField("journal", journal.toString());
            j.writeBooleanField("live", live);
            j.writeNumberField("records", r.records());
            j.writeNumberField("first_epoch_ms", r.firstEpochMillis());
            j.writeNumberField("last_epoch_ms", r.lastEpochMillis());
            j.writeObjectFieldStart("events");
            for (final EventType t : EventType.values())
            {
                j.writeNumberField(t.name().toLowerCase(Locale.ROOT), r.count(t));
            }
            j.writeEndObject();
            j.writeNumberField("accepted_tasks", r.acceptedTasks());
            j.writeNumberField("open_tasks", r.openTasks());
            j.writeNumberField("cancelled_at_shutdown", r.cancelledAtShutdown());
            j.writeNumberField("gini_by_count", r.giniByCount());
            j.writeNumberField("gini_by_tokens", r.giniByTokens());
            j.writeArrayFieldStart("agents");
            for (final AgentReplay a : r.agents())
            {
                j.writeStartObject();
                j.writeStringField("id", a.agentId());
                j.writeNumberField("completed", a.completed());
                j.writeNumberField("tokens", a.tokens());
                j.writeNumberField("failed", a.failed());
                j.writeNumberField("stole", a.stolenIn());
                j.writeNumberField("stolen_from", a.stolenOut());
                j.writeNumberField("busy_ns", a.busyNanos());
                j.writeEndObject();
            }
            j.writeEndArray();
            j.writeObjectFieldStart("stages");
            for (final Map.Entry<String, LatencySummary> e : r.stages().entrySet())
            {
                ReportFormat.latencyField(j, e.getKey().toLowerCase(Locale.ROOT), e.getValue());
            }
            j.writeEndObject();
            j.writeObjectFieldStart("dead_letter_reasons");
            for (final Map.Entry<String, Long> e : r.deadLetterReasons().entrySet())
            {
                j.writeNumberField(e.getKey(), e.getValue());
            }
            j.writeEndObject();
            j.writeArrayFieldStart("dead_letters");
            for (final DeadLetterReplay d : r.deadLetters())
            {
                j.writeStartObject();
                j.writeNumberField("task_id", d.taskId());
                j.writeStringField("type", d.taskType());
                j.writeNumberField("attempts", d.attempts());
                j.writeStringField("reason", d.reason());
                j.writeNumberField("epoch_ms", d.epochMillis());
                j.writeEndObject();
            }
            j.writeEndArray();
            j.writeNumberField("bucket_ms", r.bucketMillis());
            j.writeArrayFieldStart("utilization");
            for (final UtilizationBucket b : r.utilization())
            {
                j.writeStartObject();
                j.writeNumberField("start_epoch_ms", b.startEpochMillis());
                j.writeNumberField("covered_ms", b.coveredMillis());
                j.writeObjectFieldStart("average_running");
                for (final Map.Entry<String, Double> e : b.averageRunning().entrySet())
                {
                    j.writeNumberField(e.getKey(), e.getValue());
                }
                j.writeEndObject();
                j.writeEndObject();
            }
            j.writeEndArray();
            if (r.corruption() != null)
            {
                j.writeStringField("error", r.corruption());
                j.writeArrayFieldStart("damage");
                for (final String d : r.damage())
                {
                    j.writeString(d);
                }
                j.writeEndArray();
            }
            j.writeEndObject();
        }
        catch (final IOException e)
        {
            // a StringWriter does not fail; only a bug in the writing code could get here
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
