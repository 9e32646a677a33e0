package dev.ringmaster.bench.sim;

import dev.ringmaster.routing.RoutingStrategies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stealing spreads work over identical agents as routing alone does: the steal round let idle agents steal in index
 * order, so the first agents took the steals, and random routing's Gini at 30% load read 0.071 with stealing against
 * 0.015 without (a user's trial). Seeded; the same run every time.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StealRoundFairnessTest
{
    @Test
    void stealingDoesNotSkewTheSpreadOfWorkOverIdenticalAgents()
    {
        final double withSteals = gini(null);
        final double without = gini(Boolean.FALSE);

        assertThat(withSteals).as("with stealing, against %.3f without", without).isLessThan(without + 0.01);
    }

    private static double gini(final Boolean steal)
    {
        final SimSettings settings = new SimSettings(0, 0, -1, steal, null, Double.NaN, Double.NaN, null);
        final SimRun run = new Simulator(Scenario.HOMOGENEOUS.fleet(settings),
            Scenario.HOMOGENEOUS.workload(1, 0.3, 20_000, settings),
            RoutingStrategies.create("random", StealRoundFairnessTest.class.getClassLoader()), false).run();
        return run.gini();
    }
}
