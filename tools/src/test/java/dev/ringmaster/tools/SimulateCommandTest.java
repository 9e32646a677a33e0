package dev.ringmaster.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.ringmaster.tools.DemoCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * `simulate` refuses a strategy list with nothing in it, instead of silently running every strategy; its progress
 * changes nothing that a pipe or --json receives.
 */
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

    @ParameterizedTest
    @ValueSource(strings = {"skill-mixed", "periodic", "all"})
    void tooFewAgentsForTheSkillsOfAScenarioIsAUsageErrorThatSaysHowMany(final String scenario)
    {
        // one agent of the skill-mixed fleet has 2 of the 4 skills: the tasks that need the other two never finished
        final DemoCommandTest.Run run = run("simulate", "--tasks", "5", "--scenario", scenario, "--agents", "1",
            "--strategies", "skill-based", "--loads", "0.5");
        assertThat(run.exitCode()).as("exit code; stderr: %s", run.err()).isEqualTo(2);
        assertThat(run.err()).startsWith("error: ").contains("--agents 1", "needs at least 3 agents",
            "every skill its tasks need", "give --agents 3 or more");
        assertThat(run.out()).as("nothing simulated").isEmpty();
    }

    @Test
    void theFewestAgentsThatHaveEverySkillAreEnough()
    {
        final DemoCommandTest.Run run = run("simulate", "--tasks", "200", "--scenario", "skill-mixed", "--agents", "3",
            "--strategies", "skill-based", "--loads", "0.5");
        assertThat(run.exitCode()).as("exit code; stderr: %s", run.err()).isZero();
    }

    @Test
    void tasksLeftUnfinishedAreAnErrorLineThatSaysWhichRunsAndWhy(
        @org.junit.jupiter.api.io.TempDir final java.nio.file.Path dir) throws java.io.IOException
    {
        PluginsOptionTest.pluginJar(dir.resolve("declines.jar"), FaultyStrategies.Declines.class);

        final DemoCommandTest.Run run = run("simulate", "--tasks", "50", "--scenario", "homogeneous", "--strategies",
            FaultyStrategies.Declines.NAME + ",round-robin", "--loads", "0.5", "--plugins", dir.toString());

        assertThat(run.exitCode()).as("exit code; stderr: %s", run.err()).isEqualTo(1);
        assertThat(run.err().lines().filter(l -> l.startsWith("error: ")).toList()).singleElement().asString()
            .contains("1 of 2 strategy runs left tasks unfinished", FaultyStrategies.Declines.NAME +
                " on homogeneous at 50%: 50 of 50 never finished", "(it declined ");
        assertThat(run.err()).doesNotContain("round-robin on");
    }

    @Test
    void aVersionTwoPluginIsSimulatedThroughItsRouteAsTheDispatcherRunsIt(
        @org.junit.jupiter.api.io.TempDir final java.nio.file.Path dir) throws java.io.IOException
    {
        // its select() works, its route() throws: the dispatcher calls route(), so the simulator must too
        PluginsOptionTest.pluginJar(dir.resolve("route.jar"), FaultyStrategies.RouteThrows.class);

        final DemoCommandTest.Run run = run("simulate", "--tasks", "50", "--scenario", "homogeneous", "--strategies",
            FaultyStrategies.RouteThrows.NAME, "--loads", "0.5", "--plugins", dir.toString());

        // exit 1, as replay --what-if and demo: the row ranks the fallback, not the strategy (it read 0)
        assertThat(run.exitCode()).as("exit code; stderr: %s", run.err()).isEqualTo(1);
        assertThat(run.err()).contains("error: 1 of 1 strategy runs had decisions fail", "partly the fallback's",
            FaultyStrategies.RouteThrows.NAME + " on homogeneous at 50%: 50 failed");
        assertThat(run.out().lines().filter(l -> l.startsWith("homogeneous") &&
            l.contains(FaultyStrategies.RouteThrows.NAME)).toList()).singleElement().asString()
            .endsWith("fallback's: 100% of decisions failed");
    }

    @Test
    void aRowWhoseStrategyFailedItsDecisionsSaysTheFiguresAreTheFallbacks(
        @org.junit.jupiter.api.io.TempDir final java.nio.file.Path dir) throws java.io.IOException
    {
        PluginsOptionTest.pluginJar(dir.resolve("throws.jar"), FaultyStrategies.Throws.class);

        final DemoCommandTest.Run run = run("simulate", "--tasks", "50", "--scenario", "homogeneous", "--strategies",
            FaultyStrategies.Throws.NAME + ",round-robin", "--loads", "0.5", "--plugins", dir.toString());

        assertThat(run.exitCode()).as("exit code; stderr: %s", run.err()).isEqualTo(1);
        assertThat(run.err()).contains("error: 1 of 2 strategy runs had decisions fail", "boom in select");
        // the table's rows, not the footer that counts the errors
        assertThat(run.out().lines().filter(l -> l.startsWith("homogeneous") && l.contains(FaultyStrategies.Throws.NAME))
            .toList()).singleElement().asString().endsWith("fallback's: 100% of decisions failed");
        assertThat(run.out().lines().filter(l -> l.startsWith("homogeneous") && l.contains("round-robin")).toList())
            .singleElement().asString().doesNotContain("fallback");
    }

    @Test
    void noProgressGoesIntoJsonOrIntoStderrThatIsNotATerminal()
    {
        assertThat(TerminalProgress.open("test", 3, true).drawn()).as("with --json").isFalse();
        try (TerminalProgress progress = TerminalProgress.open("test", 3, false))
        {
            assertThat(progress.drawn()).as("under the test runner, stderr is no terminal").isFalse();
            progress.step();
        }

        final DemoCommandTest.Run run = run("simulate", "--tasks", "200", "--strategies", "round-robin",
            "--scenario", "homogeneous", "--json");
        assertThat(run.exitCode()).as("exit code; stderr: %s", run.err()).isZero();
        assertThat(run.out().lines()).hasSize(1).allMatch(line -> line.startsWith("{") && line.endsWith("}"));
        assertThat(run.err().lines()).hasSize(1).allMatch(line -> line.matches("\\d+ runs simulated in [0-9.]+ s"));
    }

    @Test
    void theSupermarketRunsWithTheFleetOptionsAndPrintsItsReferences()
    {
        final DemoCommandTest.Run run = run("simulate", "--scenario", "supermarket", "--agents", "20", "--loads",
            "0.9", "--strategies", "random,p2c,p3c", "--tasks", "5000", "--json");
        assertThat(run.exitCode()).as("exit code; stderr: %s", run.err()).isZero();
        assertThat(run.out()).contains("\"strategy\":\"p3c\"", "\"meanSojournSeconds\"", "\"gini\"",
            "\"giniBusyTime\"", "\"kind\":\"strategy\"", "\"kind\":\"heuristic\"", "\"kind\":\"lower bound\"",
            "\"strategy\":\"supermarket-d2\"", "\"kind\":\"theory\"", "\"warmupTasks\":500",
            "20 agents x capacity 1, early binding, no stealing, Poisson arrivals, exp work");

        final DemoCommandTest.Run table = run("simulate", "--scenario", "homogeneous", "--agents", "4", "--capacity",
            "1", "--prefetch", "0", "--no-steal", "--burst", "3", "--period", "5", "--work", "pareto:2", "--loads",
            "0.7", "--strategies", "least-connections", "--tasks", "2000");
        assertThat(table.exitCode()).as("exit code; stderr: %s", table.err()).isZero();
        assertThat(table.out()).contains("gini/spd", "clairvoyant-jsq", "heuristic", "bound-own-time", "lower bound",
                "4 agents x capacity 1, late binding (prefetch 0), no stealing, on/off arrivals, pareto:2.0 work",
                "the first 200 (10%) a warm-up")
            .doesNotContain("mmc-central-queue"); // Pareto work and bursts: no M/M/c theory applies
    }

    @Test
    void randomOnTheSupermarketStartsStationaryUnlessToldOtherwise()
    {
        final DemoCommandTest.Run auto = run("simulate", "--scenario", "supermarket", "--agents", "20", "--loads",
            "0.9", "--strategies", "random,p2c", "--tasks", "2000", "--json");
        assertThat(auto.exitCode()).as("exit code; stderr: %s", auto.err()).isZero();
        assertThat(auto.out()).containsPattern("\"strategy\":\"random\"[^}]*\"start\":\"stationary\",\"initialTasks\":[1-9]")
            .containsPattern("\"strategy\":\"p2c\"[^}]*\"start\":\"empty\",\"initialTasks\":0")
            .contains("\"streamed\":false");

        final DemoCommandTest.Run empty = run("simulate", "--scenario", "supermarket", "--agents", "20", "--loads",
            "0.9", "--strategies", "random", "--tasks", "2000", "--start", "empty", "--json");
        assertThat(empty.exitCode()).as("exit code; stderr: %s", empty.err()).isZero();
        assertThat(empty.out()).doesNotContain("\"start\":\"stationary\"");

        final DemoCommandTest.Run refused = run("simulate", "--scenario", "supermarket", "--strategies", "p2c",
            "--tasks", "2000", "--start", "stationary");
        assertThat(refused.exitCode()).as("exit code; stderr: %s", refused.err()).isEqualTo(2);
        assertThat(refused.err()).contains("only for random routing", "use the default start (auto) or empty",
            "(for --start)");

        final DemoCommandTest.Run typo = run("simulate", "--start", "steady", "--tasks", "100");
        assertThat(typo.exitCode()).isEqualTo(2);
        assertThat(typo.err()).contains("unknown start 'steady'; use auto (the default), empty or stationary");
    }

    @Test
    void predictiveAddsARowWithPreRoutingAfterEachStrategy()
    {
        final DemoCommandTest.Run run = run("simulate", "--scenario", "periodic", "--strategies", "skill-based",
            "--predictive", "--loads", "0.8", "--tasks", "3000");
        assertThat(run.exitCode()).as("exit code; stderr: %s", run.err()).isZero();
        final java.util.List<String> rows = run.out().lines().filter(l -> l.startsWith("periodic ")).toList();
        assertThat(rows.get(0)).contains("skill-based ");
        assertThat(rows.get(1)).contains("skill-based+predictive");
    }
}
