package dev.ringmaster.bench.sim;

/**
 * One line of the scheduling-quality table: one strategy on one scenario at one load; immutable and thread-safe.
 *
 * @param scenario            the scenario's label.
 * @param load                nominal offered load, e.g. 0.8.
 * @param strategy            the strategy's name, or {@link ClairvoyantBaseline#NAME}.
 * @param tasks               tasks in the workload.
 * @param completed           tasks that finished (fewer: the strategy left some waiting forever).
 * @param meanSojournNanos    exact mean of finish - arrival, virtual nanoseconds.
 * @param p99SojournNanos     99th percentile of the same, from an HdrHistogram with 3 significant digits.
 * @param makespanNanos       last finish - first arrival.
 * @param lowerBoundNanos     {@link SimWorkload#makespanLowerBound}.
 * @param gini                Gini coefficient of work per agent.
 * @param contextWaste        context waste ratio (see {@link SimRun}), NaN where the scenario has no context cost.
 * @param decisions           select calls.
 * @param declines            selects that returned DECLINE.
 * @param errors              selects that threw or returned an index out of range.
 * @param firstError          what the first error was, or null.
 * @param steals              tasks stolen by idle agents.
 * @param allocatedBytesPerDecision bytes per select in steady state, NaN if not measured.
 */
public record QualityRow(String scenario, double load, String strategy, int tasks, int completed,
                         double meanSojournNanos, long p99SojournNanos, long makespanNanos, double lowerBoundNanos,
                         double gini, double contextWaste, long decisions, long declines, long errors,
                         String firstError, long steals, double allocatedBytesPerDecision)
{
    /** @return the row that summarizes a run. */
    public static QualityRow of(final Scenario scenario, final double load, final SimFleet fleet, final SimRun run)
    {
        return new QualityRow(scenario.label(), load, run.strategy(), run.workload().size(), run.completed(),
            run.meanSojournNanos(), run.sojournHistogram().getValueAtPercentile(99.0), run.makespanNanos(),
            run.makespanLowerBoundNanos(), run.gini(), fleet.contextLoadWork() > 0 ? run.contextWasteRatio() : Double.NaN,
            run.decisions(), run.declines(), run.errors(), run.firstError(), run.steals(),
            run.allocatedBytesPerDecision());
    }

    /** @return makespan over its lower bound, at least 1. */
    public double makespanRatio()
    {
        return lowerBoundNanos > 0 ? makespanNanos / lowerBoundNanos : Double.NaN;
    }
}
