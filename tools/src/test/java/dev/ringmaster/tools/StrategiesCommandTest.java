package dev.ringmaster.tools;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ringmaster strategies} lists every built-in strategy, one per line, name first, with its cost. */
class StrategiesCommandTest
{
    static final List<String> BUILT_IN = List.of("round-robin", "random", "least-connections", "weighted-round-robin",
        "least-tokens", "p2c", "peak-ewma", "consistent-hash", "bounded-load-hash", "skill-based", "resource-adaptive",
        "auction", "direct", "sticky", "shortest-expected-delay", "expected-completion");

    @Test
    void listsEveryStrategyWithItsCostPerDecision()
    {
        final DemoCommandTest.Run run = DemoCommandTest.run("strategies");

        assertThat(run.exitCode()).as("exit code; stderr: %s", run.err()).isZero();
        final List<String> names = new ArrayList<>();
        for (final String line : run.out().strip().split("\\R"))
        {
            names.add(line.split("\\s+")[0]);
            assertThat(line).as("a description with its cost per decision").containsPattern("\\S+\\s{2,}\\S.*O\\(");
        }
        assertThat(names).containsAll(BUILT_IN).doesNotHaveDuplicates().isSorted();
        assertThat(run.err()).isEmpty();
    }

    @Test
    void topLevelHelpListsStrategies()
    {
        assertThat(DemoCommandTest.run("--help").out()).contains("strategies");
    }
}
