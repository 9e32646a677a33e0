package dev.ringmaster.bench.harness;

import org.HdrHistogram.Histogram;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs the suite: every system at every rate, one after the other on a quiet JVM (a GC between runs), then each
 * system's maximum-rate search. Confined to the calling thread, which starts and joins the producer threads.
 *
 * <p>One run: build and start the system, start the producers ({@link LoadGenerator}), let them send every task due
 * in warm-up + window, wait until every slot is free, stop the system. If the system has not finished by the hard
 * limit (the window again, twice, plus 5 s), the producers are stopped, the system is shut down, and every measured
 * task that did not complete, sent or not, is recorded at its latency so far: a lower bound, never a silent gap.
 */
public final class Harness
{
    private static final double SUSTAINED_FRACTION = 0.95;
    private static final double MAX_RATE_CAP = 64_000_000;

    private final HarnessConfig config;
    private final Map<String, Supplier<SystemUnderTest>> systems;
    private final Consumer<String> progress;

    /** A harness over the named systems of {@link Systems}. */
    public Harness(final HarnessConfig config, final Consumer<String> progress)
    {
        this(config, named(config.systems()), progress);
    }

    /** A harness over the given systems (tests inject fakes), in map order. */
    public Harness(final HarnessConfig config, final Map<String, Supplier<SystemUnderTest>> systems,
                   final Consumer<String> progress)
    {
        this.config = config;
        this.systems = new LinkedHashMap<>(systems);
        this.progress = progress;
    }

    private static Map<String, Supplier<SystemUnderTest>> named(final List<String> names)
    {
        final Map<String, Supplier<SystemUnderTest>> m = new LinkedHashMap<>();
        for (final String n : names)
        {
            m.put(n, Systems.byName(n));
        }
        return m;
    }

    /** @return every run and search, with the threads each system ran. */
    public HarnessReport run()
    {
        return run(1);
    }

    /**
     * @param windows measured windows per system and rate, at least 1. Several run in rounds, each round every system
     *     once, and each round starting one system later than the last, so that no system always follows the same
     *     one; each figure reported is then the median of the windows' (see {@link RunResult}).
     * @return every run and search, with the threads each system ran.
     */
    public HarnessReport run(final int windows)
    {
        if (windows < 1)
        {
            throw new IllegalArgumentException("windows must be at least 1, got " + windows);
        }
        final List<RunResult> runs = new ArrayList<>();
        final List<Map.Entry<String, Supplier<SystemUnderTest>>> order = new ArrayList<>(systems.entrySet());
        for (final double rate : config.rates())
        {
            final Map<String, List<RunResult>> measured = new LinkedHashMap<>();
            order.forEach(e -> measured.put(e.getKey(), new ArrayList<>()));
            for (int round = 0; round < windows; round++)
            {
                for (int i = 0; i < order.size(); i++)
                {
                    final Map.Entry<String, Supplier<SystemUnderTest>> e = order.get((i + round) % order.size());
                    progress.accept(String.format(java.util.Locale.ROOT, "%s at %s tasks/s%s ...", e.getKey(),
                        HarnessReport.rateLabel(rate), windows == 1 ? "" : " (window " + (round + 1) + " of " +
                        windows + ")"));
                    measured.get(e.getKey()).add(runOnce(e.getKey(), e.getValue(), rate, config.warmupNanos(),
                        config.durationNanos()));
                }
            }
            measured.values().forEach(w -> runs.add(RunResult.ofWindows(w)));
        }
        final List<MaxResult> max = new ArrayList<>();
        if (config.maxSearch())
        {
            for (final Map.Entry<String, Supplier<SystemUnderTest>> e : systems.entrySet())
            {
                progress.accept("searching the maximum rate of " + e.getKey() + " ...");
                max.add(searchMax(e.getKey(), e.getValue(), windows));
            }
        }
        final Map<String, String> threads = new LinkedHashMap<>();
        for (final Map.Entry<String, Supplier<SystemUnderTest>> e : systems.entrySet())
        {
            threads.put(e.getKey(), e.getValue().get().threads(config.workers()));
        }
        return new HarnessReport(config, threads, runs, max);
    }

    /** @return one system at one rate. */
    public RunResult runOnce(final String name, final Supplier<SystemUnderTest> factory, final double rate,
                             final long warmupNanos, final long durationNanos)
    {
        quiesce();
        final int producers = config.producers();
        final int perProducer = config.slotsPerProducer();
        final LatencySlots slots = new LatencySlots(perProducer * producers);
        final SystemUnderTest system = factory.get();
        final long[] gcBefore = gcPauses();
        system.start(slots, config.workers());

        final long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        final long from = start + warmupNanos;
        final long end = from + durationNanos;
        slots.measureWindow(from, end);
        final LoadGenerator[] generators = new LoadGenerator[producers];
        final Thread[] threads = new Thread[producers];
        for (int p = 0; p < producers; p++)
        {
            generators[p] = new LoadGenerator(system, slots, p, producers, p * perProducer, perProducer, start, end,
                rate);
            threads[p] = new Thread(generators[p], "bench-producer-" + p);
            threads[p].setDaemon(true);
        }
        for (final Thread t : threads)
        {
            t.start();
        }

        final long deadline = end + 2 * (durationNanos + warmupNanos) + TimeUnit.SECONDS.toNanos(5);
        boolean finished = joinAll(threads, deadline);
        if (finished)
        {
            while (!slots.allFree() && System.nanoTime() - deadline < 0)
            {
                LockSupport.parkNanos(1_000_000);
            }
            finished = slots.allFree();
        }
        long unfinished = 0;
        final long[] gcAfter = gcPauses();
        if (gcAfter[0] > gcBefore[0])
        {
            // a pause stops the producer and the system alike, so its length shows up in the run's tail
            progress.accept(String.format(java.util.Locale.ROOT, "  %s: %d GC pause(s), %d ms in all, during the run " +
                "(warm-up included)", name, gcAfter[0] - gcBefore[0], gcAfter[1] - gcBefore[1]));
        }
        final String diagnostics = system.diagnostics();
        if (!diagnostics.isEmpty())
        {
            progress.accept("  " + name + ": " + diagnostics);
        }
        if (finished)
        {
            system.stop(false);
        }
        else
        {
            for (final LoadGenerator g : generators)
            {
                g.stop();
            }
            joinAll(threads, System.nanoTime() + TimeUnit.SECONDS.toNanos(30));
            system.stop(true);
            final long now = System.nanoTime();
            unfinished += slots.recordUnfinished(now);
            for (final LoadGenerator g : generators)
            {
                // due but never sent: as late as they are now, at least
                for (long i = g.sent(); ; i++)
                {
                    final long intended = g.intendedNanos(i);
                    if (intended - end >= 0)
                    {
                        break;
                    }
                    if (intended - from >= 0)
                    {
                        slots.recordLowerBound(now - intended);
                        unfinished++;
                    }
                }
            }
        }
        String failure = null;
        for (final LoadGenerator g : generators)
        {
            if (g.failure() != null)
            {
                failure = g.failure();
            }
        }
        final Histogram corrected = slots.corrected();
        final Histogram naive = slots.naive();
        final long completed = naive.getTotalCount();
        final double seconds = (slots.lastCompletionNanos() - from) / 1e9;
        final double achieved = completed == 0 || seconds <= 0 ? 0 : completed / seconds;
        return new RunResult(name, rate, corrected, naive, completed, unfinished, achieved, failure);
    }

    /**
     * Doubles the rate from {@link HarnessConfig#maxStartRate} until a trial is not sustained, then bisects
     * (geometrically) between the last sustained and the first unsustained rate; halves instead if the first fails.
     *
     * @param runsPerTrial runs per offered rate: a rate is sustained when most of its runs are, and its achieved rate
     *     and p99 are their medians. Why: on a shared machine one stall fails a 1 s run, so with one run per rate the
     *     search stopped at the first unlucky rate, for every system alike.
     */
    MaxResult searchMax(final String name, final Supplier<SystemUnderTest> factory, final int runsPerTrial)
    {
        final List<MaxResult.Trial> trials = new ArrayList<>();
        final int bisections = config.shortSearch() ? 1 : 3;
        final int maxDoublings = config.shortSearch() ? 2 : 12;
        double good = 0;
        double bad = 0;
        MaxResult.Trial best = null;
        double rate = config.maxStartRate();
        for (int d = 0; d <= maxDoublings && rate <= MAX_RATE_CAP; d++)
        {
            final MaxResult.Trial t = trial(name, factory, rate, runsPerTrial);
            trials.add(t);
            if (t.sustained())
            {
                good = rate;
                best = t;
                if (bad > 0)
                {
                    break;
                }
                rate *= 2;
            }
            else
            {
                bad = rate;
                if (good > 0)
                {
                    break;
                }
                rate /= 2;
                if (rate < 1_000)
                {
                    break;
                }
            }
        }
        for (int b = 0; b < bisections && good > 0 && bad > 0; b++)
        {
            final double mid = Math.rint(Math.sqrt(good * bad) / 1000) * 1000;
            if (mid <= good || mid >= bad)
            {
                break;
            }
            final MaxResult.Trial t = trial(name, factory, mid, runsPerTrial);
            trials.add(t);
            if (t.sustained())
            {
                good = mid;
                best = t;
            }
            else
            {
                bad = mid;
            }
        }
        return best == null ? new MaxResult(name, 0, 0, Double.NaN, trials) :
            new MaxResult(name, best.rate(), best.achieved(), best.p99Micros(), trials);
    }

    private MaxResult.Trial trial(final String name, final Supplier<SystemUnderTest> factory, final double rate,
                                  final int runs)
    {
        final double[] achieved = new double[runs];
        final double[] p99 = new double[runs];
        int sustainedRuns = 0;
        for (int i = 0; i < runs; i++)
        {
            final RunResult r = runOnce(name, factory, rate, config.maxTrialNanos() / 2, config.maxTrialNanos());
            final boolean sustained = r.clean() && r.achieved() >= SUSTAINED_FRACTION * rate &&
                r.corrected().getValueAtPercentile(99) <= config.maxP99Nanos();
            sustainedRuns += sustained ? 1 : 0;
            achieved[i] = r.achieved();
            p99[i] = r.micros(99);
            progress.accept(String.format(java.util.Locale.ROOT, "  %s at %s/s%s: %s (achieved %.0f/s, p99 %.1f us)",
                name, HarnessReport.rateLabel(rate), runs == 1 ? "" : " (run " + (i + 1) + " of " + runs + ")",
                sustained ? "sustained" : "not sustained", r.achieved(), r.micros(99)));
        }
        return new MaxResult.Trial(rate, 2 * sustainedRuns > runs, median(achieved), median(p99), sustainedRuns, runs);
    }

    private static double median(final double[] values)
    {
        final double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        final int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static boolean joinAll(final Thread[] threads, final long deadlineNanos)
    {
        for (final Thread t : threads)
        {
            final long left = deadlineNanos - System.nanoTime();
            if (left > 0)
            {
                try
                {
                    t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                }
                catch (final InterruptedException e)
                {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            if (t.isAlive())
            {
                return false;
            }
        }
        return true;
    }

    /** @return collections so far and their total time in ms, over every collector of the JVM. */
    private static long[] gcPauses()
    {
        long count = 0;
        long millis = 0;
        for (final GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans())
        {
            count += Math.max(0, gc.getCollectionCount());
            millis += Math.max(0, gc.getCollectionTime());
        }
        return new long[] {count, millis};
    }

    /** A full GC and a short pause, so that one run's garbage and threads do not bleed into the next. */
    private static void quiesce()
    {
        System.gc();
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
    }
}
