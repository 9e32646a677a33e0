package dev.ringmaster.bench.sim;

import dev.ringmaster.routing.RoutingStrategies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * A streamed run is the run of the same tasks held in memory, folded as it goes, and its memory follows the tasks in
 * the system, not the length of the run.
 */
class StreamedWorkloadTest
{
    private static final ClassLoader LOADER = StreamedWorkloadTest.class.getClassLoader();
    private static final SimSettings SETTINGS = new SimSettings(200, 0, -1, null, null, Double.NaN, Double.NaN, null);

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aStreamedRunHasTheFiguresOfTheSameTasksInMemory()
    {
        for (final String strategy : new String[] {"random", "p2c"})
        {
            final boolean stationary = "random".equals(strategy);
            final SimFleet fleet = Scenario.SUPERMARKET.fleet(SETTINGS);
            final StreamedWorkload streamed = Scenario.SUPERMARKET.streamed(7, 0.9, 200_000, SETTINGS, stationary);
            final SimWorkload held = SimWorkload.copyOf(Scenario.SUPERMARKET.streamed(7, 0.9, 200_000, SETTINGS, stationary));
            assertThat(held.initialTasks()).isEqualTo(streamed.initialTasks());
            assertThat(held.initialTasks() > 0).isEqualTo(stationary);

            final SimRun a = new Simulator(fleet, streamed, RoutingStrategies.create(strategy, LOADER), false).run();
            final SimRun b = new Simulator(fleet, held, RoutingStrategies.create(strategy, LOADER), false).run();
            assertThat(a.keptTasks()).isFalse();
            assertThat(b.keptTasks()).isTrue();
            assertThat(a.tasks()).isEqualTo(200_000).isEqualTo(b.tasks());
            assertThat(a.completed()).isEqualTo(b.completed()).isEqualTo(200_000);
            assertThat(a.warmupTasks()).isEqualTo(b.warmupTasks());
            // the same sojourns, summed in the order of completion instead of arrival
            assertThat(a.meanSojournNanos()).isCloseTo(b.meanSojournNanos(), within(1e-9 * b.meanSojournNanos()));
            assertThat(a.sojournHistogram()).isEqualTo(b.sojournHistogram());
            assertThat(a.makespanNanos()).isEqualTo(b.makespanNanos());
            assertThat(a.workPerAgent()).isEqualTo(b.workPerAgent());
            assertThat(a.gini()).isEqualTo(b.gini());
            assertThat(a.decisions()).isEqualTo(b.decisions()).isEqualTo(200_000);
            assertThat(a.makespanLowerBoundNanos()).isCloseTo(b.makespanLowerBoundNanos(),
                within(1e-9 * b.makespanLowerBoundNanos()));
            assertThatThrownBy(() -> a.finish(5)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("streamed run keeps no per-task record");
        }
    }

    @Test
    void theArrivalTimesAreThoseOfTheWorkloadInMemory()
    {
        final SimWorkload inMemory = Scenario.BURSTY.workload(3, 0.8, 50_000, SimSettings.DEFAULTS);
        final StreamedWorkload streamed = Scenario.BURSTY.streamed(3, 0.8, 50_000, SimSettings.DEFAULTS, false);
        for (int i = 0; i < 50_000; i++)
        {
            assertThat(streamed.arrival(i)).as("arrival of task %d", i).isEqualTo(inMemory.arrival(i));
            streamed.retireBelow(i);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void memoryFollowsTheTasksInTheSystemNotTheRun()
    {
        final SimSettings settings = new SimSettings(100, 0, -1, null, null, Double.NaN, Double.NaN, null);
        final StreamedWorkload streamed = Scenario.SUPERMARKET.streamed(1, 0.9, 3_000_000, settings, false);
        final SimRun run = new Simulator(Scenario.SUPERMARKET.fleet(settings), streamed,
            RoutingStrategies.create("p2c", LOADER), false).run();
        assertThat(run.completed()).isEqualTo(3_000_000);
        assertThat(run.meanSojournNanos() / SimWorkload.MEAN_WORK).isCloseTo(2.61, within(0.2));
        // p2c at 0.9 holds about 240 tasks; the window spans the oldest in the system to the newest
        assertThat(streamed.windowCapacity()).isLessThanOrEqualTo(1 << 14);
        assertThatThrownBy(() -> streamed.arrival(0)).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("was retired");
    }

    @Test
    void periodicIsNotStreamed()
    {
        assertThat(SimulationSuite.streams(Scenario.PERIODIC, 10_000_000)).isFalse();
        assertThat(SimulationSuite.streams(Scenario.SUPERMARKET, 10_000_000)).isTrue();
        assertThat(SimulationSuite.streams(Scenario.SUPERMARKET, SimulationSuite.STREAM_ABOVE)).isFalse();
        assertThatThrownBy(() -> Scenario.PERIODIC.streamed(1, 0.5, 10, SimSettings.DEFAULTS, false))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fewer tasks");
    }
}
