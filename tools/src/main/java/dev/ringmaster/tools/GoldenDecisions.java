package dev.ringmaster.tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A golden decisions file: which agent a strategy chose for every task of a journal replayed in the simulator, one
 * {@code TASK_ID AGENT} line per task in task id order after a comment header, so that a changed decision shows as a
 * one-line diff. Reading and comparing are stateless; writing is the caller's single act.
 */
final class GoldenDecisions
{
    /** What a comparison found. */
    record Comparison(int tasks, List<String> differences, int differing, int missing)
    {
        boolean matches()
        {
            return differing == 0 && missing == 0;
        }
    }

    /** The differences a report shows; the count says how many there are in all. */
    private static final int SHOWN = 5;

    private GoldenDecisions()
    {
    }

    /** @return the default golden file of a strategy, beside the journal's cycle files (Chronicle ignores it). */
    static Path defaultFile(final Path journal, final String strategy)
    {
        return journal.resolve("ringmaster-decisions-" + strategy + ".txt");
    }

    static void write(final Path file, final String strategy, final Map<Long, String> decisions)
    {
        write(file, strategy, null, decisions);
    }

    /**
     * @param pluginsDir the directory of the jar the strategy came from, or null if it is on the classpath: the
     *                   regenerate command in the header needs it, else it fails with "unknown strategy".
     */
    static void write(final Path file, final String strategy, final Path pluginsDir, final Map<Long, String> decisions)
    {
        final List<String> lines = new ArrayList<>(decisions.size() + 2);
        lines.add("# decisions of strategy " + strategy + " over a replayed journal, one 'TASK_ID AGENT' line per task;");
        lines.add("# regenerate on purpose only: ringmaster replay JOURNAL_DIR --verify-decisions --strategy " + strategy +
            (pluginsDir == null ? "" : " --plugins " + pluginsDir) + " --write-golden");
        decisions.forEach((task, agent) -> lines.add(task + " " + agent));
        try
        {
            if (file.getParent() != null)
            {
                Files.createDirectories(file.getParent());
            }
            Files.write(file, lines, StandardCharsets.UTF_8);
        }
        catch (final IOException e)
        {
            // the exception's message alone is a bare path: its class says what went wrong
            throw new UncheckedIOException("cannot write the golden file " + file + " (" + e + ")" +
                "; give a writable path with --golden FILE", e);
        }
    }

    /**
     * @throws IllegalStateException if the file is missing or malformed, saying how to write it.
     */
    static Comparison compare(final Path file, final String strategy, final Map<Long, String> decisions)
    {
        if (Files.isDirectory(file))
        {
            throw new IllegalStateException("--golden " + file + " is a directory; give the golden decisions file " +
                "itself (written with --write-golden), e.g. --golden " + defaultFile(file, strategy));
        }
        if (!Files.isRegularFile(file))
        {
            throw new IllegalStateException("no golden decisions file at " + file + " for strategy " + strategy +
                "; give the file with --golden FILE, or write one first with --write-golden (and keep it under version " +
                "control)");
        }
        final List<String> lines;
        try
        {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot read the golden file " + file + ": " + e.getMessage(), e);
        }
        final String header = lines.isEmpty() ? "" : lines.get(0);
        final String prefix = "# decisions of strategy ";
        if (header.startsWith(prefix))
        {
            final String of = header.substring(prefix.length()).split(" ", 2)[0];
            if (!of.equals(strategy))
            {
                // compared anyway, nearly every decision differs, and the advice to regenerate would overwrite it
                throw new IllegalStateException("the golden file " + file + " holds the decisions of strategy " + of +
                    ", not of " + strategy + "; give --strategy " + of + ", or the golden file of " + strategy +
                    " (written with --write-golden)");
            }
        }
        final java.util.Map<Long, String> golden = new java.util.TreeMap<>();
        for (final String line : lines)
        {
            if (line.isBlank() || line.startsWith("#"))
            {
                continue;
            }
            final String[] parts = line.trim().split(" ");
            try
            {
                golden.put(Long.parseLong(parts[0]), parts.length > 1 ? parts[1] : "");
            }
            catch (final NumberFormatException e)
            {
                throw new IllegalStateException("the golden file " + file + " has a malformed line '" + line +
                    "' (expected 'TASK_ID AGENT'); regenerate it with --write-golden");
            }
        }
        final List<String> shown = new ArrayList<>();
        int differing = 0;
        for (final Map.Entry<Long, String> e : decisions.entrySet())
        {
            final String expected = golden.get(e.getKey());
            if (!e.getValue().equals(expected))
            {
                if (differing++ < SHOWN)
                {
                    shown.add("task " + e.getKey() + " went to " + e.getValue() + ", the golden file says " +
                        (expected == null ? "nothing (the task is not in it)" : expected));
                }
            }
        }
        // counted apart: they are no decision of the tasks checked, and counted with them the count of tasks decided
        // differently could exceed the tasks checked
        int missing = 0;
        for (final Long task : golden.keySet())
        {
            if (!decisions.containsKey(task) && missing++ + differing < SHOWN)
            {
                shown.add("task " + task + " is in the golden file but not in the journal's completed tasks");
            }
        }
        return new Comparison(decisions.size(), List.copyOf(shown), differing, missing);
    }
}
