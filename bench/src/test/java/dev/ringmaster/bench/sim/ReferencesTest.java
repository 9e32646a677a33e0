package dev.ringmaster.bench.sim;

import dev.ringmaster.routing.RoutingStrategies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The references: the baseline's per-profile shortcut picks what its scan picks, the lower bound is never beaten by
 * any strategy or by the clairvoyant heuristic, and each reference row says what it is.
 */
class ReferencesTest
{
    private static final ClassLoader LOADER = ReferencesTest.class.getClassLoader();

    @ParameterizedTest
    @EnumSource(value = Scenario.class, names = {"HOMOGENEOUS", "SPEEDS", "SKILL_MIXED", "PARETO", "SUPERMARKET"})
    void theBaselinesShortcutSchedulesExactlyAsItsScan(final Scenario scenario)
    {
        final SimSettings mixedCapacity = new SimSettings(12, 3, -1, null, null, Double.NaN, Double.NaN, null);
        for (final SimSettings settings : List.of(SimSettings.DEFAULTS, mixedCapacity))
        {
            final SimFleet fleet = scenario.fleet(settings);
            final SimWorkload workload = scenario.workload(5, 0.9, 5_000, settings);
            final SimRun fast = ClairvoyantBaseline.run(fleet, workload);
            final SimRun scan = ClairvoyantBaseline.run(fleet, workload, true);
            for (int i = 0; i < workload.size(); i++)
            {
                assertThat(fast.start(i)).as("start of task %d", i).isEqualTo(scan.start(i));
                assertThat(fast.finish(i)).as("finish of task %d", i).isEqualTo(scan.finish(i));
            }
            assertThat(fast.workPerAgent()).isEqualTo(scan.workPerAgent());
        }
    }

    @Test
    void noStrategyAndNoHeuristicBeatsTheLowerBound()
    {
        final List<String> strategies = SimulationSuite.allStrategies(LOADER);
        for (final Scenario scenario : Scenario.values())
        {
            final List<QualityRow> rows = SimulationSuite.run(3, 2_000, strategies, List.of(scenario),
                new double[] {0.8}, LOADER, false);
            final QualityRow bound = rows.stream().filter(r -> References.OWN_TIME.equals(r.strategy())).findFirst()
                .orElseThrow();
            assertThat(bound.kind()).isEqualTo(QualityRow.LOWER_BOUND);
            for (final QualityRow r : rows)
            {
                if (QualityRow.STRATEGY.equals(r.kind()) || QualityRow.HEURISTIC.equals(r.kind()))
                {
                    assertThat(r.meanSojournNanos()).as("%s on %s", r.strategy(), scenario)
                        .isGreaterThanOrEqualTo(bound.meanSojournNanos());
                    assertThat(r.p99SojournNanos()).as("%s on %s, p99", r.strategy(), scenario)
                        .isGreaterThanOrEqualTo(bound.p99SojournNanos());
                }
            }
        }
    }

    @Test
    void theoryRowsAppearOnlyWhereTheirModelHolds()
    {
        final List<String> one = List.of("least-connections");
        final List<QualityRow> homogeneous = SimulationSuite.run(1, 1_000, one, List.of(Scenario.HOMOGENEOUS),
            new double[] {0.5}, LOADER, false);
        assertThat(homogeneous).extracting(QualityRow::strategy)
            .containsExactly("least-connections", ClairvoyantBaseline.NAME, References.OWN_TIME, References.CENTRAL_QUEUE);
        final List<QualityRow> supermarket = SimulationSuite.run(1, 1_000, one, List.of(Scenario.SUPERMARKET),
            new double[] {0.5}, LOADER, false);
        assertThat(supermarket).extracting(QualityRow::strategy).contains("supermarket-d1", "supermarket-d2",
            "supermarket-d3");
        for (final Scenario notMarkovian : List.of(Scenario.SPEEDS, Scenario.PARETO, Scenario.BURSTY, Scenario.SESSIONS))
        {
            assertThat(SimulationSuite.run(1, 500, one, List.of(notMarkovian), new double[] {0.5}, LOADER, false))
                .extracting(QualityRow::kind).doesNotContain(QualityRow.THEORY);
        }
        // the M/M/c mean at c = 16 slots and rho = 0.5 is Erlang C's, in seconds of the mean work
        final QualityRow mmc = homogeneous.get(3);
        assertThat(mmc.kind()).isEqualTo(QualityRow.THEORY);
        assertThat(mmc.meanSojournNanos()).isEqualTo(
            ErlangC.meanWait(16, 8.0 / SimWorkload.MEAN_WORK, 1.0 / SimWorkload.MEAN_WORK) + SimWorkload.MEAN_WORK);
        assertThat(RoutingStrategies.names(LOADER)).contains("p3c");
    }
}
