package dev.ringmaster.bench.sim;

import dev.ringmaster.routing.RoutingStrategies;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The clairvoyant baseline against random on the speeds 1:2:4:8 fleet, where knowing durations should pay most.
 *
 * <p>Its mean sojourn is no worse than random's at 50% and 80% load; at 95% it is not asserted, because there it is
 * worse (0.555 s against 0.514 s for seed 1, 20,000 tasks): it binds each task at arrival to the agent that finishes it first,
 * and that selfish, irrevocable choice queues tasks behind the fast agents that the dispatcher's late binding would
 * have let any agent freeing up take. Its p99 stays far lower at every load, which is asserted.
 */
class ClairvoyantBaselineTest
{
    private static final int TASKS = 20_000;

    @ParameterizedTest(name = "mean at load {0}")
    @ValueSource(doubles = {0.5, 0.8})
    void meanSojournNoWorseThanRandom(final double load)
    {
        final SimRun[] runs = runs(load);
        assertThat(runs[0].meanSojournNanos()).isLessThanOrEqualTo(runs[1].meanSojournNanos());
    }

    @ParameterizedTest(name = "p99 at load {0}")
    @ValueSource(doubles = {0.5, 0.8, 0.95})
    void p99SojournNoWorseThanRandom(final double load)
    {
        final SimRun[] runs = runs(load);
        assertThat(runs[0].sojournHistogram().getValueAtPercentile(99))
            .isLessThanOrEqualTo(runs[1].sojournHistogram().getValueAtPercentile(99));
    }

    /** @return the clairvoyant run, then random's, on the same workload. */
    private static SimRun[] runs(final double load)
    {
        final SimFleet fleet = Scenario.SPEEDS.fleet();
        final SimWorkload workload = Scenario.SPEEDS.workload(1, load, TASKS);
        final SimRun clairvoyant = ClairvoyantBaseline.run(fleet, workload);
        final SimRun random = new Simulator(fleet, workload,
            RoutingStrategies.create("random", ClairvoyantBaselineTest.class.getClassLoader()), false).run();
        assertThat(clairvoyant.completed()).isEqualTo(TASKS);
        assertThat(random.completed()).isEqualTo(TASKS);
        return new SimRun[] {clairvoyant, random};
    }
}
