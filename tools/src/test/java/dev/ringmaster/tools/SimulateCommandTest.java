package dev.ringmaster.tools;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.ringmaster.tools.DemoCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/** `simulate` refuses a strategy list with nothing in it, instead of silently running every strategy. */
class SimulateCommandTest
{
    @ParameterizedTest
    @ValueSource(strings = {",,", ",", "least-connections,,p2c"})
    void anEmptyStrategyNameIsAUsageErrorThatNamesTheFix(final String list)
    {
        final DemoCommandTest.Run run = run("simulate", "--strategies", list, "--tasks", "100");
        assertThat(run.exitCode()).as("exit code; stderr: %s", run.err()).isEqualTo(2);
        assertThat(run.err()).contains("--strategies needs strategy names separated by commas",
            "leave the option out to run all of", "least-connections");
    }
}
