package dev.ringmaster.bench.sim;

/**
 * One line of the scheduling-quality table: one strategy, or one reference, on one scenario at one load; immutable
 * and thread-safe. A reference row's figures that its kind does not define are NaN (or -1 for the p99).
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
 * @param giniBusyTime        Gini coefficient of work / speed per agent (see {@link SimRun#giniOfBusyTime()}).
 * @param kind                {@link #STRATEGY}, or what a reference is: {@link #HEURISTIC}, {@link #LOWER_BOUND} or
 *                            {@link #THEORY}.
 * @param warmupTasks         the first tasks by arrival left out of the sojourn and Gini figures.
 * @param initialTasks        tasks already queued at time 0 because the run started in its stationary state
 *                            ({@link StationaryStart}), not counted in {@code tasks}; 0 for an empty start.
 */
public record QualityRow(String scenario, double load, String strategy, int tasks, int completed,
                         double meanSojournNanos, long p99SojournNanos, long makespanNanos, double lowerBoundNanos,
                         double gini, double contextWaste, long decisions, long declines, long errors,
                         String firstError, long steals, double allocatedBytesPerDecision, double giniBusyTime,
                         String kind, int warmupTasks, int initialTasks)
{
    /** A routing strategy run through the simulator. */
    public static final String STRATEGY = "strategy";
    /** A reference that is a good schedule but proves nothing: a strategy may beat it. */
    public static final String HEURISTIC = "heuristic";
    /** A reference no schedule can beat, whatever it knows. */
    public static final String LOWER_BOUND = "lower bound";
    /** A closed-form value from queueing theory for this model (what it bounds, if anything, is in its javadoc). */
    public static final String THEORY = "theory";

    /** @return the row that summarizes a run of a strategy. */
    public static QualityRow of(final Scenario scenario, final double load, final SimFleet fleet, final SimRun run)
    {
        return of(scenario, load, fleet, run, STRATEGY);
    }

    /** @return the row that summarizes a simulated run, of a strategy or of a reference of the given kind. */
    public static QualityRow of(final Scenario scenario, final double load, final SimFleet fleet, final SimRun run,
                                final String kind)
    {
        return new QualityRow(scenario.label(), load, run.strategy(), run.tasks(), run.completed(),
            run.meanSojournNanos(), run.sojournHistogram().getValueAtPercentile(99.0), run.makespanNanos(),
            run.makespanLowerBoundNanos(), run.gini(), fleet.contextLoadWork() > 0 ? run.contextWasteRatio() : Double.NaN,
            run.decisions(), run.declines(), run.errors(), run.firstError(), run.steals(),
            run.allocatedBytesPerDecision(), run.giniOfBusyTime(), kind,
            run.warmupTasks() - run.workload().initialTasks(), run.workload().initialTasks());
    }

    /**
     * @return a reference row that only states sojourn figures: no makespan of its own (its ratio is that of the
     *     makespan bound to itself, 1), no Gini, no strategy counts.
     */
    static QualityRow reference(final Scenario scenario, final double load, final String name, final String kind,
                                final TaskSource workload, final double lowerBoundNanos, final double meanSojournNanos,
                                final long p99SojournNanos, final int warmupTasks)
    {
        return new QualityRow(scenario.label(), load, name, workload.arrivals(), workload.arrivals(), meanSojournNanos,
            p99SojournNanos, Math.round(lowerBoundNanos), lowerBoundNanos, Double.NaN, Double.NaN, 0, 0, 0, null, 0,
            Double.NaN, Double.NaN, kind, warmupTasks - workload.initialTasks(), workload.initialTasks());
    }

    /** @return makespan over its lower bound, at least 1. */
    public double makespanRatio()
    {
        return lowerBoundNanos > 0 ? makespanNanos / lowerBoundNanos : Double.NaN;
    }
}
