package dev.ringmaster.bench.sim;

import dev.ringmaster.routing.RoutingStrategies;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code periodic} scenario has the patterns a predictor would learn (a busy and a quiet part of the day, each
 * hour's check, follow-on keys) and prices cold context keys, so that routing that keeps keys warm visibly wins.
 */
class PeriodicScenarioTest
{
    private static final ClassLoader LOADER = PeriodicScenarioTest.class.getClassLoader();
    /** About a day and a half of the scenario's clock at load 0.8 on its 16 slots. */
    private static final int TASKS = 30_000;

    private static final SimWorkload WORKLOAD = Scenario.PERIODIC.workload(11, 0.8, TASKS);

    @Test
    void theDailyCycleMakesTheBusiestHourSeveralTimesTheQuietest()
    {
        final long[] perHour = new long[24];
        for (int i = 0; i < WORKLOAD.size(); i++)
        {
            perHour[PeriodicWorkload.hourOfDay(WORKLOAD.arrival(i))]++;
        }
        long busiest = 0;
        long quietest = Long.MAX_VALUE;
        for (final long n : perHour)
        {
            busiest = Math.max(busiest, n);
            quietest = Math.min(quietest, n);
        }

        assertThat(WORKLOAD.arrival(WORKLOAD.size() - 1)).as("more than a day").isGreaterThan(PeriodicWorkload.DAY_NANOS);
        assertThat((double)busiest / quietest).isGreaterThan(2.5);
    }

    @Test
    void eachHourStartsWithItsCheckAndKeysFollowOnFromTheOneBefore()
    {
        int inWindow = 0;
        int checks = 0;
        int repeatsOfSuccessor = 0;
        final int[][] follows = new int[Scenario.DOMAINS][Scenario.DOMAINS];
        for (int i = 0; i < WORKLOAD.size(); i++)
        {
            final long at = WORKLOAD.arrival(i);
            if (at % PeriodicWorkload.HOUR_NANOS < PeriodicWorkload.CHECK_WINDOW * PeriodicWorkload.HOUR_NANOS)
            {
                inWindow++;
                checks += WORKLOAD.domain(i) == PeriodicWorkload.checkKey(at) ? 1 : 0;
            }
            if (i > 0)
            {
                follows[WORKLOAD.domain(i - 1)][WORKLOAD.domain(i)]++;
            }
        }
        // the most frequent next key of each key: a learnable transition, far above 1 in 32 by chance
        int pairs = 0;
        for (final int[] row : follows)
        {
            int best = 0;
            for (final int n : row)
            {
                best = Math.max(best, n);
                pairs += n;
            }
            repeatsOfSuccessor += best;
        }

        assertThat((double)checks / inWindow).isGreaterThan(0.45);
        assertThat((double)repeatsOfSuccessor / pairs).isGreaterThan(0.3);
    }

    @Test
    void coldKeysCostTimeAndAffinityRoutingWastesLessThanRoundRobin()
    {
        final SimFleet fleet = Scenario.PERIODIC.fleet();
        final SimWorkload small = Scenario.PERIODIC.workload(11, 0.8, 8_000);
        final SimRun roundRobin = new Simulator(fleet, small, RoutingStrategies.create("round-robin", LOADER), false).run();
        final SimRun hashed = new Simulator(fleet, small, RoutingStrategies.create("consistent-hash", LOADER), false).run();

        assertThat(fleet.contextLoadWork()).isEqualTo(SimWorkload.MEAN_WORK / 2);
        assertThat(roundRobin.contextWasteRatio()).isGreaterThan(0.05);
        assertThat(hashed.contextWasteRatio()).isLessThan(roundRobin.contextWasteRatio());
        assertThat(roundRobin.completed()).isEqualTo(small.size());
    }
}
