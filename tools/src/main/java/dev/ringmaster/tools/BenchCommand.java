package dev.ringmaster.tools;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.ringmaster.bench.harness.Harness;
import dev.ringmaster.bench.harness.HarnessConfig;
import dev.ringmaster.bench.harness.HarnessReport;
import dev.ringmaster.bench.harness.HgrmFiles;
import dev.ringmaster.bench.harness.MaxResult;
import dev.ringmaster.bench.harness.PercentilePlot;
import dev.ringmaster.bench.harness.RunResult;
import dev.ringmaster.bench.harness.Systems;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;

/**
 * {@code ringmaster bench}: the end-to-end latency harness, Ringmaster side by side with ThreadPoolExecutor,
 * ForkJoinPool, a bare Disruptor hop and a Pekko smallest-mailbox router under the same open-loop load; picocli
 * creates one instance per execution and calls it on the executing thread, which drives the harness (the harness
 * starts its own producer threads).
 */
@Command(name = "bench",
    mixinStandardHelpOptions = true,
    versionProvider = RingmasterCli.Version.class,
    sortOptions = false,
    description = {
        "Offer the same no-op tasks at fixed rates to Ringmaster (journal off and on), ThreadPoolExecutor, "
            + "ForkJoinPool, a bare Disruptor hop and a Pekko router (classic SmallestMailboxPool), with the same "
            + "producer and worker threads, one system after the other; record latency from each task's intended "
            + "send time (coordinated omission corrected) in HdrHistogram; then search each system's maximum "
            + "sustained rate.",
        "",
        "Prints p50/p99/p99.9/max and achieved throughput with each figure's ratio to Ringmaster, and the issue's "
            + "targets as ratios (reported, never asserted). Writes SYSTEM-RATE.hgrm (HdrHistogram percentile "
            + "format, microseconds), SYSTEM-RATE.hlog and percentiles-RATE.png into --out.",
        ""},
    footer = {"", "Exit code: 0 if every run completed, 1 if a system refused a task, 2 for bad options.",
        "Example: ringmaster bench --rates 50k,200k --duration 3s --systems ringmaster,thread-pool --no-max"})
public final class BenchCommand implements Callable<Integer>
{
    private static final JsonFactory JSON = JsonFactory.builder().build();

    @Spec
    CommandSpec spec;

    @Option(names = "--quick", description = "CI mode: 2k and 10k tasks/s, 0.2 s warm-up + 0.5 s per run, a short max "
        + "search; finishes well within a minute and checks only that the harness works, never a speed.")
    boolean quick;

    @Option(names = "--rates", paramLabel = "R,R,...", split = ",", converter = Rate.class,
        description = "Offered rates in tasks/s, e.g. 50k,200k,1M (default: 50k,200k,1M; --quick: 2k,10k).")
    List<Double> rates;

    @Option(names = "--duration", paramLabel = "TIME", converter = Time.class,
        description = "Measured window of each run, e.g. 5s or 500ms (default: 5s; --quick: 500ms).")
    Long durationNanos;

    @Option(names = "--warmup", paramLabel = "TIME", converter = Time.class,
        description = "Unrecorded warm-up before each window, at the same rate (default: 3s; --quick: 200ms).")
    Long warmupNanos;

    @Option(names = "--systems", paramLabel = "A,B,...", split = ",", completionCandidates = SystemNames.class,
        description = "Systems to run, in order, from: ${COMPLETION-CANDIDATES} (default: all but ringmaster-remote and "
            + "ringmaster-journal-ack, which run only when named).")
    List<String> systems;

    @Option(names = "--producers", paramLabel = "N", converter = DemoCommand.PositiveCount.class,
        description = "Producer threads, the load split evenly (default: 1).")
    Integer producers;

    @Option(names = "--workers", paramLabel = "N", converter = DemoCommand.PositiveCount.class,
        description = "Worker threads of every system; the Disruptor floor always has one consumer (default: 2).")
    Integer workers;

    @Option(names = "--repeat", paramLabel = "N", defaultValue = "1", converter = DemoCommand.PositiveCount.class,
        description = "Measured windows per system and rate, run in interleaved rounds (each round every system once, "
            + "starting one system later each round); p50, p99, p99.9 and achieved are then the medians of the "
            + "windows' figures, max the largest, and the files pool every window. For ratios that hold on a shared "
            + "machine, e.g. --repeat 3. The maximum-rate search then runs each offered rate N times: sustained if "
            + "most runs were (default: ${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = "--no-max", description = "Skip the search for each system's maximum sustained rate.")
    boolean noMax;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "bench-results",
        description = "Directory for the .hgrm/.hlog files and the PNG plots (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--json", description = "Print the summary as one JSON object on stdout instead of the tables.")
    boolean json;

    @Override
    public Integer call() throws IOException
    {
        if (systems != null)
        {
            for (final String s : systems)
            {
                if (!Systems.names().contains(s))
                {
                    throw new ParameterException(spec.commandLine(), "unknown system '" + s + "' for --systems; " +
                        "choose from " + String.join(", ", Systems.names()));
                }
            }
            // as simulate --strategies: a system named twice would run twice and print two rows of the same name
            if (new java.util.HashSet<>(systems).size() < systems.size())
            {
                throw new ParameterException(spec.commandLine(), "--systems names a system twice (" +
                    String.join(",", systems) + "); name each once, and use --repeat N for more windows of one");
            }
        }
        requireWritableOut();
        final HarnessConfig base = quick ? HarnessConfig.quick() : HarnessConfig.defaults();
        final HarnessConfig config = base.with(rates, warmupNanos, durationNanos, producers, workers, systems,
            noMax ? Boolean.FALSE : null);
        final PrintWriter err = spec.commandLine().getErr();
        final long t0 = System.nanoTime();
        final List<String> details = new ArrayList<>();
        final HarnessReport report;
        try (TerminalProgress progress = TerminalProgress.open("bench", steps(config, repeat), json))
        {
            report = new Harness(config, line -> progress(err, progress, details, line)).run(repeat);
        }
        details.forEach(err::println);
        final List<Path> files = new ArrayList<>(HgrmFiles.write(report, out));
        files.addAll(PercentilePlot.write(report, out));
        final double elapsed = (System.nanoTime() - t0) / 1e9;

        final PrintWriter stdout = spec.commandLine().getOut();
        if (json)
        {
            stdout.println(toJson(report, files));
        }
        else
        {
            stdout.print(report.text());
            stdout.println();
            stdout.println("files in " + out.toAbsolutePath() + ": " + files.size() + " (.hgrm, .hlog, .png)");
        }
        stdout.flush();
        err.printf(Locale.ROOT, "bench finished in %.1f s%n", elapsed);
        err.flush();
        for (final RunResult r : report.runs())
        {
            if (r.failure() != null)
            {
                return 1;
            }
        }
        return 0;
    }

    /** @return the runs (each system at each rate) and, unless skipped, each system's maximum search. */
    private static long steps(final HarnessConfig config, final int windows)
    {
        final long systems = config.systems().size();
        return config.rates().size() * systems * windows + (config.maxSearch() ? systems : 0);
    }

    /**
     * Without a bar, the harness's lines go to stderr as they come. With one, a line that starts a run or a search
     * becomes the bar's next step; the indented ones (trials of a search, a system's diagnostics) would break the
     * bar's line, so they wait in {@code details} until it is closed.
     */
    private static void progress(final PrintWriter err, final TerminalProgress progress, final List<String> details,
                                 final String line)
    {
        if (!progress.drawn())
        {
            err.println(line);
            err.flush();
        }
        else if (line.startsWith(" "))
        {
            details.add(line);
        }
        else
        {
            progress.begin(line);
        }
    }

    private static String toJson(final HarnessReport report, final List<Path> files) throws IOException
    {
        final StringWriter text = new StringWriter();
        final HarnessConfig c = report.config();
        try (JsonGenerator j = JSON.createGenerator(text))
        {
            j.writeStartObject();
            j.writeObjectFieldStart("machine");
            j.writeNumberField("cores", Runtime.getRuntime().availableProcessors());
            j.writeStringField("cpu", cpuModel());
            j.writeStringField("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
            j.writeEndObject();
            j.writeObjectFieldStart("settings");
            j.writeArrayFieldStart("rates");
            for (final double r : c.rates())
            {
                j.writeNumber(r);
            }
            j.writeEndArray();
            j.writeNumberField("warmupSeconds", c.warmupNanos() / 1e9);
            j.writeNumberField("durationSeconds", c.durationNanos() / 1e9);
            j.writeNumberField("producers", c.producers());
            j.writeNumberField("workers", c.workers());
            j.writeStringField("reference", report.reference());
            j.writeEndObject();
            j.writeArrayFieldStart("systems");
            for (final var e : report.threads().entrySet())
            {
                j.writeStartObject();
                j.writeStringField("name", e.getKey());
                j.writeStringField("description", Systems.describe(e.getKey()));
                j.writeStringField("threads", e.getValue());
                j.writeEndObject();
            }
            j.writeEndArray();
            j.writeArrayFieldStart("runs");
            for (final RunResult r : report.runs())
            {
                j.writeStartObject();
                j.writeStringField("system", r.system());
                j.writeNumberField("rate", r.rate());
                j.writeNumberField("tasks", r.corrected().getTotalCount());
                j.writeNumberField("completed", r.completed());
                j.writeNumberField("unfinished", r.unfinished());
                number(j, "p50Micros", r.micros(50));
                number(j, "p99Micros", r.micros(99));
                number(j, "p999Micros", r.micros(99.9));
                number(j, "maxMicros", r.maxMicros());
                number(j, "achievedPerSecond", r.achieved());
                number(j, "naiveP50Micros", r.naiveMicros(50));
                number(j, "naiveP99Micros", r.naiveMicros(99));
                j.writeNumberField("windows", Math.max(1, r.windows().size()));
                if (!r.windows().isEmpty())
                {
                    j.writeArrayFieldStart("p99MicrosPerWindow");
                    for (final double v : r.perWindow(w -> w.micros(99)))
                    {
                        j.writeNumber(v);
                    }
                    j.writeEndArray();
                }
                j.writeObjectFieldStart("ratioToReference");
                ratio(j, report, r, "p50", x -> x.micros(50));
                ratio(j, report, r, "p99", x -> x.micros(99));
                ratio(j, report, r, "p999", x -> x.micros(99.9));
                ratio(j, report, r, "max", RunResult::maxMicros);
                ratio(j, report, r, "achieved", RunResult::achieved);
                j.writeEndObject();
                j.writeStringField("hgrm", HgrmFiles.baseName(r) + ".hgrm");
                if (r.failure() != null)
                {
                    j.writeStringField("failure", r.failure());
                }
                j.writeEndObject();
            }
            j.writeEndArray();
            j.writeArrayFieldStart("maxRate");
            for (final MaxResult m : report.max())
            {
                j.writeStartObject();
                j.writeStringField("system", m.system());
                j.writeNumberField("maxRate", m.maxRate());
                j.writeNumberField("achievedPerSecond", m.achieved());
                number(j, "p99Micros", m.p99Micros());
                j.writeArrayFieldStart("trials");
                for (final MaxResult.Trial t : m.trials())
                {
                    j.writeStartObject();
                    j.writeNumberField("rate", t.rate());
                    j.writeBooleanField("sustained", t.sustained());
                    j.writeNumberField("achievedPerSecond", t.achieved());
                    number(j, "p99Micros", t.p99Micros());
                    j.writeNumberField("sustainedRuns", t.sustainedRuns());
                    j.writeNumberField("runs", t.runs());
                    j.writeEndObject();
                }
                j.writeEndArray();
                j.writeEndObject();
            }
            j.writeEndArray();
            j.writeArrayFieldStart("targets");
            for (final HarnessReport.Target t : report.targets())
            {
                j.writeStartObject();
                j.writeStringField("name", t.name());
                j.writeStringField("at", t.at());
                number(j, "ratio", t.ratio());
                j.writeStringField("goal", (t.atLeast() ? ">= " : "<= ") + t.goal());
                if (Double.isNaN(t.ratio()))
                {
                    j.writeNullField("met"); // a system not run: neither met nor missed, as the text says "not run"
                }
                else
                {
                    j.writeBooleanField("met", t.met());
                }
                j.writeEndObject();
            }
            j.writeEndArray();
            j.writeArrayFieldStart("files");
            for (final Path f : files)
            {
                j.writeString(f.toString());
            }
            j.writeEndArray();
            j.writeEndObject();
        }
        return text.toString();
    }

    private static void ratio(final JsonGenerator j, final HarnessReport report, final RunResult r, final String name,
                              final ToDoubleFunction<RunResult> value) throws IOException
    {
        number(j, name, report.ratio(r, value));
    }

    private static void number(final JsonGenerator j, final String name, final double v) throws IOException
    {
        if (Double.isNaN(v) || Double.isInfinite(v))
        {
            j.writeNullField(name);
        }
        else
        {
            j.writeNumberField(name, v);
        }
    }

    /** @return the CPU model from /proc/cpuinfo, or the OS architecture where there is none. */
    static String cpuModel()
    {
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/cpuinfo")))
            {
                if (line.startsWith("model name"))
                {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        }
        catch (final IOException | RuntimeException e)
        {
            // not Linux: fall through
        }
        return System.getProperty("os.arch");
    }

    /** Parses a rate: 50000, 50k, 1M, 1.5m; stateless. */
    static final class Rate implements CommandLine.ITypeConverter<Double>
    {
        /** Tasks per second offered at most: 100 times what the fastest system here sustains. */
        static final double MAX_RATE = 100e6;

        @Override
        public Double convert(final String value)
        {
            final String v = value.trim().toLowerCase(Locale.ROOT);
            double scale = 1;
            String digits = v;
            if (v.endsWith("k"))
            {
                scale = 1e3;
                digits = v.substring(0, v.length() - 1);
            }
            else if (v.endsWith("m"))
            {
                scale = 1e6;
                digits = v.substring(0, v.length() - 1);
            }
            final double rate;
            try
            {
                rate = Double.parseDouble(digits) * scale;
            }
            catch (final NumberFormatException e)
            {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a rate; write tasks per second " +
                    "like 50000, 50k or 1M");
            }
            if (!(rate >= 1) || !(rate <= MAX_RATE))
            {
                // a window offers rate x duration tasks, whatever the system achieves: at 1e12 tasks/s it ran for days
                throw new CommandLine.TypeConversionException("rate must be from 1 to 100M tasks/s (no system here " +
                    "sustains more than a few million), got '" + value + "'");
            }
            return rate;
        }
    }

    /** As {@link Time}, with 0 for none: for a cost whose default is none; stateless. */
    static final class TimeOrZero implements CommandLine.ITypeConverter<Long>
    {
        @Override
        public Long convert(final String value)
        {
            return value.trim().matches("0+(\\.0*)?(ms|s)?") ? 0L : new Time().convert(value);
        }
    }

    /** Parses a time: 5s, 500ms, 2.5 (seconds); returns nanoseconds; stateless. */
    static final class Time implements CommandLine.ITypeConverter<Long>
    {
        @Override
        public Long convert(final String value)
        {
            final String v = value.trim().toLowerCase(Locale.ROOT);
            double scale = 1e9;
            String digits = v;
            if (v.endsWith("ms"))
            {
                scale = 1e6;
                digits = v.substring(0, v.length() - 2);
            }
            else if (v.endsWith("s"))
            {
                digits = v.substring(0, v.length() - 1);
            }
            final double nanos;
            try
            {
                nanos = Double.parseDouble(digits) * scale;
            }
            catch (final NumberFormatException e)
            {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a time; write 5s, 500ms or 2.5");
            }
            if (!(nanos >= 1_000_000) || nanos > 3_600e9)
            {
                throw new CommandLine.TypeConversionException("time must be between 1ms and 1h, got '" + value + "'" +
                    (digits.equals(v) ? " (a bare number is seconds: write e.g. 20ms or 2s)" : ""));
            }
            return (long)nanos;
        }
    }

    /** The system names, for --help; stateless. */
    static final class SystemNames implements Iterable<String>
    {
        @Override
        public Iterator<String> iterator()
        {
            return Systems.names().iterator();
        }
    }

    /** Fails before minutes of benchmarking if the results cannot be written where --out says. */
    private void requireWritableOut()
    {
        if (java.nio.file.Files.exists(out) && !java.nio.file.Files.isDirectory(out))
        {
            throw new IllegalStateException("--out " + out.toAbsolutePath() + " is a file: give a directory for the " +
                "result files (created if missing), e.g. --out bench-results");
        }
        try
        {
            java.nio.file.Files.createDirectories(out);
        }
        catch (final IOException | RuntimeException e)
        {
            throw new IllegalStateException("cannot create the --out directory " + out.toAbsolutePath() + " (" + e +
                "); give a directory on a writable file system");
        }
        if (!java.nio.file.Files.isWritable(out))
        {
            throw new IllegalStateException("the --out directory " + out.toAbsolutePath() +
                " is not writable by this process; fix its permissions or give another directory");
        }
    }
}
