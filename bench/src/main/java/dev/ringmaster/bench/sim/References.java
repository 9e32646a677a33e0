package dev.ringmaster.bench.sim;

import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The reference rows printed beside the strategies, each named for what it is; stateless and thread-safe.
 * <ul>
 *   <li>{@value ClairvoyantBaseline#NAME} ({@link QualityRow#HEURISTIC}): the greedy earliest-finish schedule that
 *       knows every duration; a good schedule, not an optimum, and strategies do beat it on some rows;</li>
 *   <li>{@value #OWN_TIME} ({@link QualityRow#LOWER_BOUND}): each task's own execution time on the fastest agent
 *       it could use (speed and skill fit, a warm context), as if it never waited. A task's sojourn is at least that
 *       under every schedule, so the mean and (pointwise, hence for every quantile) the p99 of these are lower
 *       bounds on the mean and p99 sojourn of any strategy, clairvoyant or not. Its makespan is
 *       {@link SimWorkload#makespanLowerBound}, the fluid bound;</li>
 *   <li>{@value #CENTRAL_QUEUE} ({@link QualityRow#THEORY}), on identical agents with Poisson arrivals, exponential
 *       work and no context cost: the M/M/c mean sojourn (Erlang C) of one central FCFS queue over all c =
 *       agents x capacity slots. With exponential work no policy that does not know task sizes completes tasks
 *       faster than min(tasks present, c) x mu, so this is a lower bound on the mean sojourn of every
 *       non-anticipating strategy (all built-ins), though not of a clairvoyant one; on the supermarket fleet it is
 *       the ideal that join-the-shortest-queue with stealing approaches;</li>
 *   <li>{@code supermarket-d1}, {@code -d2}, {@code -d3} ({@link QualityRow#THEORY}), on the supermarket model
 *       (identical agents of capacity 1, early binding, no stealing, Poisson, exponential work): Mitzenmacher's
 *       mean sojourn as the number of agents goes to infinity, sum over i &gt;= 1 of
 *       lambda^((d^i - d) / (d - 1)), which is 1 / (1 - lambda) for d = 1 (random); d = 2 is p2c, d = 3 p3c.</li>
 * </ul>
 * Theory rows state the mean only (p99 -1, printed as "-").
 */
public final class References
{
    /** The name of the per-task execution-time lower bound. */
    public static final String OWN_TIME = "bound-own-time";
    /** The name of the M/M/c central-queue value. */
    public static final String CENTRAL_QUEUE = "mmc-central-queue";
    /** Choices of the supermarket rows: random, two, three. */
    private static final int[] SUPERMARKET_CHOICES = {1, 2, 3};

    private References()
    {
    }

    /** @return the references that apply to this scenario, fleet and load (the clairvoyant baseline first). */
    public static List<QualityRow> rows(final Scenario scenario, final double load, final SimFleet fleet,
                                        final SimWorkload workload, final SimSettings settings)
    {
        return rows(scenario, load, fleet, () -> workload, settings);
    }

    /**
     * As {@link #rows(Scenario, double, SimFleet, SimWorkload, SimSettings)}, each reference on a workload of its
     * own from {@code workloads} (a streamed workload serves one pass; one in memory may be given every time).
     */
    public static List<QualityRow> rows(final Scenario scenario, final double load, final SimFleet fleet,
                                        final Supplier<? extends TaskSource> workloads, final SimSettings settings)
    {
        final List<QualityRow> rows = new ArrayList<>();
        rows.add(QualityRow.of(scenario, load, fleet, ClairvoyantBaseline.run(fleet, workloads.get()), QualityRow.HEURISTIC));
        final TaskSource workload = workloads.get();
        rows.add(ownTime(scenario, load, fleet, workload));
        if (!scenario.markovian(settings) || !fleet.isHomogeneous() || fleet.contextLoadWork() > 0)
        {
            return rows;
        }
        final int warmup = SimRun.warmupTasks(workload);
        final double lowerBound = workload.makespanLowerBound(fleet);
        final double meanService = SimWorkload.MEAN_WORK / fleet.speed(0);
        final int servers = fleet.size() * fleet.spec(0).capacity();
        final double meanWait = ErlangC.meanWait(servers, load * servers / meanService, 1.0 / meanService);
        rows.add(QualityRow.reference(scenario, load, CENTRAL_QUEUE, QualityRow.THEORY, workload, lowerBound,
            meanWait + meanService, -1, warmup));
        if (fleet.binding() == SimFleet.Binding.EARLY && !fleet.steals() && fleet.spec(0).capacity() == 1)
        {
            for (final int d : SUPERMARKET_CHOICES)
            {
                rows.add(QualityRow.reference(scenario, load, "supermarket-d" + d, QualityRow.THEORY, workload,
                    lowerBound, supermarketSojourn(load, d) * meanService, -1, warmup));
            }
        }
        return rows;
    }

    /**
     * @return Mitzenmacher's limiting mean sojourn of the supermarket model in units of the mean service time:
     *     sum over i &gt;= 1 of lambda^((d^i - d) / (d - 1)), and 1 / (1 - lambda) for d = 1.
     */
    public static double supermarketSojourn(final double lambda, final int d)
    {
        if (d == 1)
        {
            return 1.0 / (1.0 - lambda);
        }
        double sum = 0;
        for (int i = 1; ; i++)
        {
            final double term = Math.pow(lambda, (Math.pow(d, i) - d) / (d - 1));
            sum += term;
            if (term < 1e-15)
            {
                return sum;
            }
        }
    }

    /** @return the {@value #OWN_TIME} row: every measured task alone on its fastest usable agent. */
    static QualityRow ownTime(final Scenario scenario, final double load, final SimFleet fleet,
                              final TaskSource workload)
    {
        final int n = workload.size();
        final int warmup = SimRun.warmupTasks(workload);
        final AgentProfiles profiles = new AgentProfiles(fleet);
        final SimAgent[] agents = new SimAgent[profiles.size()];
        for (int p = 0; p < agents.length; p++)
        {
            final int a = profiles.representative[p];
            agents[p] = new SimAgent(a, fleet.spec(a), fleet.speed(a), fleet.prefetch(), fleet.warmSlots());
        }
        final Histogram histogram = new Histogram(3);
        double sum = 0;
        int counted = 0;
        for (int t = warmup; t < n; t++)
        {
            workload.retireBelow(t);
            final long required = workload.skills(t);
            long best = Long.MAX_VALUE;
            for (final SimAgent a : agents)
            {
                if (a.hasSkills(required))
                {
                    best = Math.min(best, ClairvoyantBaseline.duration(a, workload, t, 0));
                }
            }
            if (best != Long.MAX_VALUE)
            {
                sum += best;
                counted++;
                histogram.recordValue(best);
            }
        }
        return QualityRow.reference(scenario, load, OWN_TIME, QualityRow.LOWER_BOUND, workload,
            workload.makespanLowerBound(fleet), counted == 0 ? Double.NaN : sum / counted,
            histogram.getValueAtPercentile(99.0), warmup);
    }
}
