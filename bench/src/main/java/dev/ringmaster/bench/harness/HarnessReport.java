package dev.ringmaster.bench.harness;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The outcome of one harness run: every (system, rate) run, every maximum search, the ratios to Ringmaster and the
 * issue's targets, as data and as text; immutable.
 */
public final class HarnessReport
{
    private final HarnessConfig config;
    private final Map<String, String> threads;
    private final List<RunResult> runs;
    private final List<MaxResult> max;

    HarnessReport(final HarnessConfig config, final Map<String, String> threads, final List<RunResult> runs,
                  final List<MaxResult> max)
    {
        this.config = config;
        this.threads = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(threads)); // report order
        this.runs = List.copyOf(runs);
        this.max = List.copyOf(max);
    }

    /** One of the goals, evaluated on this run; reported, never asserted. */
    public record Target(String name, String at, double ratio, double goal, boolean atLeast)
    {
        /** @return whether the ratio meets the goal (false if a system was missing or NaN). */
        public boolean met()
        {
            return !Double.isNaN(ratio) && (atLeast ? ratio >= goal : ratio <= goal);
        }
    }

    public HarnessConfig config()
    {
        return config;
    }

    /** @return per system, which threads it runs. */
    public Map<String, String> threads()
    {
        return threads;
    }

    public List<RunResult> runs()
    {
        return runs;
    }

    public List<MaxResult> max()
    {
        return max;
    }

    /** @return the system every ratio is taken against: ringmaster if it ran, else the first system. */
    public String reference()
    {
        if (runs.stream().anyMatch(r -> r.system().equals(Systems.RINGMASTER)) ||
            max.stream().anyMatch(m -> m.system().equals(Systems.RINGMASTER)))
        {
            return Systems.RINGMASTER;
        }
        return runs.isEmpty() ? "" : runs.get(0).system();
    }

    /** @return the run of {@code system} at {@code rate}. */
    public Optional<RunResult> run(final String system, final double rate)
    {
        return runs.stream().filter(r -> r.system().equals(system) && r.rate() == rate).findFirst();
    }

    /** @return the search result of {@code system}. */
    public Optional<MaxResult> maxOf(final String system)
    {
        return max.stream().filter(m -> m.system().equals(system)).findFirst();
    }

    /** @return {@code value(system) / value(reference)} at the same rate, NaN if either is missing. */
    public double ratio(final RunResult r, final java.util.function.ToDoubleFunction<RunResult> value)
    {
        return run(reference(), r.rate()).map(ref -> value.applyAsDouble(r) / value.applyAsDouble(ref))
            .orElse(Double.NaN);
    }

    /**
     * @return the dispatch core issue's targets, as far as the systems ran: at the steady rates (below 1M tasks/s)
     *     p50 within 3x of the bare Disruptor hop and p99 below ForkJoinPool's, the Pekko router's and half of
     *     ThreadPoolExecutor's; at 1M tasks/s and above, 99% achieved and p99 a fifth of ThreadPoolExecutor's; a
     *     maximum rate twice ThreadPoolExecutor's and above Pekko's.
     */
    public List<Target> targets()
    {
        final List<Target> t = new ArrayList<>();
        for (final double rate : config.rates())
        {
            final String at = rateLabel(rate) + "/s";
            if (rate < 1_000_000)
            {
                t.add(new Target("p50 ringmaster / disruptor", at,
                    ratioOf(Systems.RINGMASTER, Systems.DISRUPTOR, rate, 50), 3, false));
                t.add(new Target("p99 fork-join / ringmaster", at,
                    ratioOf(Systems.FORK_JOIN, Systems.RINGMASTER, rate, 99), 1, true));
                t.add(new Target("p99 thread-pool / ringmaster", at,
                    ratioOf(Systems.THREAD_POOL, Systems.RINGMASTER, rate, 99), 2, true));
                t.add(new Target("p99 pekko / ringmaster", at,
                    ratioOf(Systems.PEKKO, Systems.RINGMASTER, rate, 99), 1, true));
            }
            else
            {
                t.add(new Target("achieved / offered, ringmaster", at,
                    run(Systems.RINGMASTER, rate).map(r -> r.achieved() / rate).orElse(Double.NaN), 0.99, true));
                t.add(new Target("p99 thread-pool / ringmaster", at,
                    ratioOf(Systems.THREAD_POOL, Systems.RINGMASTER, rate, 99), 5, true));
            }
        }
        final double rm = maxOf(Systems.RINGMASTER).map(MaxResult::maxRate).orElse(Double.NaN);
        t.add(new Target("max rate ringmaster / thread-pool", "max",
            rm / maxOf(Systems.THREAD_POOL).map(MaxResult::maxRate).orElse(Double.NaN), 2, true));
        t.add(new Target("max rate ringmaster / pekko", "max",
            rm / maxOf(Systems.PEKKO).map(MaxResult::maxRate).orElse(Double.NaN), 1, true));
        return t;
    }

    private double ratioOf(final String a, final String b, final double rate, final double percentile)
    {
        final Optional<RunResult> ra = run(a, rate);
        final Optional<RunResult> rb = run(b, rate);
        return ra.isPresent() && rb.isPresent() ? ra.get().micros(percentile) / rb.get().micros(percentile) :
            Double.NaN;
    }

    /** @return the whole report as text tables. */
    public String text()
    {
        final StringBuilder s = new StringBuilder();
        final Locale l = Locale.ROOT;
        s.append(String.format(l, "Open-loop latency, measured from each task's intended send time (coordinated " +
            "omission corrected).%n%d producer thread(s), %d worker thread(s); per run %s warm-up + %s measured; " +
            "no-op tasks.%n", config.producers(), config.workers(), seconds(config.warmupNanos()),
            seconds(config.durationNanos())));
        s.append("threads:\n");
        for (final String name : systemsInOrder())
        {
            s.append(String.format(l, "  %-22s %s%n", name, threads.getOrDefault(name, "")));
        }
        final String ref = reference();
        for (final double rate : config.rates())
        {
            final int windows = runs.stream().filter(r -> r.rate() == rate).mapToInt(r -> r.windows().size())
                .max().orElse(0);
            s.append(String.format(l, "%noffered %s tasks/s (ratios: system / %s)%s%n", rateLabel(rate), ref,
                windows > 1 ? "; p50, p99, p99.9 and achieved are medians of " + windows + " windows, max the " +
                    "largest" : ""));
            s.append(String.format(l, "%-22s %19s %19s %19s %19s %21s%n", "system", "p50 us", "p99 us", "p99.9 us",
                "max us", "achieved/s"));
            for (final RunResult r : runs)
            {
                if (r.rate() != rate)
                {
                    continue;
                }
                s.append(String.format(l, "%-22s %s %s %s %s %s%s%n", r.system(),
                    cell(r.micros(50), ratio(r, x -> x.micros(50))), cell(r.micros(99), ratio(r, x -> x.micros(99))),
                    cell(r.micros(99.9), ratio(r, x -> x.micros(99.9))), cell(r.maxMicros(), ratio(r, RunResult::maxMicros)),
                    cell(r.achieved(), 21, ratio(r, RunResult::achieved)),
                    r.clean() ? "" : "  ! " + (r.failure() != null ? r.failure() : r.unfinished() + " unfinished")));
            }
            for (final RunResult r : runs)
            {
                if (r.rate() == rate && !r.windows().isEmpty())
                {
                    s.append(String.format(l, "  %-20s p99 per window (us): %s%n", r.system(), windowFigures(r)));
                }
            }
        }
        if (!max.isEmpty())
        {
            final List<MaxResult.Trial> firstTrials = max.get(0).trials();
            final int runsPerRate = firstTrials.isEmpty() ? 1 : firstTrials.get(0).runs();
            final String runsNote = runsPerRate == 1 ? "" : ", each rate run " + runsPerRate + " times: sustained if " +
                "most runs were, (k/n) runs sustained, achieved and p99 their medians";
            s.append(String.format(l, "%nmaximum sustained rate (every task completes, >= 95%% of the offered rate " +
                "achieved, corrected p99 <= %s; trials of %s%s)%n", micros(config.maxP99Nanos()),
                seconds(config.maxTrialNanos()), runsNote));
            s.append(String.format(l, "%-22s %21s %14s %12s   %s%n", "system", "max offered/s", "achieved/s",
                "p99 us", "trials (offered: sustained?)"));
            final double refMax = maxOf(ref).map(MaxResult::maxRate).orElse(Double.NaN);
            for (final MaxResult m : max)
            {
                final StringBuilder tr = new StringBuilder();
                for (final MaxResult.Trial t : m.trials())
                {
                    tr.append(rateLabel(t.rate())).append(t.sustained() ? "+" : "-");
                    if (t.runs() > 1)
                    {
                        tr.append('(').append(t.sustainedRuns()).append('/').append(t.runs()).append(')');
                    }
                    tr.append(' ');
                }
                s.append(String.format(l, "%-22s %s %14.0f %12.1f   %s%n", m.system(),
                    cell(m.maxRate(), 21, m.maxRate() / refMax), m.achieved(), m.p99Micros(), tr.toString().trim()));
            }
        }
        s.append(String.format(l, "%ntargets (ratios from this run; reported, not asserted)%n"));
        for (final Target t : targets())
        {
            s.append(String.format(l, "  %-36s %-8s %8s   goal %s %sx   %s%n", t.name(), t.at(),
                Double.isNaN(t.ratio()) ? "n/a" : String.format(l, "%.2fx", t.ratio()), t.atLeast() ? ">=" : "<=",
                BigDecimal.valueOf(t.goal()).stripTrailingZeros().toPlainString(),
                Double.isNaN(t.ratio()) ? "not run" : t.met() ? "met" : "MISSED"));
        }
        return s.toString();
    }

    private List<String> systemsInOrder()
    {
        final List<String> names = new ArrayList<>();
        for (final RunResult r : runs)
        {
            if (!names.contains(r.system()))
            {
                names.add(r.system());
            }
        }
        for (final MaxResult m : max)
        {
            if (!names.contains(m.system()))
            {
                names.add(m.system());
            }
        }
        return names;
    }

    private static String cell(final double value, final double ratio)
    {
        return cell(value, 19, ratio);
    }

    private static String cell(final double value, final int width, final double ratio)
    {
        final String v = Double.isNaN(value) ? "-" : value >= 10_000 ? String.format(Locale.ROOT, "%.0f", value) :
            String.format(Locale.ROOT, "%.1f", value);
        final String r = Double.isNaN(ratio) || Double.isInfinite(ratio) ? "" :
            String.format(Locale.ROOT, " (%.2fx)", ratio);
        return String.format(Locale.ROOT, "%" + width + "s", v + r);
    }

    /** @return a compact rate: 2k, 50k, 1M, 1.41M. */
    public static String rateLabel(final double rate)
    {
        if (rate >= 1e6)
        {
            return trim(String.format(Locale.ROOT, "%.2f", rate / 1e6)) + "M";
        }
        if (rate >= 1e3)
        {
            return trim(String.format(Locale.ROOT, "%.1f", rate / 1e3)) + "k";
        }
        return trim(String.format(Locale.ROOT, "%.1f", rate));
    }

    private static String trim(final String s)
    {
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    private static String seconds(final long nanos)
    {
        return trim(String.format(Locale.ROOT, "%.3f", nanos / 1e9)) + " s";
    }

    /** @return the p99 of each window of {@code r}, in the order they ran. */
    private static String windowFigures(final RunResult r)
    {
        final StringBuilder b = new StringBuilder();
        for (final double v : r.perWindow(w -> w.micros(99)))
        {
            b.append(b.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.1f", v));
        }
        return b.toString();
    }

    private static String micros(final long nanos)
    {
        return nanos >= 1_000_000 ? trim(String.format(Locale.ROOT, "%.1f", nanos / 1e6)) + " ms" :
            trim(String.format(Locale.ROOT, "%.1f", nanos / 1e3)) + " us";
    }
}
