package dev.ringmaster.bench.harness;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes each run's corrected histogram twice: {@code SYSTEM-RATE.hgrm}, HdrHistogram's percentile distribution in
 * microseconds (what its plotter, hdrhistogram.github.io/HdrHistogram/plotFiles.html, reads), and
 * {@code SYSTEM-RATE.hlog}, the same histogram as a one-interval log in nanoseconds, for
 * {@code HistogramLogReader} and {@code HistogramLogProcessor}. Stateless.
 */
public final class HgrmFiles
{
    /** Output values in microseconds: the recorded values are nanoseconds. */
    public static final double NANOS_PER_MICRO = 1_000.0;
    /** Percentile ticks per half distance, as HdrHistogram's own examples use. */
    public static final int TICKS_PER_HALF_DISTANCE = 5;

    private HgrmFiles()
    {
    }

    /** @return the base file name of a run: system and compact rate, e.g. {@code ringmaster-200k}. */
    public static String baseName(final RunResult r)
    {
        return r.system() + "-" + HarnessReport.rateLabel(r.rate());
    }

    /**
     * Writes every run's files into {@code dir} (created if needed).
     *
     * @return the files written.
     */
    public static List<Path> write(final HarnessReport report, final Path dir) throws IOException
    {
        Files.createDirectories(dir);
        final List<Path> written = new ArrayList<>();
        for (final RunResult r : report.runs())
        {
            final Path hgrm = dir.resolve(baseName(r) + ".hgrm");
            try (OutputStream out = Files.newOutputStream(hgrm);
                 PrintStream ps = new PrintStream(out, false, StandardCharsets.UTF_8))
            {
                writePercentiles(r.corrected(), ps);
            }
            written.add(hgrm);
            final Path hlog = dir.resolve(baseName(r) + ".hlog");
            try (OutputStream out = Files.newOutputStream(hlog);
                 PrintStream ps = new PrintStream(out, false, StandardCharsets.UTF_8))
            {
                final HistogramLogWriter w = new HistogramLogWriter(ps);
                w.outputComment(r.system() + " at " + HarnessReport.rateLabel(r.rate()) +
                    " tasks/s, corrected latency in nanoseconds (HistogramLogProcessor -outputValueUnitRatio 1000 " +
                    "prints microseconds)" + (r.windows().isEmpty() ? "" : "; " + r.windows().size() + " measured " +
                    "windows pooled, the interval their measured time in all"));
                w.outputLogFormatVersion();
                w.outputLegend();
                final Histogram h = r.corrected().copy();
                h.setStartTimeStamp(0);
                // pooled windows span their measured time in all: one window's length made rates read N times higher
                h.setEndTimeStamp(Math.max(1, report.config().durationNanos() * Math.max(1, r.windows().size()) /
                    1_000_000));
                // untagged: HistogramLogProcessor reads tagged intervals only with -tag, and failed on the file without
                w.outputIntervalHistogram(h);
            }
            written.add(hlog);
        }
        return written;
    }

    /** Writes {@code h} in HdrHistogram's percentile distribution format, values in microseconds. */
    public static void writePercentiles(final Histogram h, final PrintStream out)
    {
        h.outputPercentileDistribution(out, TICKS_PER_HALF_DISTANCE, NANOS_PER_MICRO);
        out.flush();
    }
}
