package dev.ringmaster.tools;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.ringmaster.journal.replay.PredictionHits;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;

/** How {@code replay} shows the hit rate of a journal's predictions (pre-routing); stateless. */
final class PredictionRendering
{
    private static final JsonFactory JSON = JsonFactory.builder().build();

    private PredictionRendering()
    {
    }

    /** @return lines for the text report, empty for a journal without predictions. */
    static String text(final Map<String, PredictionHits.Tally> tallies)
    {
        if (tallies.isEmpty())
        {
            return "";
        }
        final StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
            "%npredictions (pre-routing; a hit if a task of the key arrived within the horizon):%n"));
        tallies.forEach((action, t) -> b.append(String.format(Locale.ROOT,
            "  %-10s %,8d  hits %,8d (%5.1f%%)  mean confidence %.2f%n", action, t.predictions(), t.hits(),
            100 * t.hitRate(), t.meanConfidence())));
        return b.toString();
    }

    /** @return the report's JSON object with a "predictions" field added (unchanged without predictions). */
    static String json(final String report, final Map<String, PredictionHits.Tally> tallies)
    {
        if (tallies.isEmpty())
        {
            return report;
        }
        final StringWriter text = new StringWriter();
        try (JsonGenerator j = JSON.createGenerator(text))
        {
            j.writeStartObject();
            for (final Map.Entry<String, PredictionHits.Tally> e : tallies.entrySet())
            {
                j.writeObjectFieldStart(e.getKey());
                j.writeNumberField("predictions", e.getValue().predictions());
                j.writeNumberField("hits", e.getValue().hits());
                j.writeNumberField("hitRate", e.getValue().hitRate());
                j.writeNumberField("meanConfidence", e.getValue().meanConfidence());
                j.writeEndObject();
            }
            j.writeEndObject();
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
        final int end = report.lastIndexOf('}');
        return report.substring(0, end) + ",\"predictions\":" + text + report.substring(end);
    }
}
