package dev.ringmaster.bench.sim;

import dev.ringmaster.routing.RoutingStrategies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The supermarket scenario against Mitzenmacher's theory: identical agents of capacity 1, early binding into FIFO
 * queues, no stealing, Poisson arrivals, exponential work of mean 1 s, so random routing is n independent M/M/1
 * queues (mean sojourn 1 / (1 - lambda), exact at any n) and d choices approach sum over i of
 * lambda^((d^i - d) / (d - 1)) as n grows.
 *
 * <p>Tolerance, as in {@link ErlangCTest}: the error of the mean is estimated by batch means over the measured tasks
 * (20 batches of consecutive tasks after the 10% warm-up), and the simulated mean must be within 4 standard errors of
 * theory plus, for d choices, the finite-n gap (at 100 agents the fleet is not yet the limit; the limit is approached
 * from above, so the allowance is one-sided). So that the tolerance cannot grow to pass anything, 4 standard errors
 * must also be at most 10% of theory.
 */
class SupermarketTest
{
    private static final ClassLoader LOADER = SupermarketTest.class.getClassLoader();

    @Test
    void theoryMatchesTheKnownValues()
    {
        assertThat(References.supermarketSojourn(0.9, 1)).isCloseTo(10.0, within(1e-9));
        assertThat(References.supermarketSojourn(0.9, 2)).isCloseTo(2.61, within(0.005));
        assertThat(References.supermarketSojourn(0.99, 2)).isCloseTo(5.43, within(0.005));
        assertThat(References.supermarketSojourn(0.99, 3)).isCloseTo(3.86, within(0.005));
    }

    @ParameterizedTest(name = "{0} on 100 agents at 0.9, {1} tasks")
    @CsvSource({
        "random, 1, 1000000, 0",
        "p2c,    2, 200000,  0.04",
        "p3c,    3, 200000,  0.04"})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void meanSojournMatchesMitzenmacher(final String strategy, final int d, final int tasks, final double finiteN)
    {
        final double load = 0.9;
        final SimFleet fleet = Scenario.SUPERMARKET.fleet();
        assertThat(fleet.size()).isEqualTo(100);
        final SimWorkload workload = Scenario.SUPERMARKET.workload(11, load, tasks);
        final SimRun run = new Simulator(fleet, workload, RoutingStrategies.create(strategy, LOADER), false).run();
        assertThat(run.completed()).isEqualTo(tasks);
        assertThat(run.steals()).isZero();

        final double theory = References.supermarketSojourn(load, d) * SimWorkload.MEAN_WORK;
        final BatchMeans estimate = BatchMeans.of(i -> run.finish(i) - workload.arrival(i), run.warmupTasks(), tasks);
        final double grand = estimate.mean();
        final double standardError = estimate.standardError();
        System.out.printf(Locale.ROOT, "supermarket %s n=100 load=%.2f tasks=%d: mean sojourn %.4f s, theory %.4f s, " +
                "error %+.2f%%, standard error %.2f%%%n", strategy, load, tasks, grand / 1e9, theory / 1e9,
            100 * (grand - theory) / theory, 100 * standardError / theory);

        assertThat(4 * standardError / theory).as("4 standard errors are at most 10%% of theory").isLessThan(0.10);
        assertThat(grand).isBetween(theory - 4 * standardError, theory * (1 + finiteN) + 4 * standardError);
    }
}
