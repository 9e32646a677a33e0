package dev.ringmaster.tools;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.ringmaster.metrics.MetricsSnapshot;

import java.io.IOException;
import java.util.Locale;

import static dev.ringmaster.tools.ReportFormat.n;

/**
 * A routing strategy that failed every decision it was asked, so the built-in least-in-flight choice placed every task
 * instead, or that placed no task at all (it declined every one): the run did not test the strategy the user asked
 * for. Immutable, so any thread may read it.
 *
 * @param strategy    the strategy's name.
 * @param decisions   routing decisions taken for it.
 * @param faults      decisions in which it threw or answered out of range (the rest it was quarantined for).
 * @param quarantines times it failed so often in a row that it was set aside.
 */
record StrategyFailure(String strategy, long decisions, long faults, long quarantines)
{
    /**
     * @return the failure the snapshot shows, or null when the strategy made at least one decision (or none was due):
     *     every decision failed, or no task was placed at all though some were accepted (it declined every one).
     */
    static StrategyFailure of(final MetricsSnapshot metrics)
    {
        final long decisions = metrics.strategyDecisions();
        if (decisions == 0 && metrics.accepted() > 0)
        {
            return new StrategyFailure(metrics.strategy(), 0, metrics.strategyFaults() - metrics.strategyCallbackFaults(),
                metrics.faults().strategyQuarantines());
        }
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
        if (decisions == 0)
        {
            return String.format(Locale.ROOT, "strategy '%s' placed no task at all: it declined every task it was " +
                "asked to place%s, so the accepted tasks waited until the drain gave up and were cancelled; fix its " +
                "select() or route(), or pick another with --strategy ('ringmaster strategies' lists them)", strategy,
                faults == 0 ? "" : " or failed (" + n(faults) + " fault(s))");
        }
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
        j.writeBooleanField("placed_none", decisions == 0);
        j.writeStringField("message", describe());
        j.writeEndObject();
    }
}
