package dev.ringmaster.bench.sim;

import dev.ringmaster.routing.RoutingStrategies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Early binding with and without stealing, on 8 identical agents of capacity 2 at load 0.9 (Poisson, exponential
 * work). Without stealing, random routing makes each agent an independent M/M/2, mean sojourn 1 / (mu (1 - rho^2)).
 * With stealing, an idle slot takes a task waiting anywhere after the next event, so the fleet is all but the
 * M/M/16 central queue, whose mean sojourn (Erlang C) it must match: the one-task-per-idle-agent-per-cycle limit of
 * the dispatcher's worker leaves a second free slot of an agent idle only until the next event. Tolerance: 4
 * batch-means standard errors, plus 2% for that lag in the stealing case.
 */
class EarlyBindingTest
{
    private static final ClassLoader LOADER = EarlyBindingTest.class.getClassLoader();
    private static final double LOAD = 0.9;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void withoutStealingRandomRoutingIsIndependentMM2Queues()
    {
        final double mm2 = SimWorkload.MEAN_WORK / (1 - LOAD * LOAD);
        final BatchMeans sojourn = sojourn(false, 600_000);
        assertThat(4 * sojourn.standardError() / mm2).isLessThan(0.10);
        assertThat(sojourn.mean()).isCloseTo(mm2, within(4 * sojourn.standardError()));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void withStealingTheFleetIsTheCentralQueue()
    {
        final double mu = 1.0 / SimWorkload.MEAN_WORK;
        final double mm16 = ErlangC.meanWait(16, LOAD * 16 * mu, mu) + SimWorkload.MEAN_WORK;
        final BatchMeans sojourn = sojourn(true, 600_000);
        assertThat(4 * sojourn.standardError() / mm16).isLessThan(0.06);
        assertThat(sojourn.mean()).isBetween(mm16 - 4 * sojourn.standardError(),
            mm16 * 1.02 + 4 * sojourn.standardError());
    }

    private static BatchMeans sojourn(final boolean steal, final int tasks)
    {
        final SimSettings settings = new SimSettings(0, 0, -1, steal, SimFleet.Binding.EARLY, Double.NaN, Double.NaN,
            null);
        final SimFleet fleet = Scenario.HOMOGENEOUS.fleet(settings);
        final SimWorkload workload = Scenario.HOMOGENEOUS.workload(21, LOAD, tasks, settings);
        final SimRun run = new Simulator(fleet, workload, RoutingStrategies.create("random", LOADER), false).run();
        assertThat(run.completed()).isEqualTo(tasks);
        assertThat(run.steals() > 0).as("steals happened: %d", run.steals()).isEqualTo(steal);
        final BatchMeans sojourn = BatchMeans.of(i -> run.finish(i) - workload.arrival(i), run.warmupTasks(), tasks);
        System.out.printf(Locale.ROOT, "early binding, %s: mean sojourn %.4f s, standard error %.2f%%, %d steals%n",
            steal ? "stealing" : "no stealing", sojourn.mean() / 1e9, 100 * sojourn.standardError() / sojourn.mean(),
            run.steals());
        return sojourn;
    }
}
