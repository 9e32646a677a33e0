package dev.ringmaster.tools;

import dev.ringmaster.journal.Journal;
import dev.ringmaster.journal.JournalReader;
import dev.ringmaster.plugin.PluginKind;
import dev.ringmaster.plugin.PluginRegistry;
import dev.ringmaster.predict.PredictiveStrategy;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The workload-replaying modes of {@code ringmaster replay}: {@code --what-if} and {@code --verify-decisions}; one
 * instance per command execution, confined to the executing thread.
 */
final class WorkloadReplay
{
    private final CommandSpec spec;
    private final PluginsOption plugins;
    private final Path journal;
    private final boolean json;
    private boolean unpaced;

    WorkloadReplay(final CommandSpec spec, final PluginsOption plugins, final Path journal, final boolean json)
    {
        this.spec = spec;
        this.plugins = plugins;
        this.journal = journal;
        this.json = json;
    }

    /** @return the exit code. */
    int run(final List<String> whatIf, final long contextLoadNanos, final boolean unpaced, final boolean verify,
            final String strategy, final Path golden, final boolean writeGolden)
    {
        this.unpaced = unpaced;
        checkOptions(whatIf, verify, strategy, golden, writeGolden);
        if (whatIf == null && (unpaced || contextLoadNanos != 0))
        {
            // the option given, not both: --context-load-us alone was told about --unpaced too
            throw usage((unpaced && contextLoadNanos != 0 ? "--unpaced and --context-load-us go" : unpaced ?
                "--unpaced goes" : "--context-load-us goes") + " with --what-if, e.g. --what-if p2c" +
                (contextLoadNanos != 0 ? " --context-load-us " + contextLoadNanos / 1_000 : " --unpaced"));
        }
        try (PluginRegistry registry = plugins.open())
        {
            // every name is checked before the journal is read: a typo must not cost a minute of reading first
            plugins.requireStrategies(registry, verify ? List.of(strategy) : whatIf, verify ? "--strategy" : "--what-if");
            final JournalArrivals arrivals;
            // a writer open before or after the read: either way the figures may already be behind the journal
            boolean live = Journal.isBeingWritten(journal);
            try (JournalReader reader = JournalReader.open(journal))
            {
                arrivals = JournalArrivals.read(reader, journal);
            }
            live |= Journal.isBeingWritten(journal);
            final ReplayFleet fleet = ReplayFleet.of(journal, arrivals);
            if (verify && writeGolden && !arrivals.damage().isEmpty())
            {
                // a golden file of a damaged journal would bless the decisions its gaps changed
                reportDamage(arrivals, "nothing was written to a golden file");
                return 1;
            }
            if (verify && !arrivals.damage().isEmpty())
            {
                // first: the differences below may come from the tasks missing in the damage
                reportDamage(arrivals, "the decisions of the tasks read around them are checked below, and may " +
                    "differ from the golden file because those tasks are missing");
                verify(registry, arrivals, fleet, strategy, golden, false);
                return 1;
            }
            final int exit = verify ? verify(registry, arrivals, fleet, strategy, golden, writeGolden) :
                whatIf(registry, arrivals, fleet, whatIf, contextLoadNanos, live);
            if (!arrivals.damage().isEmpty())
            {
                reportDamage(arrivals, verify ? "the decisions of the tasks after them were checked, and may differ " +
                    "because those tasks are missing" : "the figures above cover the tasks read around them");
                return 1;
            }
            return exit;
        }
    }

    /** Names every damaged region read past, what that means for this run, and the fix. */
    private void reportDamage(final JournalArrivals arrivals, final String consequence)
    {
        final PrintWriter err = spec.commandLine().getErr();
        err.println("error: the journal is damaged in " + arrivals.damage().size() + " region(s), each read past; the " +
            "tasks recorded in them are missing from the replayed workload, and " + consequence + ". Restore the " +
            "damaged file from a copy, or move it aside; 'ringmaster recover " + journal + " --dry-run' shows which " +
            "open tasks can still be recovered. The damage:");
        arrivals.damage().forEach(d -> err.println("  " + d));
        err.flush();
    }

    private void checkOptions(final List<String> whatIf, final boolean verify, final String strategy, final Path golden,
                              final boolean writeGolden)
    {
        if (whatIf != null && verify)
        {
            throw usage("--what-if and --verify-decisions are two different runs; give one of them");
        }
        if (whatIf != null && (whatIf.isEmpty() || whatIf.stream().anyMatch(String::isBlank)))
        {
            throw usage("--what-if needs strategy names separated by commas, e.g. --what-if p2c,least-connections");
        }
        if (!verify && (strategy != null || golden != null || writeGolden))
        {
            throw usage("--strategy, --golden and --write-golden go with --verify-decisions, e.g. " +
                "--verify-decisions --strategy p2c");
        }
        if (verify && json)
        {
            // the check answers in text and its exit code: --json would be silently ignored
            throw usage("--json goes with the report and --what-if; --verify-decisions answers with its exit code (1 " +
                "on a changed decision) and the changed decisions as text: drop --json");
        }
        if (spec.commandLine().getParseResult().hasMatchedOption("--bucket-ms"))
        {
            throw usage("--bucket-ms sets the utilization buckets of the plain report, which --what-if and " +
                "--verify-decisions do not print: drop --bucket-ms, or run 'ringmaster replay " + journal +
                " --bucket-ms MS' alone");
        }
        if (verify && (strategy == null || strategy.isBlank()))
        {
            throw usage("--verify-decisions needs --strategy NAME, the strategy whose decisions to check, e.g. " +
                "--verify-decisions --strategy p2c");
        }
    }

    private ParameterException usage(final String message)
    {
        return new ParameterException(spec.commandLine(), message);
    }

    private int whatIf(final PluginRegistry registry, final JournalArrivals arrivals, final ReplayFleet fleet,
                       final List<String> names, final long contextLoadNanos, final boolean live)
    {
        final String recordedAs = arrivals.recordedStrategy();
        // a journal of 'demo --predictive' names the wrapped strategy; no plugin provides that name, and the what-if
        // does not replay the predictions pre-routing made live: the strategy beneath is calibrated, and it says so
        final String beneath = recordedAs != null && recordedAs.endsWith(PredictiveStrategy.SUFFIX) ?
            recordedAs.substring(0, recordedAs.length() - PredictiveStrategy.SUFFIX.length()) : null;
        final boolean underPreRouting = beneath != null && registry.strategies().containsKey(beneath);
        final String recorded = underPreRouting ? beneath : recordedAs;
        if (underPreRouting)
        {
            spec.commandLine().getErr().println("note: the journal was recorded with predictive pre-routing on top of " +
                recorded + " ('" + recordedAs + "'); the what-if replays " + recorded + " without it (it does not " +
                "replay the predictions made live), so the calibration row compares " + recorded + " alone with the " +
                "journal");
            spec.commandLine().getErr().flush();
        }
        if (recorded == null)
        {
            throw new IllegalStateException("the journal in " + journal + " names no strategy in its assignment " +
                "records, so there is nothing to calibrate against; record it with a dispatcher that journals " +
                "assignments (e.g. 'ringmaster demo --journal DIR')");
        }
        if (!registry.strategies().containsKey(recorded))
        {
            throw usage("the journal was recorded with strategy '" + recorded + "', which is not installed here; add " +
                "the plugins directory that holds it with --plugins DIR");
        }
        // a name given twice runs once, where first given: twice would print two identical rows
        final List<String> strategies = new ArrayList<>(new java.util.LinkedHashSet<>(names));
        strategies.remove(recorded);
        strategies.add(recorded); // last: the calibration row
        final List<WhatIf.Outcome> rows = new ArrayList<>();
        try (TerminalProgress progress = TerminalProgress.open("replay: strategies simulated", strategies.size(), json))
        {
            for (final String name : strategies)
            {
                rows.add(WhatIf.run(arrivals, fleet, name, registry.classLoader(), contextLoadNanos, !unpaced));
                progress.step();
            }
        }
        final WhatIfRendering.Report report = new WhatIfRendering.Report(journal, fleet.origin(), fleet,
            arrivals.records(),
            recorded, WhatIf.recorded(arrivals, fleet, recorded), rows, contextLoadNanos, !unpaced, arrivals.damage(), live);
        final PrintWriter out = spec.commandLine().getOut();
        out.print(json ? WhatIfRendering.json(report) + System.lineSeparator() : WhatIfRendering.text(report));
        out.flush();
        int exit = 0;
        for (final WhatIf.Outcome o : rows)
        {
            if (o.strategyErrors() > 0)
            {
                // the fallback took each failed decision: the row compares it, not the strategy asked for
                final PrintWriter err = spec.commandLine().getErr();
                err.printf(Locale.ROOT, "error: strategy %s failed %,d of its decisions (the first %s), so its figures " +
                    "above are partly the fallback's (the candidate with the fewest tasks in flight), not its own; fix its " +
                    "select() (route() for a version 2 strategy) and run again%n",
                    o.strategy(), o.strategyErrors(), o.firstStrategyError());
                err.flush();
                exit = 1;
            }
            if (o.unfinished() > 0)
            {
                // the row's figures leave those tasks out: a strategy that placed nothing read as a row of NaN, exit 0
                final PrintWriter err = spec.commandLine().getErr();
                err.printf(Locale.ROOT, "error: strategy %s left %,d of %,d task(s) unfinished (it declined them to the " +
                    "end), so its figures above leave them out; a strategy may decline a task for now, but must place " +
                    "it once an agent can take it: fix its select() (route() for a version 2 strategy)%n", o.strategy(),
                    o.unfinished(), o.tasks());
                err.flush();
                exit = 1;
            }
        }
        return exit;
    }

    private int verify(final PluginRegistry registry, final JournalArrivals arrivals, final ReplayFleet fleet,
                       final String strategy, final Path golden, final boolean write)
    {
        final Path file = golden != null ? golden : GoldenDecisions.defaultFile(journal, strategy);
        final WhatIf.Outcome outcome = WhatIf.run(arrivals, fleet, strategy, registry.classLoader(), 0);
        final PrintWriter out = spec.commandLine().getOut();
        if (outcome.strategyErrors() > 0)
        {
            // the replay placed those tasks by the fallback: golden decisions that are not the strategy's
            final PrintWriter err = spec.commandLine().getErr();
            err.printf(Locale.ROOT, "error: strategy %s failed %,d of its decisions (the first %s), so its decisions " +
                "cannot be %s; fix its select() (route() for a version 2 strategy) and run again%n", strategy, outcome.strategyErrors(),
                outcome.firstStrategyError(), write ? "written to a golden file" : "verified");
            err.flush();
            return 1;
        }
        if (outcome.unfinished() > 0)
        {
            // a task it never placed has no decision: a golden file of the others would pass a strategy that places
            // nothing of a kind (every HIGH task declined), and used to record the first agent for each
            final PrintWriter err = spec.commandLine().getErr();
            err.printf(Locale.ROOT, "error: strategy %s left %,d of %,d task(s) unfinished (it declined them to the end), " +
                "so its decisions cannot be %s; a strategy may decline a task for now, but must place it once an agent " +
                "can take it: fix its select() (route() for a version 2 strategy) and run again%n", strategy,
                outcome.unfinished(), outcome.tasks(), write ? "written to a golden file" : "verified");
            err.flush();
            return 1;
        }
        // a strategy from a jar is unknown to a command without --plugins: the commands suggested below need it
        final Path pluginsDir = registry.report().loaded(PluginKind.ROUTING_STRATEGY).stream()
            .anyMatch(p -> p.name().equals(strategy) && p.fromJar()) ? plugins.directory : null;
        if (write)
        {
            GoldenDecisions.write(file, strategy, pluginsDir, outcome.decisions());
            out.printf(Locale.ROOT, "%s: wrote %,d decisions to %s%n", strategy, outcome.decisions().size(), file);
            out.flush();
            return 0;
        }
        final GoldenDecisions.Comparison c = GoldenDecisions.compare(file, strategy, outcome.decisions());
        if (c.matches())
        {
            out.printf(Locale.ROOT, "%s: all %,d decisions match %s%n", strategy, c.tasks(), file);
            out.flush();
            return 0;
        }
        final PrintWriter err = spec.commandLine().getErr();
        final String missing = c.missing() == 0 ? "" : String.format(Locale.ROOT, ", and %,d task(s) of the golden " +
            "file are not among the journal's completed tasks", c.missing());
        // on a damaged journal a regenerated file would bless the decisions the missing tasks changed
        final String advice = !arrivals.damage().isEmpty() ? "The journal is damaged (see above): the differences " +
            "may come from the tasks missing in the damaged regions, so do not regenerate the golden file from it; " +
            "restore the damaged file and verify again" : String.format(Locale.ROOT, "If the change is intended, " +
            "regenerate the file: ringmaster replay %s --verify-decisions --strategy %s %s%s--write-golden", journal,
            strategy, pluginsDir != null ? "--plugins " + pluginsDir + " " : "", golden != null ? "--golden " + golden +
            " " : "");
        err.printf(Locale.ROOT, "error: strategy %s decided %,d of %,d tasks differently from the golden file %s%s; "
            + "%s. %s%n", strategy, c.differing(), c.tasks(), file, missing, String.join("; ", c.differences()), advice);
        err.flush();
        return 1;
    }

    /** Parses a non-negative count of microseconds, with a message that names the fix; stateless. */
    static final class Micros implements CommandLine.ITypeConverter<Long>
    {
        @Override
        public Long convert(final String value)
        {
            final long parsed;
            try
            {
                parsed = Long.parseLong(value.replace("_", ""));
            }
            catch (final NumberFormatException e)
            {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a whole number of microseconds; " +
                    "give e.g. 200, or 0 for no context-load cost");
            }
            if (parsed < 0 || parsed > 3_600_000_000L)
            {
                throw new CommandLine.TypeConversionException("'" + value + "' is out of range; give 0 to " +
                    "3,600,000,000 microseconds, e.g. 200");
            }
            return parsed;
        }
    }
}
