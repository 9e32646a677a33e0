package dev.ringmaster.tools;

import dev.ringmaster.journal.Journal;
import dev.ringmaster.journal.JournalReader;
import dev.ringmaster.journal.replay.Replay;
import dev.ringmaster.journal.replay.ReplayReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code ringmaster replay JOURNAL_DIR [--json]}: statistics rebuilt from a journal alone; picocli creates one
 * instance per execution and calls it on the executing thread.
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
        ""},
    footer = {"", "Exit code: 0 if the whole journal was read, 1 if it is missing or damaged (the readable part is "
        + "still reported), 2 for bad options.",
        "Example: ringmaster replay /tmp/journal --json"})
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

    @Override
    public Integer call()
    {
        final ReplayReport report;
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
        }
        live |= Journal.isBeingWritten(journal);
        final PrintWriter out = spec.commandLine().getOut();
        out.print(json ? ReplayRendering.json(journal, report, live) + System.lineSeparator() :
            ReplayRendering.text(journal, report, live));
        out.flush();
        if (report.corruption() != null)
        {
            final PrintWriter err = spec.commandLine().getErr();
            err.println("error: " + report.corruption());
            err.flush();
            return 1;
        }
        return 0;
    }
}
