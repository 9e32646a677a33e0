package dev.ringmaster.tools;

import dev.ringmaster.journal.Journal;
import dev.ringmaster.journal.JournalReader;
import dev.ringmaster.journal.replay.PredictionHits;
import dev.ringmaster.journal.replay.Replay;
import dev.ringmaster.journal.replay.ReplayReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ringmaster replay JOURNAL_DIR [--json]}: statistics rebuilt from a journal alone; with {@code --what-if} the
 * recorded workload re-run in the simulator under other strategies, with {@code --verify-decisions} a strategy's
 * decisions checked against a golden file; picocli creates one instance per execution and calls it on the executing
 * thread.
 */
@Command(name = "replay",
    mixinStandardHelpOptions = true,
    versionProvider = RingmasterCli.Version.class,
    sortOptions = false,
    description = {
        "Read a journal (e.g. written by 'ringmaster demo --journal DIR') and report what happened: tasks and "
            + "tokens per agent with their Gini coefficients, latency percentiles per stage rebuilt from the recorded "
            + "timestamps, dead letters with reasons, steals and utilization over time. A journal that a running "
            + "process still writes is reported as a snapshot (JSON: \"live\": true).",
        "",
        "--what-if A,B,... re-runs the journal's completed tasks (arrival times, types, priorities, skills, costs and "
            + "the durations each agent showed) in the simulator under each strategy and the recorded one, and "
            + "calibrates: the recorded strategy's simulated p99 sojourn against the journal's.",
        "--verify-decisions --strategy NAME replays them through one strategy and compares every decision with a "
            + "golden file (--write-golden writes it): a plugin's regression check.",
        ""},
    footer = {"", "Exit code: 0 if the whole journal was read (and the decisions match), 1 if it is missing or damaged "
        + "(read on past each damaged region, which is listed, and the records around them reported), a decision "
        + "changed, or a strategy's decisions failed in --what-if or --verify-decisions (the fallback, fewest tasks "
        + "in flight, took each failed decision, so the figures are not the strategy's) or it left tasks unfinished "
        + "(declined to the end), 2 for bad options.",
        "Example: ringmaster replay /tmp/journal --json",
        "         ringmaster replay /tmp/journal --what-if p2c,least-connections",
        "         ringmaster replay /tmp/journal --verify-decisions --strategy my-strategy --plugins ./plugins"})
public final class ReplayCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "JOURNAL_DIR", description = "The journal's directory.")
    Path journal;

    @Option(names = "--json", description = "Print the report as one JSON object on stdout.")
    boolean json;

    @Option(names = "--bucket-ms", paramLabel = "MS", defaultValue = "1000", converter = DemoCommand.PositiveCount.class,
        description = "Length of a utilization bucket in milliseconds (default: ${DEFAULT-VALUE}).")
    int bucketMillis;

    @Option(names = "--what-if", paramLabel = "A,B,...", split = ",",
        description = "Re-run the recorded workload in the simulator under these strategies (and the recorded one) "
            + "and compare mean, p50 and p99 sojourn, Gini and context waste; a name given twice runs once.")
    List<String> whatIf;

    @Option(names = "--context-load-us", paramLabel = "US", defaultValue = "0", converter = WorkloadReplay.Micros.class,
        description = "With --what-if: price a cold context (a task whose affinity key is not warm on its agent) at "
            + "this many microseconds on a speed-1 agent, on top of the recorded execution times, which include any "
            + "cost the agents paid: a journal of 'demo --context-load' counts its cost twice (default: "
            + "${DEFAULT-VALUE}, none).")
    long contextLoadMicros;

    @Option(names = "--unpaced",
        description = "With --what-if: place tasks as soon as an agent has room, instead of no faster than the "
            + "recorded dispatcher placed them (which keeps a run limited by its own threads limited).")
    boolean unpaced;

    @Option(names = "--verify-decisions",
        description = "Replay the recorded workload through --strategy and compare every decision with the golden "
            + "file; exit 1 on any difference.")
    boolean verifyDecisions;

    @Option(names = "--strategy", paramLabel = "NAME", description = "With --verify-decisions: the strategy to check.")
    String strategy;

    @Option(names = "--golden", paramLabel = "FILE",
        description = "With --verify-decisions: the golden decisions file (default: "
            + "JOURNAL_DIR/ringmaster-decisions-NAME.txt).")
    Path golden;

    @Option(names = "--write-golden",
        description = "With --verify-decisions: write the golden file from this run instead of comparing (after an "
            + "intended change of the strategy's decisions).")
    boolean writeGolden;

    @Mixin
    PluginsOption plugins;

    @Override
    public Integer call()
    {
        if (whatIf != null || verifyDecisions || strategy != null || writeGolden || golden != null || unpaced ||
            contextLoadMicros != 0)
        {
            return new WorkloadReplay(spec, plugins, journal, json).run(whatIf, contextLoadMicros * 1_000L,
                unpaced, verifyDecisions, strategy, golden, writeGolden);
        }
        if (plugins.directory != null)
        {
            // every other command refuses a missing --plugins directory; a plain replay read none, and exited 0
            throw new CommandLine.ParameterException(spec.commandLine(), "--plugins goes with --what-if or " +
                "--verify-decisions (a plain replay runs no strategy), e.g. --what-if my-strategy --plugins " +
                plugins.directory);
        }
        final ReplayReport report;
        final String metadataWarning;
        // a writer open before or after the read: either way the figures may already be behind the journal
        boolean live = Journal.isBeingWritten(journal);
        try (JournalReader reader = JournalReader.open(journal);
             TerminalProgress progress = TerminalProgress.open("replay: records read", -1, json))
        {
            if (progress.drawn())
            {
                reader.onProgress(dev.ringmaster.journal.Recovery.PROGRESS_EVERY, progress::stepTo);
            }
            report = Replay.of(reader, bucketMillis);
            metadataWarning = reader.metadataWarning();
        }
        if (metadataWarning != null)
        {
            spec.commandLine().getErr().println("warning: " + metadataWarning);
            spec.commandLine().getErr().flush();
        }
        live |= Journal.isBeingWritten(journal);
        final PrintWriter out = spec.commandLine().getOut();
        final java.util.Map<String, PredictionHits.Tally> predictions = predictionHits(report);
        out.print(json ? PredictionRendering.json(ReplayRendering.json(journal, report, live), predictions) +
            System.lineSeparator() : ReplayRendering.text(journal, report, live) + PredictionRendering.text(predictions));
        out.flush();
        if (!report.damage().isEmpty())
        {
            final PrintWriter err = spec.commandLine().getErr();
            err.println("error: the journal is damaged in " + report.damage().size() + " region(s); the report covers " +
                "the records read around them, and the tasks recorded in them are missing from it. Restore the damaged " +
                "file from a copy, or move it aside; 'ringmaster recover " + journal + " --dry-run' shows which open " +
                "tasks can still be recovered. The damage:");
            report.damage().forEach(d -> err.println("  " + d));
            err.flush();
            return 1;
        }
        return 0;
    }

    /** A second pass, only over a journal that holds predictions: their hit rate. */
    private java.util.Map<String, PredictionHits.Tally> predictionHits(final ReplayReport report)
    {
        if (report.count(dev.ringmaster.journal.EventType.PREDICTION) == 0)
        {
            return java.util.Map.of();
        }
        final PredictionHits hits = new PredictionHits();
        try (JournalReader reader = JournalReader.open(journal))
        {
            reader.readToEnd(hits::onRecord, e -> { }); // damage is reported by the first pass
        }
        return hits.summary();
    }
}
