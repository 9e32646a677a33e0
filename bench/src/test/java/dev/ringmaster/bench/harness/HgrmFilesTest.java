package dev.ringmaster.bench.harness;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static dev.ringmaster.bench.harness.FakeSystems.millis;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The output files read back: each {@code .hgrm} is HdrHistogram's percentile distribution (the format its plotter
 * reads) and agrees with the run's histogram; each {@code .hlog} reads back through {@link HistogramLogReader} into
 * the same histogram; each rate has a PNG plot.
 */
class HgrmFilesTest
{
    @TempDir
    Path dir;

    @Test
    void filesReadBack() throws IOException
    {
        final Map<String, Supplier<SystemUnderTest>> systems = new LinkedHashMap<>();
        systems.put("fast", FakeSystems::instant);
        systems.put("stalls", () -> FakeSystems.stallingOnce(millis(250), millis(20)));
        final HarnessConfig config = new HarnessConfig(List.of(5_000.0, 20_000.0), millis(100), millis(400), 1, 1,
            List.copyOf(systems.keySet()), false, 5_000, millis(200), millis(10), 1 << 14);
        final HarnessReport report = new Harness(config, systems, line -> { }).run();

        final List<Path> hgrm = HgrmFiles.write(report, dir);
        final List<Path> png = PercentilePlot.write(report, dir);

        assertThat(hgrm).hasSize(2 * 2 * 2);
        for (final RunResult r : report.runs())
        {
            final Path file = dir.resolve(HgrmFiles.baseName(r) + ".hgrm");
            assertPercentileFile(file, r.corrected());
            try (HistogramLogReader reader = new HistogramLogReader(dir.resolve(HgrmFiles.baseName(r) + ".hlog").toFile()))
            {
                final Histogram read = (Histogram)reader.nextIntervalHistogram();
                assertThat(read).isNotNull();
                assertThat(read.getTotalCount()).isEqualTo(r.corrected().getTotalCount());
                assertThat(read.getMaxValue()).isEqualTo(r.corrected().getMaxValue());
                assertThat(read.getValueAtPercentile(99)).isEqualTo(r.corrected().getValueAtPercentile(99));
                // untagged, so HistogramLogProcessor reads it without -tag; its interval the measured window
                assertThat(read.getTag()).isNull();
                assertThat(read.getEndTimeStamp() - read.getStartTimeStamp()).isEqualTo(
                    config.durationNanos() / 1_000_000);
                assertThat(reader.nextIntervalHistogram()).as("one interval per file").isNull();
            }
        }
        assertThat(png).extracting(p -> p.getFileName().toString())
            .containsExactly("percentiles-5k.png", "percentiles-20k.png");
        for (final Path p : png)
        {
            final byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(p), 4);
            assertThat(head).containsExactly(0x89, 'P', 'N', 'G');
        }
    }

    /** Header, rows of (value us, percentile, total count, 1/(1-percentile)), then the three #[...] footer lines. */
    private static void assertPercentileFile(final Path file, final Histogram h) throws IOException
    {
        final List<String> lines = Files.readAllLines(file);
        assertThat(lines.get(0).trim().split("\\s+")).containsExactly("Value", "Percentile", "TotalCount",
            "1/(1-Percentile)");
        final List<double[]> rows = new ArrayList<>();
        for (final String line : lines.subList(1, lines.size()))
        {
            if (line.isBlank() || line.startsWith("#"))
            {
                continue;
            }
            final String[] f = line.trim().split("\\s+");
            assertThat(f.length).as("row '%s'", line).isBetween(3, 4);
            rows.add(new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2])});
        }
        assertThat(rows).hasSizeGreaterThan(10);
        for (int i = 1; i < rows.size(); i++)
        {
            assertThat(rows.get(i)[0]).as("values rise").isGreaterThanOrEqualTo(rows.get(i - 1)[0]);
            assertThat(rows.get(i)[1]).as("percentiles rise").isGreaterThanOrEqualTo(rows.get(i - 1)[1]);
        }
        final double[] last = rows.get(rows.size() - 1);
        assertThat(last[1]).isEqualTo(1.0);
        assertThat((long)last[2]).isEqualTo(h.getTotalCount());
        assertThat(last[0]).isCloseTo(h.getMaxValue() / 1e3, within(h.getMaxValue() / 1e3 * 0.002 + 0.001));
        for (final double[] row : rows)
        {
            // the value printed at a percentile is the histogram's value there, in microseconds (3 decimals)
            final double expected = h.highestEquivalentValue(h.getValueAtPercentile(row[1] * 100)) / 1e3;
            assertThat(row[0]).isCloseTo(expected, within(expected * 0.002 + 0.001));
        }
        assertThat(lines).anyMatch(l -> l.startsWith("#[Mean"))
            .anyMatch(l -> l.startsWith("#[Max") && l.matches(".*Total count\\s+=\\s+" + h.getTotalCount() + "]"))
            .anyMatch(l -> l.startsWith("#[Buckets"));
    }
}
