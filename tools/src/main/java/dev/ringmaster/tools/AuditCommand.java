package dev.ringmaster.tools;

import dev.ringmaster.journal.Audit;
import dev.ringmaster.journal.EventType;
import dev.ringmaster.journal.JournalCorruptException;
import dev.ringmaster.journal.JournalEvent;
import dev.ringmaster.journal.JournalReader;
import dev.ringmaster.plugin.PluginRegistry;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * {@code ringmaster audit JOURNAL_DIR TASK_ID} (the whole history of one task) and
 * {@code ringmaster audit JOURNAL_DIR --from T --to T [--agent ID]} (who did what in a time range); picocli creates
 * one instance per execution and calls it on the executing thread.
 */
@Command(name = "audit",
    mixinStandardHelpOptions = true,
    versionProvider = RingmasterCli.Version.class,
    sortOptions = false,
    description = {
        "Show from a journal the whole history of one task (accepted, assigned with the strategy's score and "
            + "runner-up, stolen, started, failed, retried, completed or dead-lettered, recovered), every event "
            + "in a time range in time order with a count per agent, or with --admin the operators' changes through "
            + "the admin endpoint (what, when, from where, how it ended).",
        ""},
    footer = {"", "Times are ISO-8601 instants (2026-05-01T12:00:00Z) or epoch milliseconds.",
        "Exit code: 0 if found, 1 if the task is not in the journal or the journal is missing or damaged, 2 for bad "
            + "options.",
        "Examples: ringmaster audit /tmp/journal 1234",
        "          ringmaster audit /tmp/journal 1234 --explain",
        "          ringmaster audit /tmp/journal --from 2026-05-01T12:00:00Z --to 2026-05-01T12:00:05Z --agent coder-3",
        "          ringmaster audit /tmp/journal --admin"})
public final class AuditCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "JOURNAL_DIR", description = "The journal's directory.")
    Path journal;

    @Parameters(index = "1", paramLabel = "TASK_ID", arity = "0..1", converter = TaskId.class,
        description = "The task whose history to show (0 or more).")
    Long taskId;

    @Option(names = "--from", paramLabel = "TIME", converter = TimeConverter.class,
        description = "Start of the time range (inclusive), instead of a task id.")
    Long fromNanos;

    @Option(names = "--to", paramLabel = "TIME", converter = TimeConverter.class,
        description = "End of the time range (exclusive; default: the end of the journal).")
    Long toNanos;

    @Option(names = "--agent", paramLabel = "ID", description = "With a time range: only this agent's events.")
    String agent;

    @Option(names = "--admin", description = "The operators' changes through the admin endpoint (all, or those in "
        + "--from/--to), instead of tasks' events.")
    boolean admin;

    @Option(names = "--explain", description = "With a TASK_ID: after its history, why each of its assignments went "
        + "to that agent: the strategy and its version, the candidates, winner and runner-up with their scores, the "
        + "random state, and a shadow strategy's pick.")
    boolean explain;

    @Option(names = "--prefetch", paramLabel = "P", defaultValue = "1",
        description = "With --explain: tasks an agent could hold beyond its capacity in the dispatcher that wrote the "
            + "journal, for rebuilding who had room (default: ${DEFAULT-VALUE}, the dispatcher's default).")
    int prefetch;

    @picocli.CommandLine.Mixin
    PluginsOption plugins;

    @Override
    public Integer call()
    {
        // checked before the journal is read: a bad option found afterwards would come after a printed history, or
        // (a missing --plugins directory) turn into a note under an exit code of 0
        if (toNanos != null && fromNanos != null && toNanos <= fromNanos)
        {
            throw new ParameterException(spec.commandLine(), "--to must be after --from (the range is [--from, " +
                "--to)); swap them, or leave --to out for the end of the journal");
        }
        if (!explain && (spec.commandLine().getParseResult().hasMatchedOption("--prefetch") || plugins.directory != null))
        {
            throw new ParameterException(spec.commandLine(), "--prefetch and --plugins go with --explain, e.g. " +
                "'ringmaster audit JOURNAL_DIR 42 --explain --plugins ./plugins'");
        }
        if (prefetch < 0)
        {
            throw new ParameterException(spec.commandLine(), "--prefetch must be 0 or more, got " + prefetch +
                "; give the prefetch of the dispatcher that wrote the journal (1 unless it was set)");
        }
        if (admin)
        {
            return adminChanges();
        }
        try (PluginRegistry registry = explain ? plugins.open() : null)
        {
            return report(registry);
        }
    }

    /**
     * @return what the analyst can look for instead: the task ids the journal holds, and whether the task may not be
     *     written yet; a second pass, taken only when the task was not found.
     */
    private String whereIds()
    {
        final long[] span = span();
        final String ids = span[0] > span[1] ? ", which holds no task; check that it is the journal you meant"
            : taskId != null && taskId >= span[0] && taskId <= span[1] ? String.format(java.util.Locale.ROOT,
                ", whose task ids run from %d to %d but not every id between them is used (a serve's own ids, for one, " +
                "start far above the ones it recovered); check the id", span[0], span[1])
            : String.format(java.util.Locale.ROOT, ", whose task ids run from %d to %d; give one of those",
                span[0], span[1]);
        return ids + (dev.ringmaster.journal.Journal.isBeingWritten(journal)
            ? "; a running process still writes it, so a task accepted a moment ago may not be written yet: run audit again"
            : "");
    }

    /** @return when the journal's records were written, for a time range that found nothing. */
    private String whenRecords()
    {
        final long[] span = span();
        return span[2] > span[3] ? ", which holds no records; check that it is the journal you meant"
            : "; its records run from " + Instant.ofEpochSecond(0, span[2]) + " to " + Instant.ofEpochSecond(0,
                span[3]) + ": give a range that overlaps them (one inside them may fall between two records)";
    }

    /**
     * @return the smallest and largest task id, then the earliest and latest record time in epoch nanoseconds (each
     *     pair inverted if there is none); a second pass, taken only when a search found nothing.
     */
    private long[] span()
    {
        final long[] span = {Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE};
        try (JournalReader reader = JournalReader.open(journal))
        {
            reader.toStart().readToEnd(r ->
            {
                // predictions and operators' changes carry no task (-1)
                if (r.taskId() >= 0)
                {
                    span[0] = Math.min(span[0], r.taskId());
                    span[1] = Math.max(span[1], r.taskId());
                }
                span[2] = Math.min(span[2], r.epochNanos());
                span[3] = Math.max(span[3], r.epochNanos());
            }, e -> { }); // the first pass reported any damage
        }
        return span;
    }

    private int report(final PluginRegistry registry)
    {
        if ((taskId == null) == (fromNanos == null))
        {
            throw new ParameterException(spec.commandLine(),
                "give either a TASK_ID or a time range with --from (and optionally --to), not " +
                    (taskId == null ? "neither" : "both"));
        }
        if (taskId != null && agent != null)
        {
            throw new ParameterException(spec.commandLine(), "--agent narrows a time range; a TASK_ID's history is " +
                "all its events, on every agent: drop --agent, or give --from instead of the TASK_ID");
        }
        if (explain && taskId == null)
        {
            throw new ParameterException(spec.commandLine(), "--explain explains one task's assignments: give a " +
                "TASK_ID instead of a time range");
        }
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        // read on past each damaged region: stopping at the first would hide a task whose records lie after it
        final List<JournalEvent> events = new java.util.ArrayList<>();
        final List<JournalCorruptException> damaged = new java.util.ArrayList<>();
        try (JournalReader reader = JournalReader.open(journal))
        {
            warnMetadata(err, reader);
            if (taskId != null)
            {
                Audit.history(reader, taskId, events, damaged::add);
            }
            else
            {
                Audit.activityNanos(reader, fromNanos, toNanos == null ? Long.MAX_VALUE : toNanos, agent,
                    events, damaged::add);
            }
        }
        final JournalCorruptException damage = damaged.isEmpty() ? null : damaged.get(0);
        if (taskId != null)
        {
            events.forEach(e -> out.println(e.describe()));
            if (damage == null && openAtEnd(events) && events.get(events.size() - 1).cancelledAtShutdown())
            {
                // its CANCELLED line reads like an end, yet the next recovery runs the task again
                out.println("(still open: the dispatcher's shutdown cancelled the task before it finished, which ends " +
                    "nothing; 'ringmaster recover " + journal + "' dispatches it again)");
            }
            else if (damage == null && openAtEnd(events))
            {
                // a history that just stops reads like a lost task; say which of the two it is
                out.println(dev.ringmaster.journal.Journal.isBeingWritten(journal)
                    ? "(no end yet: a running process still writes the journal, and the task may be in its hands)"
                    : "(no end in the journal: the task was open when its last record was written, as a killed run "
                        + "leaves it; 'ringmaster recover " + journal + " --dry-run' counts such tasks)");
            }
            if (explain && !events.isEmpty())
            {
                // re-derived past damage too: the decisions after it are still the journal's
                out.print(AuditExplain.explain(taskId, events, rederive(registry, err)));
            }
        }
        else if (!events.isEmpty())
        {
            // the writer appends in batches, so a completion stamped on its worker may follow an assignment stamped
            // later: listed in journal order, times stepped back; a stable sort keeps equal times in journal order
            events.sort(java.util.Comparator.comparingLong(JournalEvent::epochNanos));
            printByAgent(out, events, agent);
        }
        out.flush();
        if (damage != null)
        {
            reportDamage(err, damaged);
            return 1;
        }
        if (events.isEmpty())
        {
            err.println("error: " + (taskId != null ? "task " + taskId + " is not in the journal " + journal + whereIds() :
                "no events " + (agent == null ? "" : "of agent '" + agent + "' ") + "in that time range in " + journal +
                    (agent == null ? whenRecords() : "; check the agent id ('ringmaster replay " + journal +
                        "' lists the agents)")));
            err.flush();
            return 1;
        }
        return 0;
    }

    /** @return the journal's decisions re-derived, or null (with a note on stderr) if they cannot be. */
    private DecisionRederivation.Result rederive(final PluginRegistry registry,
                                                 final PrintWriter err)
    {
        try
        {
            return DecisionRederivation.run(journal, taskId, prefetch, registry.classLoader());
        }
        catch (final RuntimeException e)
        {
            err.println("note: the decisions could not be re-derived: " + e.getMessage());
            return null;
        }
    }

    private int adminChanges()
    {
        if (taskId != null || agent != null || explain)
        {
            throw new ParameterException(spec.commandLine(), "--admin lists operators' changes, which belong to no " +
                "task or agent" + (explain ? " and have no routing decision to explain" : "") + ": drop the " +
                (taskId != null ? "TASK_ID" : agent != null ? "--agent" : "--explain"));
        }
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final List<JournalEvent> events = new java.util.ArrayList<>();
        final List<JournalCorruptException> damaged = new java.util.ArrayList<>();
        try (JournalReader reader = JournalReader.open(journal))
        {
            warnMetadata(err, reader);
            Audit.adminChangesNanos(reader, fromNanos == null ? 0 : fromNanos,
                toNanos == null ? Long.MAX_VALUE : toNanos, events, damaged::add);
        }
        events.forEach(e -> out.println(e.describe()));
        out.println(AdminText.count(events.size(), "admin change"));
        out.flush();
        if (!damaged.isEmpty())
        {
            reportDamage(err, damaged);
            return 1;
        }
        return 0;
    }

    /** Names every damaged region: the events shown are those read around them, and those inside them are missing. */
    private static void reportDamage(final PrintWriter err, final List<JournalCorruptException> damaged)
    {
        // the first region's line is the one this command always printed; each further region gets its own
        damaged.forEach(d -> err.println("error: " + d.getMessage()));
        err.println(damaged.size() == 1 ? "(the events above were read around that damaged region; any recorded inside "
            + "it are missing: restore the damaged file from a copy, or move it aside)"
            : "(the events above were read around those " + damaged.size() + " damaged regions; any recorded inside "
                + "them are missing: restore the damaged files from a copy, or move them aside)");
        err.flush();
    }

    /**
     * @return true if the task's last acceptance (or recovery) has no event after it that ends the task (a cancel by
     *     the dispatcher's shutdown ends nothing: recovery finds the task open).
     */
    private static boolean openAtEnd(final List<JournalEvent> events)
    {
        boolean open = false;
        for (final JournalEvent e : events)
        {
            if (e.type() == EventType.ACCEPTED || e.type() == EventType.RECOVERED)
            {
                open = true;
            }
            else if (e.ends())
            {
                open = false;
            }
        }
        return open;
    }

    private static void printByAgent(final PrintWriter out, final List<JournalEvent> events, final String agent)
    {
        final Map<String, Integer> counts = new TreeMap<>();
        int withoutAgent = 0;
        for (final JournalEvent e : events)
        {
            out.println(e.describe());
            if (e.agentId() != null)
            {
                counts.merge(e.agentId(), 1, Integer::sum);
            }
            else
            {
                withoutAgent++;
            }
        }
        out.println();
        out.println(events.size() + " events; by agent:");
        counts.forEach((id, n) -> out.println("  " + id + ": " + n));
        if (agent != null && counts.size() > 1)
        {
            // the other agents listed are the thieves of its tasks: an operator read them as leaked into the filter
            out.println("  (the steals of " + agent + "'s tasks count under the agents that stole them)");
        }
        if (withoutAgent > 0)
        {
            // acceptances still queued, retries, dead letters: left out, the lines above would not add up to the total
            out.println("  (on no agent: accepted and waiting, retried, dead-lettered, expired, cancelled): " +
                withoutAgent);
        }
    }

    /**
     * Parses a task id: ids are never negative, so '-1' is a typo to point out, not a task to look for in vain;
     * stateless.
     */
    static final class TaskId implements CommandLine.ITypeConverter<Long>
    {
        @Override
        public Long convert(final String value)
        {
            return parse(value, "give a whole number such as 42, or a time range with --from instead",
                "give the id a task was accepted under (e.g. from 'ringmaster audit JOURNAL_DIR --from 0')");
        }

        /** Parses a task id, or fails with the problem and the given fixes for a non-number and a negative id. */
        static long parse(final String value, final String numberFix, final String negativeFix)
        {
            final long id;
            try
            {
                id = Long.parseLong(value.replace("_", ""));
            }
            catch (final NumberFormatException e)
            {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a task id; " + numberFix);
            }
            if (id < 0)
            {
                throw new CommandLine.TypeConversionException("task id " + value + " is negative; task ids are 0 or " +
                    "more: " + negativeFix);
            }
            return id;
        }
    }

    /** Parses an ISO-8601 instant or epoch milliseconds into epoch nanoseconds; stateless. */
    static final class TimeConverter implements CommandLine.ITypeConverter<Long>
    {
        @Override
        public Long convert(final String value)
        {
            try
            {
                return nanos(value);
            }
            catch (final ArithmeticException e)
            {
                throw new CommandLine.TypeConversionException("'" + value + "' is out of range: give a time between " +
                    "the years 1678 and 2261");
            }
        }

        private static long nanos(final String value)
        {
            try
            {
                return Math.multiplyExact(Long.parseLong(value), 1_000_000L); // epoch milliseconds
            }
            catch (final NumberFormatException notMillis)
            {
                try
                {
                    final Instant at = Instant.parse(value); // to the nanosecond, as audit prints times
                    return Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000_000L), at.getNano());
                }
                catch (final DateTimeParseException e)
                {
                    throw new CommandLine.TypeConversionException("'" + value +
                        "' is not a time; give an ISO-8601 instant such as 2026-05-01T12:00:00Z or epoch milliseconds");
                }
            }
        }
    }

    /** A missing or damaged metadata file costs no record, but is said once, on stderr, as every journal command does. */
    private static void warnMetadata(final PrintWriter err, final JournalReader reader)
    {
        if (reader.metadataWarning() != null)
        {
            err.println("warning: " + reader.metadataWarning());
            err.flush();
        }
    }
}
