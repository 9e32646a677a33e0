package dev.ringmaster.bench.sim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders {@link QualityRow}s as the plain-text scheduling-quality table and the notes on strategies that misbehaved;
 * stateless and thread-safe. Numbers are formatted with {@link Locale#ROOT}, so the same rows give the same bytes
 * on every machine.
 */
public final class QualityTable
{
    private static final String ROW = "%-12s %4s  %-23s %9s %9s %8s %6s %8s %9s  %s%n";

    private QualityTable()
    {
    }

    /**
     * @return the table: one line per row, times in seconds of virtual time; the last column says what a reference
     *     row is (heuristic, lower bound, theory) and is empty for strategies.
     */
    public static String table(final List<QualityRow> rows)
    {
        final StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, ROW, "scenario", "load", "strategy", "mean s", "p99 s", "mksp/LB",
            "gini", "gini/spd", "ctx-waste", "reference"));
        String group = null;
        for (final QualityRow r : rows)
        {
            final String key = r.scenario() + '@' + r.load();
            if (group != null && !group.equals(key))
            {
                out.append('\n');
            }
            group = key;
            out.append(String.format(Locale.ROOT, ROW, r.scenario(), percent(r.load()),
                r.completed() < r.tasks() ? r.strategy() + "!" : r.strategy(),
                seconds(r.meanSojournNanos()), r.p99SojournNanos() < 0 ? "-" : seconds(r.p99SojournNanos()),
                String.format(Locale.ROOT, "%.3f", r.makespanRatio()),
                fraction(r.gini()), fraction(r.giniBusyTime()), fraction(r.contextWaste()),
                QualityRow.STRATEGY.equals(r.kind()) ? note(r) : r.kind())
                .stripTrailing()).append('\n');
        }
        return out.toString();
    }

    /**
     * @return the last column of a strategy's row: whether its figures are partly the fallback's (the simulator places
     *     a task whose decision failed on the candidate with the fewest tasks in flight, so a strategy that fails every decision reads as that
     *     rule, not as itself), or that the run started stationary; empty otherwise.
     */
    private static String note(final QualityRow r)
    {
        if (r.errors() > 0)
        {
            final long percent = Math.round(100.0 * r.errors() / Math.max(1, r.decisions()));
            return "fallback's: " + (percent == 0 ? "<1" : Long.toString(percent)) + "% of decisions failed";
        }
        return r.initialTasks() > 0 ? "stationary start" : "";
    }

    /**
     * @return one line per strategy that threw, returned a bad index, declined or left tasks unplaced, summed over
     *     its rows; a single line saying so when none did. Deterministic, like the table.
     */
    public static String health(final List<QualityRow> rows)
    {
        final Map<String, long[]> byStrategy = new LinkedHashMap<>();
        final Map<String, String> firstErrors = new LinkedHashMap<>();
        for (final QualityRow r : rows)
        {
            final long[] sums = byStrategy.computeIfAbsent(r.strategy(), k -> new long[4]);
            sums[0] += r.errors();
            sums[1] += r.declines();
            sums[2] += r.tasks() - r.completed();
            sums[3] += r.decisions();
            if (r.firstError() != null)
            {
                firstErrors.putIfAbsent(r.strategy(), r.scenario() + " at " + percent(r.load()) + ": " + r.firstError());
            }
        }
        final StringBuilder out = new StringBuilder();
        for (final Map.Entry<String, long[]> e : byStrategy.entrySet())
        {
            final long[] s = e.getValue();
            if (s[0] == 0 && s[1] == 0 && s[2] == 0)
            {
                continue;
            }
            out.append(String.format(Locale.ROOT, "%-23s %d error(s), %d decline(s) in %d decisions, %d task(s) never finished",
                e.getKey(), s[0], s[1], s[3], s[2]));
            if (firstErrors.containsKey(e.getKey()))
            {
                out.append("; first error: ").append(firstErrors.get(e.getKey()));
            }
            out.append('\n');
        }
        if (out.length() == 0)
        {
            out.append("every strategy placed every task: no errors, no declines\n");
        }
        return out.toString();
    }

    /** @return per strategy, the largest steady-state bytes per decision over its rows; empty if not measured. */
    public static String allocation(final List<QualityRow> rows)
    {
        final Map<String, Double> worst = new LinkedHashMap<>();
        for (final QualityRow r : rows)
        {
            if (!Double.isNaN(r.allocatedBytesPerDecision()))
            {
                worst.merge(r.strategy(), r.allocatedBytesPerDecision(), Math::max);
            }
        }
        final StringBuilder out = new StringBuilder();
        for (final Map.Entry<String, Double> e : worst.entrySet())
        {
            out.append(String.format(Locale.ROOT, "%-23s %8.2f B/decision%n", e.getKey(), e.getValue()));
        }
        return out.toString();
    }

    static String percent(final double load)
    {
        return Math.round(load * 100) + "%";
    }

    private static String fraction(final double value)
    {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.3f", value);
    }

    private static String seconds(final double nanos)
    {
        return Double.isNaN(nanos) ? "-" : String.format(Locale.ROOT, "%.3f", nanos / 1e9);
    }
}
