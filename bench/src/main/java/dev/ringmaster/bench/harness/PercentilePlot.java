package dev.ringmaster.bench.harness;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Draws one PNG per offered rate, {@code percentiles-RATE.png}: latency against percentile, one line per system, with
 * the percentile axis on the log scale of HdrHistogram's plotter (x = 1 / (1 - percentile): decades 10, 100, 1000
 * are 90%, 99%, 99.9%, as the axis title says; XChart 3.8.8 hands a custom tick formatter the wrong values on a log
 * axis, so the ticks keep XChart's labels) and the latency axis logarithmic too, so a microsecond floor and a millisecond tail both show.
 * Stateless; runs headless.
 */
public final class PercentilePlot
{
    /** The plot stops at 99.9999%: beyond it x = 1/(1-p) runs to infinity at the maximum. */
    private static final double MAX_X = 1_000_000;

    private PercentilePlot()
    {
    }

    /** @return the PNG files written into {@code dir}, one per rate. */
    public static List<Path> write(final HarnessReport report, final Path dir) throws IOException
    {
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(dir);
        final List<Path> written = new ArrayList<>();
        for (final double rate : report.config().rates())
        {
            final XYChart chart = new XYChartBuilder().width(1000).height(600)
                .title("Latency by percentile at " + HarnessReport.rateLabel(rate) +
                    " tasks/s (corrected for coordinated omission)")
                .xAxisTitle("1/(1-percentile): 10 = 90%, 100 = 99%, 1000 = 99.9%, 10000 = 99.99%")
                .yAxisTitle("latency (us)").build();
            chart.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true)
                .setXAxisLogarithmicDecadeOnly(true).setYAxisLogarithmicDecadeOnly(true)
                .setMarkerSize(0);
            chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
            boolean any = false;
            for (final RunResult r : report.runs())
            {
                if (r.rate() != rate || r.corrected().getTotalCount() == 0)
                {
                    continue;
                }
                final double[][] xy = series(r.corrected());
                final XYSeries s = chart.addSeries(r.system(), xy[0], xy[1]);
                s.setMarker(SeriesMarkers.NONE);
                any = true;
            }
            if (!any)
            {
                continue;
            }
            final Path png = dir.resolve("percentiles-" + HarnessReport.rateLabel(rate) + ".png");
            BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
            written.add(png);
        }
        return written;
    }

    /** @return {x = 1/(1-p), latency in us} along HdrHistogram's percentile iteration, the 100% point left out. */
    static double[][] series(final Histogram h)
    {
        final List<double[]> points = new ArrayList<>();
        for (final HistogramIterationValue v : h.percentiles(HgrmFiles.TICKS_PER_HALF_DISTANCE))
        {
            final double p = v.getPercentileLevelIteratedTo() / 100.0;
            if (p >= 1.0)
            {
                break;
            }
            final double x = 1.0 / (1.0 - p);
            if (x > MAX_X)
            {
                break;
            }
            points.add(new double[] {x, Math.max(0.001, h.highestEquivalentValue(v.getValueIteratedTo()) /
                HgrmFiles.NANOS_PER_MICRO)});
        }
        final double[][] xy = new double[2][points.size()];
        for (int i = 0; i < points.size(); i++)
        {
            xy[0][i] = points.get(i)[0];
            xy[1][i] = points.get(i)[1];
        }
        return xy;
    }
}
