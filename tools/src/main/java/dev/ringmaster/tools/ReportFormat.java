package dev.ringmaster.tools;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.ringmaster.metrics.LatencySummary;

import java.io.IOException;
import java.util.Locale;

/** How the demo's report writes numbers and latencies, as text columns and as JSON fields. Stateless; any thread. */
final class ReportFormat
{
    private ReportFormat()
    {
    }

    static void latencyRow(final StringBuilder sb, final String label, final LatencySummary s)
    {
        line(sb, "%-22s %10s %10s %10s %10s %10s %10s %10s", label, n(s.count()), duration(Math.round(s.meanNanos())),
            duration(s.p50Nanos()), duration(s.p90Nanos()), duration(s.p99Nanos()), duration(s.p999Nanos()),
            duration(s.maxNanos()));
    }

    static void line(final StringBuilder sb, final String format, final Object... args)
    {
        sb.append(String.format(Locale.ROOT, format, args)).append('\n');
    }

    static String n(final long value)
    {
        return String.format(Locale.ROOT, "%,d", value);
    }

    /** @return nanoseconds in the unit that keeps 3 significant digits readable (ASCII "us", not the micro sign). */
    static String duration(final long nanos)
    {
        if (nanos < 1_000)
        {
            return nanos + " ns";
        }
        if (nanos < 1_000_000)
        {
            return String.format(Locale.ROOT, "%.1f us", nanos / 1e3);
        }
        if (nanos < 1_000_000_000)
        {
            return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
        }
        return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }

    static void latencyField(final JsonGenerator j, final String name, final LatencySummary s)
        throws IOException
    {
        j.writeObjectFieldStart(name);
        j.writeNumberField("count", s.count());
        decimalField(j, "mean_ns", s.meanNanos());
        j.writeNumberField("p50_ns", s.p50Nanos());
        j.writeNumberField("p90_ns", s.p90Nanos());
        j.writeNumberField("p99_ns", s.p99Nanos());
        j.writeNumberField("p999_ns", s.p999Nanos());
        j.writeNumberField("max_ns", s.maxNanos());
        j.writeEndObject();
    }

    /**
     * Writes a ratio or rate as before: fixed notation with 6 decimals (never an exponent, never a locale's
     * separator), and {@code null} for NaN and infinities, which JSON cannot represent.
     */
    static void decimalField(final JsonGenerator j, final String name, final double value) throws IOException
    {
        j.writeFieldName(name);
        if (Double.isFinite(value))
        {
            j.writeNumber(String.format(Locale.ROOT, "%.6f", value));
        }
        else
        {
            j.writeNull();
        }
    }
}
