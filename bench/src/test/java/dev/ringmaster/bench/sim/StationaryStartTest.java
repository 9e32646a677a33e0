package dev.ringmaster.bench.sim;

import dev.ringmaster.routing.RoutingStrategies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The stationary start is the steady state itself: random routing on the supermarket model makes every agent an
 * independent M/M/1, so from a stationary start the very first arrivals already see the stationary queue and their
 * mean sojourn is 1 / (1 - rho) mean works, with no warm-up. From an empty start, or from a wrong law, it is not.
 */
class StationaryStartTest
{
    private static final ClassLoader LOADER = StationaryStartTest.class.getClassLoader();
    private static final int GROUPS = 20;

    @Test
    void queueLengthsAreGeometric()
    {
        final double rho = 0.9;
        final int agents = 400_000;
        final int[] lengths = StationaryStart.queueLengths(new SplittableRandom(3), agents, rho);
        double sum = 0;
        int empty = 0;
        int atLeastTen = 0;
        for (final int l : lengths)
        {
            sum += l;
            empty += l == 0 ? 1 : 0;
            atLeastTen += l >= 10 ? 1 : 0;
        }
        // geometric: mean rho / (1 - rho) = 9, variance rho / (1 - rho)^2 = 90; P(L = 0) = 1 - rho, P(L >= 10) = rho^10
        final double standardError = Math.sqrt(rho / ((1 - rho) * (1 - rho)) / agents);
        assertThat(sum / agents).isCloseTo(rho / (1 - rho), within(4 * standardError));
        assertThat((double)empty / agents).isCloseTo(1 - rho, within(4 * Math.sqrt(0.09 / agents)));
        final double tail = Math.pow(rho, 10);
        assertThat((double)atLeastTen / agents).isCloseTo(tail, within(4 * Math.sqrt(tail * (1 - tail) / agents)));
    }

    /**
     * 20,000 agents at 0.9 for about 20 s of arrivals, far less than the M/M/1's relaxation time (about 400 s): the
     * mean sojourn of every arrival, none left out, is 10 s within 4 standard errors (from the spread of 20 groups of
     * agents, which are independent under random routing; 4 standard errors come to about 3.5% here, so a law with
     * one task too many or too few per agent, 10% off, fails), and from an empty start it is far below.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theFirstArrivalsAlreadySeeTheStationaryMean()
    {
        final double load = 0.9;
        final SimSettings settings = new SimSettings(20_000, 0, -1, null, null, Double.NaN, Double.NaN, null);
        final SimFleet fleet = Scenario.SUPERMARKET.fleet(settings);
        final SimWorkload empty = Scenario.SUPERMARKET.workload(5, load, 360_000, settings);
        final SimWorkload stationary = Scenario.SUPERMARKET.stationary(empty, 5, load, settings);
        assertThat(stationary.initialTasks()).isBetween(170_000, 190_000); // about 9 per agent
        final double theory = References.supermarketSojourn(load, 1) * SimWorkload.MEAN_WORK;

        final double[] fromStationary = groupMeans(fleet, stationary);
        final double mean = mean(fromStationary);
        final double standardError = Math.sqrt(variance(fromStationary, mean) / GROUPS);
        System.out.printf(Locale.ROOT, "stationary start, first %d arrivals: mean sojourn %.4f s, theory %.4f s, " +
            "standard error %.2f%%%n", stationary.arrivals(), mean / 1e9, theory / 1e9, 100 * standardError / theory);
        assertThat(4 * standardError / theory).as("4 standard errors are at most 5%% of theory").isLessThan(0.05);
        assertThat(mean).isCloseTo(theory, within(4 * standardError));

        final double fromEmpty = mean(groupMeans(fleet, empty));
        System.out.printf(Locale.ROOT, "empty start, the same arrivals: mean sojourn %.4f s%n", fromEmpty / 1e9);
        assertThat(fromEmpty).as("an empty start is far from the steady state this early").isLessThan(0.5 * theory);
    }

    @Test
    void onlyRandomOnTheSupermarketModelStartsStationary()
    {
        final SimSettings auto = SimSettings.DEFAULTS;
        final SimFleet supermarket = Scenario.SUPERMARKET.fleet(auto);
        assertThat(StationaryStart.applies(auto, Scenario.SUPERMARKET, supermarket, "random")).isTrue();
        assertThat(StationaryStart.applies(auto, Scenario.SUPERMARKET, supermarket, "p2c")).isFalse();
        assertThat(StationaryStart.applies(auto, Scenario.HOMOGENEOUS, Scenario.HOMOGENEOUS.fleet(auto), "random"))
            .isFalse();
        final SimSettings pareto = new SimSettings(0, 0, -1, null, null, Double.NaN, Double.NaN,
            new SimSettings.Work(2.0), SimSettings.Start.AUTO);
        assertThat(StationaryStart.applies(pareto, Scenario.SUPERMARKET, supermarket, "random")).isFalse();
        final SimSettings empty = new SimSettings(0, 0, -1, null, null, Double.NaN, Double.NaN, null,
            SimSettings.Start.EMPTY);
        assertThat(StationaryStart.applies(empty, Scenario.SUPERMARKET, supermarket, "random")).isFalse();

        final SimSettings stationary = new SimSettings(0, 0, -1, null, null, Double.NaN, Double.NaN, null,
            SimSettings.Start.STATIONARY);
        assertThatThrownBy(() -> StationaryStart.applies(stationary, Scenario.SUPERMARKET, supermarket, "p2c"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("only for random routing").hasMessageContaining("use the default start");
    }

    @Test
    void theSuiteMarksTheRowsThatStartedStationary()
    {
        final List<QualityRow> rows = SimulationSuite.run(2, 20_000, List.of("random", "p2c"),
            List.of(Scenario.SUPERMARKET), new double[] {0.9}, LOADER, false);
        assertThat(rows.get(0).strategy()).isEqualTo("random");
        assertThat(rows.get(0).initialTasks()).isBetween(600, 1200); // 100 agents, about 9 each
        assertThat(rows.get(0).tasks()).isEqualTo(20_000);
        assertThat(rows.get(0).completed()).isEqualTo(20_000);
        assertThat(rows.get(0).warmupTasks()).isEqualTo(2_000);
        assertThat(rows.get(1).initialTasks()).isZero();
        assertThat(QualityTable.table(rows)).contains("stationary start");
    }

    /** @return the mean sojourn of every arrival (no warm-up), per group of agents (pool position mod 20). */
    private static double[] groupMeans(final SimFleet fleet, final SimWorkload workload)
    {
        final SimRun run = new Simulator(fleet, workload, RoutingStrategies.create("random", LOADER), false).run();
        assertThat(run.completed()).isEqualTo(workload.arrivals());
        final double[] sums = new double[GROUPS];
        final int[] counts = new int[GROUPS];
        for (int i = workload.initialTasks(); i < workload.size(); i++)
        {
            final int group = run.executedBy(i) % GROUPS;
            sums[group] += run.finish(i) - workload.arrival(i);
            counts[group]++;
        }
        for (int g = 0; g < GROUPS; g++)
        {
            sums[g] /= counts[g];
        }
        return sums;
    }

    private static double mean(final double[] values)
    {
        double sum = 0;
        for (final double v : values)
        {
            sum += v;
        }
        return sum / values.length;
    }

    private static double variance(final double[] values, final double mean)
    {
        double sum = 0;
        for (final double v : values)
        {
            sum += (v - mean) * (v - mean);
        }
        return sum / (values.length - 1);
    }
}
