package dev.ringmaster.bench.sim;

import dev.ringmaster.routing.RoutingStrategies;
import dev.ringmaster.spi.RoutingStrategy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Runs every requested strategy, plus the {@link References} (the {@link ClairvoyantBaseline} heuristic, lower bounds
 * and theory where they apply), on every requested scenario and load, each on the same seeded workload; stateless, and the rows are a pure function of the arguments (allocation figures
 * aside), so the same seed gives the same table. Single-threaded: one fresh strategy instance per run, called on
 * the caller's thread.
 */
public final class SimulationSuite
{
    /** The loads of the table: comfortable, busy, saturated. */
    public static final double[] LOADS = {0.5, 0.8, 0.95};
    /**
     * Runs of more tasks than this generate their workload as they go and fold each finished task into the figures
     * ({@link StreamedWorkload}, {@link RunStats}), keeping only the tasks in the system: 10^8 tasks need about as
     * much memory as 10^5. Up to this, a run holds every task (about 300 bytes each), as the per-task checks need.
     */
    public static final int STREAM_ABOVE = 2_000_000;

    private SimulationSuite()
    {
    }

    /**
     * @param seed            seed of every workload.
     * @param tasks           tasks per run.
     * @param strategies      names of the strategies, each created through {@link RoutingStrategies#create}.
     * @param scenarios       the scenarios, in table order.
     * @param loads           the loads, in table order.
     * @param loader          where the strategy plugins are found.
     * @param probeAllocation measure bytes allocated per decision (see {@link Simulator}).
     * @return one row per scenario, load and strategy, then the {@link References} that apply to that group.
     * @throws IllegalArgumentException for an unknown strategy name, naming the ones that exist.
     */
    public static List<QualityRow> run(final long seed, final int tasks, final List<String> strategies,
                                       final List<Scenario> scenarios, final double[] loads, final ClassLoader loader,
                                       final boolean probeAllocation)
    {
        return run(seed, tasks, strategies, scenarios, loads, loader, probeAllocation, SimSettings.DEFAULTS);
    }

    /**
     * As {@link #run(long, int, List, List, double[], ClassLoader, boolean)}, with the settings' overrides of every
     * scenario's fleet and workload; the references of each group follow its strategies.
     */
    public static List<QualityRow> run(final long seed, final int tasks, final List<String> strategies,
                                       final List<Scenario> scenarios, final double[] loads, final ClassLoader loader,
                                       final boolean probeAllocation, final SimSettings settings)
    {
        return run(seed, tasks, strategies, scenarios, loads, loader, probeAllocation, settings, false);
    }

    /**
     * As {@link #run(long, int, List, List, double[], ClassLoader, boolean, SimSettings)}; with {@code predictive},
     * each strategy also runs with pre-routing ({@link SimPreRouting}, threshold 0.7), in a row named
     * {@code NAME+predictive} right after the strategy's own. A strategy whose exact steady state is known
     * ({@link StationaryStart#applies}) starts in it: the same arrivals after the fleet's state at time 0; every
     * other run, the references and the predictive rows included, starts empty.
     */
    public static List<QualityRow> run(final long seed, final int tasks, final List<String> strategies,
                                       final List<Scenario> scenarios, final double[] loads, final ClassLoader loader,
                                       final boolean probeAllocation, final SimSettings settings,
                                       final boolean predictive)
    {
        for (final String name : strategies)
        {
            RoutingStrategies.create(name, loader); // fail on a misspelt name before minutes of simulation
        }
        final List<QualityRow> rows = new ArrayList<>();
        for (final Scenario scenario : scenarios)
        {
            final SimFleet fleet = scenario.fleet(settings);
            final boolean stream = streams(scenario, tasks);
            for (final double load : loads)
            {
                final SimWorkload shared = stream ? null : scenario.workload(seed, load, tasks, settings);
                final Supplier<TaskSource> empty = stream ?
                    () -> scenario.streamed(seed, load, tasks, settings, false) : () -> shared;
                for (final String name : strategies)
                {
                    final TaskSource workload;
                    if (!StationaryStart.applies(settings, scenario, fleet, name))
                    {
                        workload = empty.get();
                    }
                    else
                    {
                        workload = stream ? scenario.streamed(seed, load, tasks, settings, true) :
                            scenario.stationary(shared, seed, load, settings);
                    }
                    final RoutingStrategy strategy = RoutingStrategies.create(name, loader);
                    final SimRun run = new Simulator(fleet, workload, strategy, probeAllocation).run();
                    rows.add(QualityRow.of(scenario, load, fleet, run));
                    if (predictive)
                    {
                        rows.add(QualityRow.of(scenario, load, fleet, predictive(fleet, empty.get(),
                            RoutingStrategies.create(name, loader), probeAllocation)));
                    }
                }
                rows.addAll(References.rows(scenario, load, fleet, empty, settings));
            }
        }
        return rows;
    }

    /**
     * @return whether runs of this many tasks stream their workload ({@link StreamedWorkload}) rather than hold it:
     *     above {@value #STREAM_ABOVE} tasks, except {@code periodic}, whose workload is built whole.
     */
    public static boolean streams(final Scenario scenario, final int tasks)
    {
        return tasks > STREAM_ABOVE && scenario != Scenario.PERIODIC;
    }

    /** @return one run of the strategy with pre-routing on top (the dispatcher's, trained online from the arrivals). */
    public static SimRun predictive(final SimFleet fleet, final TaskSource workload, final RoutingStrategy strategy,
                                    final boolean probeAllocation)
    {
        final SimPreRouting pre = new SimPreRouting(fleet, dev.ringmaster.predict.PreRouting.DEFAULT_THRESHOLD);
        return new Simulator(fleet, workload, pre.wrap(strategy), probeAllocation).preRouting(pre).run();
    }

    /** @return every strategy the loader finds, sorted by name. */
    public static List<String> allStrategies(final ClassLoader loader)
    {
        return RoutingStrategies.names(loader);
    }
}
