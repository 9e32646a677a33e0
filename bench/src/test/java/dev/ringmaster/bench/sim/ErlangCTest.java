package dev.ringmaster.bench.sim;

import dev.ringmaster.routing.RoutingStrategies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The simulator against M/M/c theory: c identical agents of capacity 1 without prefetch behind the central FCFS
 * queue, Poisson arrivals and exponential work, so the mean wait must be Erlang C's W_q = C(c, a) / (c mu - lambda).
 *
 * <p>Tolerance: waits in a queue are strongly autocorrelated, so the error of the mean is estimated by batch means
 * (20 batches of consecutive tasks after a 10% warm-up, each far longer than the queue's relaxation time), and the
 * simulated mean must be within 4 standard errors of theory (a false alarm about once in 15,000 runs; the seeds are
 * fixed, so the outcome is reproducible). So that the tolerance cannot silently grow wide enough to pass anything, the
 * test also asserts that 4 standard errors are at most 12% of W_q, or, where hardly anyone waits (M/M/16 at 0.5: W_q
 * is 0.1% of the service time), at most 0.5% of the mean sojourn W_q + 1/mu. The run lengths below achieve that: the
 * variance of the mean grows like 1 / (1 - rho)^4 near saturation, hence the longer runs at 0.9.
 */
class ErlangCTest
{

    @Test
    void formulaMatchesKnownValues()
    {
        // M/M/1: the probability of waiting is rho, and W_q = rho / (mu - lambda)
        assertThat(ErlangC.probabilityOfWaiting(1, 0.8)).isCloseTo(0.8, within(1e-12));
        assertThat(ErlangC.meanWait(1, 0.8, 1.0)).isCloseTo(4.0, within(1e-12));
        // M/M/2 at a = 1: C = (1/2 * 2/(2-1)) / (1 + 1 + 1) = 1/3
        assertThat(ErlangC.probabilityOfWaiting(2, 1.0)).isCloseTo(1.0 / 3, within(1e-12));
        // a textbook value: c = 16, a = 14.4 (rho 0.9) waits with probability about 0.5
        assertThat(ErlangC.probabilityOfWaiting(16, 14.4)).isBetween(0.4, 0.6);
    }

    @ParameterizedTest(name = "M/M/{0} at rho {1}, {2} tasks")
    @CsvSource({
        "1,  0.5, 200000",
        "1,  0.8, 400000",
        "1,  0.9, 1000000",
        "4,  0.5, 400000",
        "4,  0.8, 800000",
        "4,  0.9, 1600000",
        "16, 0.5, 200000",
        "16, 0.8, 1200000",
        "16, 0.9, 1200000"})
    void meanWaitMatchesErlangC(final int c, final double rho, final int tasks)
    {
        final SimWorkload workload = SimWorkload.markovian(1000L * c + Math.round(rho * 100), tasks, c, rho);
        final SimRun run = new Simulator(SimFleet.identical(c), workload,
            RoutingStrategies.create("least-connections", ErlangCTest.class.getClassLoader()), false).run();
        assertThat(run.completed()).isEqualTo(tasks);

        final double mu = 1.0 / SimWorkload.MEAN_WORK;
        final double theory = ErlangC.meanWait(c, rho * c * mu, mu);
        final BatchMeans estimate = BatchMeans.of(i -> run.start(i) - workload.arrival(i), tasks / 10, tasks);
        final double grand = estimate.mean();
        final double standardError = estimate.standardError();
        System.out.printf(Locale.ROOT, "M/M/%d rho=%.2f n=%d: simulated W_q %.4f s, Erlang C %.4f s, error %+.2f%%, " +
                "standard error %.2f%%%n", c, rho, tasks, grand / 1e9, theory / 1e9, 100 * (grand - theory) / theory,
            100 * standardError / theory);

        final double meanSojourn = theory + SimWorkload.MEAN_WORK;
        assertThat(4 * standardError / theory < 0.12 || 4 * standardError / meanSojourn < 0.005)
            .as("4 standard errors (%.2f%% of W_q) are a few percent of W_q, or a sliver of the sojourn",
                400 * standardError / theory)
            .isTrue();
        assertThat(grand).isCloseTo(theory, within(4 * standardError));
    }
}
