package dev.ringmaster.tools;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.ringmaster.metrics.MetricsSnapshot;

import java.io.IOException;
import java.util.Locale;

import static dev.ringmaster.tools.ReportFormat.n;

/**
 * A routing strategy that failed every decision it was asked, so the built-in least-in-flight choice placed every task
 * instead: the run did not test the strategy the user asked for. Immutable, so any thread may read it.
 *
 * @param strategy    the strategy's name.
 * @param decisions   routing decisions taken for it.
 * @param faults      decisions in which it threw or answered out of range (the rest it was quarantined for).
 * @param quarantines times it failed so often in a row that it was set aside.
 */
record StrategyFailure(String strategy, long decisions, long faults, long quarantines)
{
    /** @return the failure the snapshot shows, or null when the strategy made at least one decision (or none was due). */
    static StrategyFailure of(final MetricsSnapshot metrics)
    {
        final long decisions = metrics.strategyDecisions();
        if (decisions == 0 || metrics.strategyFallbacks() < decisions)
        {
            return null;
        }
        return new StrategyFailure(metrics.strategy(), decisions,
            metrics.strategyFaults() - metrics.strategyCallbackFaults(),
            metrics.faults().strategyQuarantines());
    }

    /** @return one line that names the strategy, the decisions it failed, and what to do. */
    String describe()
    {
        return String.format(Locale.ROOT, "strategy '%s' failed every one of its %s decisions: it threw or answered " +
            "out of range %s time(s)%s, and the built-in least-in-flight choice placed every task instead, so this run " +
            "says nothing about the strategy; the log above names its first fault (--verbose for the stack trace): " +
            "fix the strategy, or pick another with --strategy ('ringmaster strategies' lists them)", strategy,
            n(decisions), n(faults), quarantines == 0 ? "" : " and was quarantined " + n(quarantines) + " time(s)");
    }

    /** Writes {@code "strategy_failure": {...}}. */
    void writeJson(final JsonGenerator j) throws IOException
    {
        j.writeObjectFieldStart("strategy_failure");
        j.writeStringField("strategy", strategy);
        j.writeNumberField("decisions", decisions);
        j.writeNumberField("failed", decisions);
        j.writeNumberField("faults", faults);
        j.writeNumberField("quarantines", quarantines);
        j.writeStringField("message", describe());
        j.writeEndObject();
    }
}
