package dev.ringmaster.tools;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.ringmaster.dispatch.TerminalState;
import dev.ringmaster.journal.Journal;
import dev.ringmaster.journal.PayloadCodec;
import dev.ringmaster.journal.Recovery;
import dev.ringmaster.journal.RecoveryPlan;
import dev.ringmaster.journal.WriterClaim;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code ringmaster recover JOURNAL_DIR}: reads a journal, reports which accepted tasks never finished, and dispatches
 * the recoverable ones again on the demo fleet, journaling to the same directory; picocli creates one instance per
 * execution and calls it on the executing thread.
 */
@Command(name = "recover",
    mixinStandardHelpOptions = true,
    versionProvider = RingmasterCli.Version.class,
    sortOptions = false,
    description = {
        "Read a journal after a crash: how many tasks were accepted, finished and left open, which open ones can be "
            + "rebuilt and why the others cannot, and any damage. Then dispatch the recoverable tasks again on the "
            + "demo's simulated fleet (journaled to the same directory) and wait for them. With "
            + "--abandon-unrecoverable, the open tasks that cannot be rebuilt are closed for good instead of left open.",
        ""},
    footer = {"", "The payload codec is the one the journal records (the demo's, or the standard one). A journal "
        + "'serve --config FILE' wrote is reported but its open tasks are not dispatched (exit 1, JSON "
        + "\"refused_for_serve_config\"): 'serve --config FILE --journal DIR' recovers them on the fleet the file declares.",
        "A damaged journal is read on past each damaged region, but not recovered unless --accept-damage: the tasks "
            + "whose acceptance lies in a damaged region would be lost without a word.",
        "A journal that a running process still writes is reported (--dry-run) but not recovered: its open tasks are "
            + "still in that process's hands, and dispatching them again would run them twice.",
        "Exit code: 0 if every open task was dispatched again and reached a terminal state; 1 if the journal is "
            + "missing or damaged (also with --accept-damage if anything below fails), an open task could not be "
            + "rebuilt (the others are still dispatched; not once --abandon-unrecoverable closed it), a task was "
            + "refused or lost, the journal failed or is still being written, or serve --config wrote it and it "
            + "holds open tasks; 2 for bad options. --dry-run exits 0 for a journal it could read undamaged, whatever it leaves "
            + "open: its report (JSON: \"unrecoverable\") says what a recovery would leave.",
        "JSON: \"unrecoverable\" counts what the scan found; \"abandoned\" and \"abandoned_tasks\" the tasks "
            + "--abandon-unrecoverable closed (written); \"left_open\" the open tasks this run left open (neither "
            + "recovered nor abandoned).",
        "Examples: ringmaster recover /tmp/journal --dry-run",
        "          ringmaster recover /tmp/journal --json",
        "          ringmaster recover /tmp/journal --abandon-unrecoverable"})
public final class RecoverCommand implements Callable<Integer>
{
    private static final JsonFactory JSON = JsonFactory.builder().build();
    /** Unrecoverable tasks listed one per line in the text report; --json lists them all. */
    private static final int SHOWN_UNRECOVERABLE = 20;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "JOURNAL_DIR", description = "The journal's directory.")
    Path journal;

    @Option(names = "--dry-run", description = "Report only; dispatch nothing and write nothing.")
    boolean dryRun;

    @Option(names = "--accept-damage",
        description = "Recover a damaged journal anyway: dispatch the open tasks read around the damage.")
    boolean acceptDamage;

    @Option(names = "--abandon-unrecoverable",
        description = "After the report, close for good each open task that cannot be rebuilt (e.g. its payload does "
            + "not decode): journal a final CANCELLED record 'abandoned by the operator', one line each, so that later "
            + "recoveries no longer find it open. Not with --dry-run, nor on a damaged journal (restore the damaged file "
            + "first).")
    boolean abandon;

    @Option(names = "--json", description = "Print one JSON object on stdout instead of the text report.")
    boolean json;

    @Option(names = "--wait", paramLabel = "TIME", defaultValue = "60s", converter = BenchCommand.Time.class,
        description = "How long to wait for the recovered tasks to finish (default: ${DEFAULT-VALUE}).")
    long waitNanos;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42", converter = DemoCommand.Seed.class,
        description = "Seed of the simulated fleet (default: ${DEFAULT-VALUE}).")
    long seed;

    private long scanNanos;
    /** A writer had the journal open before or after the scan: what is open may still be running there. */
    private boolean live;

    @Override
    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        if (dryRun && abandon)
        {
            // before the journal is read or claimed: a dry run writes nothing, and abandoning is a write
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--abandon-unrecoverable writes to " +
                "the journal and --dry-run writes nothing: drop --abandon-unrecoverable to see what is open, or " +
                "--dry-run to close the tasks that cannot be rebuilt");
        }
        final PayloadCodec codec = DemoRecovery.codecOf(journal);
        final long t0 = System.nanoTime();
        // claimed before the scan: a recovery started meanwhile finds the journal taken, not the same open tasks
        final WriterClaim claim = dryRun ? null : WriterClaim.take(journal);
        // closed however the recovery ends, a throw too (a scan of a foreign or unreadable directory): a claim left
        // held would make this JVM refuse the journal as live for good, and other processes see it as written
        try (claim)
        {
            return recover(out, err, codec, t0, dryRun ? Journal.isBeingWritten(journal) : claim == null);
        }
    }

    /** @param liveBefore a writer or another claim had the journal before the scan. */
    private int recover(final PrintWriter out, final PrintWriter err, final PayloadCodec codec, final long t0,
                        final boolean liveBefore)
    {
        live = liveBefore;
        final RecoveryPlan plan;
        try (TerminalProgress progress = TerminalProgress.open("recover: records read", -1, json))
        {
            plan = Recovery.scan(journal, codec, progress.drawn() ? progress::stepTo : null);
        }
        scanNanos = System.nanoTime() - t0;
        live |= Journal.isBeingWritten(journal);
        if (abandon && plan.corruption() != null)
        {
            // a task open here may have its real end in the damaged region: abandoning it would journal a second
            // final record, and --accept-damage accepts losing tasks, not contradicting the journal
            out.print(json ? json(plan, codec, true, live, false, null) + System.lineSeparator() : report(plan, codec));
            out.flush();
            err.println("error: --abandon-unrecoverable refused: the journal is damaged in " + plan.damagedRegions() +
                " region(s), the first: " + plan.corruption().getMessage() + ". An open task's real end may lie in " +
                "the damaged region, and abandoning it would write a second final record: restore the damaged file " +
                "(or move it aside) first and run again; nothing was written");
            err.flush();
            return 1;
        }
        final boolean refuse = plan.corruption() != null && !acceptDamage;
        final boolean refuseLive = live && !dryRun;
        final boolean abandoning = abandon && !plan.unrecoverableTasks().isEmpty();
        // its tasks are the declared fleet's (chat prompts for openai-http agents, ...): the demo's simulated agents
        // would 'finish' them, and the journal would record as done what no real agent ran
        final boolean refuseConfig = codec == WorkCodec.SERVE_CONFIG && !dryRun && !refuse && !refuseLive &&
            (!plan.pending().isEmpty() || abandoning);
        DemoRecovery.Outcome outcome = null;
        if (!dryRun && !refuse && !refuseLive && !refuseConfig && (!plan.pending().isEmpty() || abandoning))
        {
            if (!json)
            {
                out.print(report(plan, codec));
                if (!plan.pending().isEmpty())
                {
                    out.printf(Locale.ROOT, "dispatching %,d task(s) again on the demo fleet ...%n",
                        plan.pending().size());
                }
                out.flush();
            }
            outcome = DemoRecovery.run(journal, codec, plan, seed, Duration.ofNanos(waitNanos), abandon);
        }
        else if (!json)
        {
            out.print(report(plan, codec));
        }
        if (json)
        {
            out.println(json(plan, codec, refuse, refuseLive, refuseConfig, outcome));
        }
        else if (outcome != null)
        {
            outcome.abandoned().forEach(u -> out.println("abandoned task " + u.taskId() + " (" + u.taskType() +
                "): could not be rebuilt (" + u.why() + "); closed with a final CANCELLED record"));
        }
        if (!json && outcome != null && !plan.pending().isEmpty())
        {
            out.printf(Locale.ROOT, "recovered %,d: %,d completed, %,d dead-lettered, %,d expired, %,d lost; %,d refused%n",
                outcome.recovered(), outcome.count(TerminalState.COMPLETED), outcome.count(TerminalState.DEAD_LETTERED),
                outcome.count(TerminalState.EXPIRED), outcome.lost(), outcome.refused());
        }
        out.flush();
        if (refuse)
        {
            err.println("error: recovery refused: the journal is damaged in " + plan.damagedRegions() + " region(s), the " +
                "first: " + plan.corruption().getMessage() + ". The tasks whose acceptance lies in a damaged region " +
                "would be lost without a word: restore or move the damaged file aside and run again, or run with " +
                "--accept-damage to dispatch the " + plan.pending().size() + " open task(s) read around it");
        }
        else if (refuseLive)
        {
            err.println("error: recovery refused: a running process still writes the journal " + journal + " (it " +
                "holds the journal's writer lock); the " + plan.open() + " task(s) open in it are in that process's " +
                "hands, and dispatching them again would run them twice. Stop that process (or let it finish) and run " +
                "recover again; --dry-run reports without dispatching");
        }
        else if (refuseConfig)
        {
            err.println("error: recovery refused: the journal " + journal + " was written by 'ringmaster serve --config " +
                "FILE' (payload codec " + codec.name() + "): its " + plan.pending().size() + " open task(s) belong to " +
                "the fleet that file declares, and recover dispatches on the demo's simulated fleet. Recover them " +
                "with 'ringmaster serve --config FILE --journal " + journal + "', which dispatches the tasks left open " +
                "again on start; nothing was written");
        }
        else if (outcome != null && (outcome.journalError() != null || !outcome.notWritten().isEmpty()))
        {
            err.println("error: the journal did not record the recovery: " + (outcome.journalError() == null ?
                "records dropped" : outcome.journalError()) + (outcome.notWritten().isEmpty() ? "" : "; not written: " +
                DemoRecovery.abandonedSummary(outcome.abandoned(), outcome.notWritten(), null) +
                ", run recover again"));
        }
        // what the recovery asked for and left undone: each fails a script that runs recover and goes on as if the
        // journal held nothing open any more
        final int abandoned = outcome == null ? 0 : outcome.abandoned().size();
        final boolean unrecovered = !dryRun && !refuse && !refuseLive && !refuseConfig &&
            plan.unrecoverable().size() > abandoned;
        if (unrecovered)
        {
            err.println("error: " + (plan.unrecoverable().size() - abandoned) + " open task(s) could not be rebuilt " +
                "from the journal and were not dispatched again; they stay open in it (the first: " +
                firstLeftOpen(plan, outcome) + "). 'ringmaster recover " + journal + " --dry-run' lists them (--json " +
                "all of them), 'ringmaster audit " + journal + " TASK_ID' shows one's history: submit them again " +
                "from where they came from, or close them for good with 'ringmaster recover " + journal +
                " --abandon-unrecoverable'");
        }
        if (outcome != null && outcome.refused() > 0)
        {
            err.println("error: the dispatcher refused " + outcome.refused() + " recovered task(s); they stay open in " +
                "the journal for the next recovery");
        }
        if (outcome != null && outcome.lost() > 0)
        {
            err.println("error: " + outcome.lost() + " recovered task(s) did not finish within the --wait of " +
                Duration.ofNanos(waitNanos).toMillis() + " ms; the shutdown cancelled them, and they stay open in the " +
                "journal: run recover again with a longer --wait");
        }
        err.flush();
        final boolean failed = refuse || refuseLive || refuseConfig || unrecovered || (outcome != null &&
            (outcome.lost() > 0 || outcome.refused() > 0 || outcome.journalError() != null ||
            !outcome.notWritten().isEmpty()));
        return failed ? 1 : 0;
    }

    /** @return the line of the first unrecoverable task that no abandonment closed. */
    private static String firstLeftOpen(final RecoveryPlan plan, final DemoRecovery.Outcome outcome)
    {
        if (outcome == null || outcome.abandoned().isEmpty() || plan.unrecoverableTasks().isEmpty())
        {
            return plan.unrecoverable().get(0);
        }
        return plan.unrecoverableTasks().stream().filter(u -> !outcome.abandoned().contains(u)).findFirst()
            .map(RecoveryPlan.Unrecoverable::line).orElse(plan.unrecoverable().get(0));
    }

    private double recordsPerSecond(final RecoveryPlan plan)
    {
        return plan.recordsRead() * 1e9 / Math.max(1, scanNanos);
    }

    private String report(final RecoveryPlan plan, final PayloadCodec codec)
    {
        final StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "journal %s (payload codec %s): %,d records read in %,d ms (%,.0f records/s)%n",
            journal, codec.name(), plan.recordsRead(), scanNanos / 1_000_000, recordsPerSecond(plan)));
        if (live)
        {
            s.append("  live: a running process still writes the journal; the figures are a snapshot, and its open "
                + "tasks may still be running there\n");
        }
        s.append(String.format(Locale.ROOT, "  %,d accepted, %,d finished, %,d open: %,d recoverable, %,d unrecoverable%n",
            plan.accepted(), plan.finished(), plan.open(), plan.pending().size(), plan.unrecoverable().size()));
        plan.unrecoverable().stream().limit(SHOWN_UNRECOVERABLE).forEach(line -> s.append("    unrecoverable: ").append(line).append('\n'));
        if (plan.unrecoverable().size() > SHOWN_UNRECOVERABLE)
        {
            s.append(String.format(Locale.ROOT, "    ... and %,d more (--json lists them all)%n",
                plan.unrecoverable().size() - SHOWN_UNRECOVERABLE));
        }
        s.append("  damage: ").append(plan.corruption() == null ? "none" : plan.damagedRegions() +
            " region(s) read past, the first: " + plan.corruption().getMessage()).append('\n');
        plan.notes().forEach(note -> s.append("  note: ").append(note).append('\n'));
        s.append(String.format(Locale.ROOT, "  new task ids start above %d%n", plan.maxTaskId()));
        return s.toString();
    }

    private String json(final RecoveryPlan plan, final PayloadCodec codec, final boolean refused,
                        final boolean refusedLive, final boolean refusedConfig, final DemoRecovery.Outcome outcome)
    {
        final StringWriter w = new StringWriter(1024);
        try (JsonGenerator j = JSON.createGenerator(w))
        {
            j.writeStartObject();
            j.writeStringField("journal", journal.toString());
            j.writeStringField("payload_codec", codec.name());
            j.writeNumberField("records", plan.recordsRead());
            j.writeNumberField("scan_ms", scanNanos / 1_000_000);
            j.writeNumberField("records_per_second", Math.round(recordsPerSecond(plan)));
            j.writeNumberField("accepted", plan.accepted());
            j.writeNumberField("finished", plan.finished());
            j.writeNumberField("open", plan.open());
            j.writeNumberField("recoverable", plan.pending().size());
            j.writeNumberField("unrecoverable", plan.unrecoverable().size());
            j.writeArrayFieldStart("unrecoverable_tasks");
            for (final String line : plan.unrecoverable())
            {
                j.writeString(line);
            }
            j.writeEndArray();
            if (plan.corruption() == null)
            {
                j.writeNullField("damage");
            }
            else
            {
                j.writeStringField("damage", plan.corruption().getMessage());
            }
            j.writeNumberField("damaged_regions", plan.damagedRegions());
            j.writeArrayFieldStart("notes");
            for (final String note : plan.notes())
            {
                j.writeString(note);
            }
            j.writeEndArray();
            j.writeBooleanField("dry_run", dryRun);
            j.writeBooleanField("refused_for_damage", refused);
            j.writeBooleanField("live", live);
            j.writeBooleanField("refused_for_live", refusedLive);
            j.writeBooleanField("refused_for_serve_config", refusedConfig);
            j.writeNumberField("recovered", outcome == null ? 0 : outcome.recovered());
            j.writeNumberField("refused", outcome == null ? 0 : outcome.refused());
            j.writeNumberField("completed", outcome == null ? 0 : outcome.count(TerminalState.COMPLETED));
            j.writeNumberField("dead_lettered", outcome == null ? 0 : outcome.count(TerminalState.DEAD_LETTERED));
            j.writeNumberField("expired", outcome == null ? 0 : outcome.count(TerminalState.EXPIRED));
            j.writeNumberField("lost", outcome == null ? 0 : outcome.lost());
            j.writeNumberField("abandoned", outcome == null ? 0 : outcome.abandoned().size());
            j.writeArrayFieldStart("abandoned_tasks");
            for (final RecoveryPlan.Unrecoverable u : outcome == null ? java.util.List.<RecoveryPlan.Unrecoverable>of()
                : outcome.abandoned())
            {
                j.writeString(u.line());
            }
            j.writeEndArray();
            // "unrecoverable" is what the scan found; what the journal still holds open after this run is apart
            j.writeNumberField("left_open", outcome == null ? plan.open() : plan.unrecoverable().size() -
                outcome.abandoned().size() + outcome.refused() + outcome.lost());
            j.writeNumberField("max_task_id", plan.maxTaskId());
            j.writeEndObject();
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }
}
