package dev.ringmaster.tools;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Renders a what-if replay (one {@link WhatIf.Outcome} per strategy, the recorded one's calibration against the
 * journal) as a table for people or one JSON object for scripts; stateless and thread-safe.
 */
final class WhatIfRendering
{
    private static final JsonFactory JSON = JsonFactory.builder().build();

    /**
     * Everything one what-if replay found.
     *
     * @param recordedStrategy the strategy the journal was recorded with, also the last of {@code rows}.
     * @param actual           the journal's own figures for the replayed tasks.
     * @param damage           each damaged region read past; empty for a sound journal.
     * @param live             true if a writer still had the journal open: the tasks replayed are those finished so far.
     */
    record Report(Path journal, String fleetOrigin, ReplayFleet fleet, long records, String recordedStrategy, WhatIf.Outcome actual,
                  List<WhatIf.Outcome> rows, long contextLoadNanos, boolean paced, List<String> damage, boolean live)
    {
        WhatIf.Outcome recordedRow()
        {
            return rows.get(rows.size() - 1);
        }

        /** @return simulated / actual - 1 of the recorded strategy's p99 sojourn. */
        double calibrationError()
        {
            return recordedRow().p99SojournSeconds() / actual.p99SojournSeconds() - 1;
        }
    }

    private WhatIfRendering()
    {
    }

    static String text(final Report r)
    {
        final StringBuilder sb = new StringBuilder(2048);
        sb.append(String.format(Locale.ROOT, "what-if replay of %s: %,d completed tasks (%,d records), recorded with %s%n",
            r.journal(), r.actual().tasks(), r.records(), r.recordedStrategy()));
        if (r.live())
        {
            sb.append("live: the journal is still being written (a running process has it open); these figures cover "
                + "the tasks finished so far, run replay again after it stops for the final ones")
                .append(System.lineSeparator());
        }
        sb.append("fleet: ").append(r.fleetOrigin()).append(System.lineSeparator());
        sb.append("  agents (capacity x speed): ").append(r.fleet().describe()).append(System.lineSeparator());
        sb.append(r.paced() ? "placements paced by the recorded dispatcher (the k-th of a type no earlier than it really "
            + "was; --unpaced to lift it)" : "unpaced: tasks placed as soon as an agent has room, as if the dispatcher "
            + "cost nothing").append(System.lineSeparator());
        sb.append(String.format(Locale.ROOT, "%n%-30s %10s %10s %10s %12s %7s %13s%n", "strategy", "mean s", "p50 s",
            "p99 s", "mean exec ms", "gini", "context waste"));
        row(sb, "journal (as recorded)", r.actual());
        for (final WhatIf.Outcome o : r.rows())
        {
            final String label = o.strategy() + (o == r.recordedRow() ? " (recorded)" : "") +
                (o.unfinished() > 0 || o.strategyErrors() > 0 ? " !" : "");
            row(sb, label, o);
        }
        sb.append(String.format(Locale.ROOT, "%ncalibration: %s simulated p99 %.4f s against %.4f s in the journal: "
                + "error %+.1f%%%n", r.recordedStrategy(), r.recordedRow().p99SojournSeconds(),
            r.actual().p99SojournSeconds(), 100 * r.calibrationError()));
        // the p99 alone read as "the model is right": the recorded strategy's own row shows what else it reproduces
        sb.append(String.format(Locale.ROOT, "  and its mean execution %+.1f%%, its Gini %.3f against %.3f: the " +
                "simulator replays each task's recorded duration on the agent it picks, not the live agents' " +
                "contention, so compare the strategies' rows with the recorded strategy's row rather than with the " +
                "journal's%n", 100 * (r.recordedRow().meanExecutionSeconds() / r.actual().meanExecutionSeconds() - 1),
            r.recordedRow().gini(), r.actual().gini()));
        if (r.contextLoadNanos() == 0)
        {
            // it said the agents paid no cost: a journal recorded with one (demo --context-load) has it in its times
            sb.append("context waste is 0: no context-load cost was priced, and the journal does not record one (its "
                + "execution times include any its agents paid); price one with --context-load-us to compare affinity, "
                + "on top of the recorded times").append(System.lineSeparator());
        }
        for (final WhatIf.Outcome o : r.rows())
        {
            if (o.unfinished() > 0)
            {
                sb.append(String.format(Locale.ROOT, "! %s left %,d task(s) unfinished (it declined them)%n",
                    o.strategy(), o.unfinished()));
            }
            if (o.strategyErrors() > 0)
            {
                sb.append(String.format(Locale.ROOT, "! %s: it failed %,d of its decisions (the first %s); "
                    + "the fallback (fewest tasks in flight) took each, so its figures are not its own%n", o.strategy(),
                    o.strategyErrors(), o.firstStrategyError()));
            }
        }
        return sb.toString();
    }

    private static void row(final StringBuilder sb, final String label, final WhatIf.Outcome o)
    {
        sb.append(String.format(Locale.ROOT, "%-30s %10.4f %10.4f %10.4f %12.3f %7.3f %13.4f%n", label,
            o.meanSojournSeconds(), o.p50SojournSeconds(), o.p99SojournSeconds(), o.meanExecutionSeconds() * 1e3, o.gini(),
            o.contextWasteRatio()));
    }

    static String json(final Report r)
    {
        final StringWriter out = new StringWriter(2048);
        try (JsonGenerator j = JSON.createGenerator(out))
        {
            j.writeStartObject();
            j.writeStringField("journal", r.journal().toString());
            j.writeNumberField("tasks", r.actual().tasks());
            j.writeNumberField("records", r.records());
            j.writeBooleanField("live", r.live());
            j.writeStringField("fleet", r.fleetOrigin());
            j.writeArrayFieldStart("agents");
            for (final String type : r.fleet().types())
            {
                for (final ReplayFleet.Agent a : r.fleet().agents(type))
                {
                    j.writeStartObject();
                    j.writeStringField("id", a.id());
                    j.writeStringField("type", a.type());
                    j.writeNumberField("capacity", a.capacity());
                    j.writeNumberField("speed", a.speed());
                    j.writeEndObject();
                }
            }
            j.writeEndArray();
            j.writeBooleanField("paced", r.paced());
            j.writeNumberField("contextLoadMicros", r.contextLoadNanos() / 1_000);
            // the text's "journal (as recorded)" row: what really happened, beside the simulated rows below
            j.writeObjectFieldStart("recorded");
            j.writeNumberField("meanSojournSeconds", r.actual().meanSojournSeconds());
            j.writeNumberField("p50SojournSeconds", r.actual().p50SojournSeconds());
            j.writeNumberField("p99SojournSeconds", r.actual().p99SojournSeconds());
            j.writeNumberField("meanExecutionSeconds", r.actual().meanExecutionSeconds());
            j.writeNumberField("gini", r.actual().gini());
            j.writeNumberField("contextWasteRatio", r.actual().contextWasteRatio());
            j.writeEndObject();
            j.writeArrayFieldStart("whatIf");
            for (final WhatIf.Outcome o : r.rows())
            {
                j.writeStartObject();
                j.writeStringField("strategy", o.strategy());
                j.writeBooleanField("recorded", o == r.recordedRow());
                j.writeNumberField("meanSojournSeconds", o.meanSojournSeconds());
                j.writeNumberField("p50SojournSeconds", o.p50SojournSeconds());
                j.writeNumberField("p99SojournSeconds", o.p99SojournSeconds());
                j.writeNumberField("meanExecutionSeconds", o.meanExecutionSeconds());
                j.writeNumberField("gini", o.gini());
                j.writeNumberField("contextWasteRatio", o.contextWasteRatio());
                j.writeNumberField("unfinished", o.unfinished());
                j.writeNumberField("strategyErrors", o.strategyErrors());
                if (o.firstStrategyError() == null)
                {
                    j.writeNullField("firstStrategyError");
                }
                else
                {
                    j.writeStringField("firstStrategyError", o.firstStrategyError());
                }
                j.writeEndObject();
            }
            j.writeEndArray();
            j.writeObjectFieldStart("calibration");
            j.writeStringField("strategy", r.recordedStrategy());
            j.writeNumberField("actualP99Seconds", r.actual().p99SojournSeconds());
            j.writeNumberField("simulatedP99Seconds", r.recordedRow().p99SojournSeconds());
            j.writeNumberField("error", r.calibrationError());
            j.writeNumberField("actualMeanSojournSeconds", r.actual().meanSojournSeconds());
            j.writeNumberField("simulatedMeanSojournSeconds", r.recordedRow().meanSojournSeconds());
            j.writeEndObject();
            if (!r.damage().isEmpty())
            {
                // as the plain replay's report: the figures above cover only the records read around these
                j.writeStringField("error", r.damage().get(0));
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
