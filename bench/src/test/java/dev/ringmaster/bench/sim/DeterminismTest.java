package dev.ringmaster.bench.sim;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The same seed gives the byte-identical table; another seed gives another; every strategy finishes every task. */
class DeterminismTest
{
    private static final ClassLoader LOADER = DeterminismTest.class.getClassLoader();

    @Test
    void sameSeedGivesTheSameTable()
    {
        final List<String> strategies = SimulationSuite.allStrategies(LOADER);
        final List<Scenario> scenarios = List.of(Scenario.values());
        final List<QualityRow> first = SimulationSuite.run(7, 1_500, strategies, scenarios, SimulationSuite.LOADS, LOADER, false);
        final List<QualityRow> second = SimulationSuite.run(7, 1_500, strategies, scenarios, SimulationSuite.LOADS, LOADER, false);

        assertThat(QualityTable.table(second)).isEqualTo(QualityTable.table(first));
        assertThat(QualityTable.health(second)).isEqualTo(QualityTable.health(first));
        assertThat(first.stream().filter(r -> QualityRow.STRATEGY.equals(r.kind())))
            .hasSize(scenarios.size() * SimulationSuite.LOADS.length * strategies.size());
        assertThat(first.stream().filter(r -> ClairvoyantBaseline.NAME.equals(r.strategy())))
            .hasSize(scenarios.size() * SimulationSuite.LOADS.length)
            .allSatisfy(r -> assertThat(r.kind()).isEqualTo(QualityRow.HEURISTIC));
        for (final QualityRow row : first)
        {
            assertThat(row.completed()).as("%s on %s at %s finished every task", row.strategy(), row.scenario(), row.load())
                .isEqualTo(row.tasks());
        }
    }

    @Test
    void anotherSeedGivesAnotherTable()
    {
        final List<String> strategies = List.of("random", "least-connections");
        final List<Scenario> scenarios = List.of(Scenario.SPEEDS);
        final String seven = QualityTable.table(
            SimulationSuite.run(7, 1_000, strategies, scenarios, SimulationSuite.LOADS, LOADER, false));
        final String eight = QualityTable.table(
            SimulationSuite.run(8, 1_000, strategies, scenarios, SimulationSuite.LOADS, LOADER, false));

        assertThat(eight).isNotEqualTo(seven);
    }

    @Test
    void workloadIsAPureFunctionOfItsArguments()
    {
        for (final Scenario scenario : Scenario.values())
        {
            final SimWorkload a = scenario.workload(3, 0.8, 500);
            final SimWorkload b = scenario.workload(3, 0.8, 500);
            for (int i = 0; i < a.size(); i++)
            {
                assertThat(b.arrival(i)).isEqualTo(a.arrival(i));
                assertThat(b.work(i)).isEqualTo(a.work(i));
                assertThat(b.domain(i)).isEqualTo(a.domain(i));
                assertThat(b.skills(i)).isEqualTo(a.skills(i));
            }
        }
    }
}
