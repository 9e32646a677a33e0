package dev.ringmaster.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A demo (or serve) whose --strategy failed every decision it was asked placed no task by that strategy: the user who
 * asked for it got none of its decisions, so the run fails (exit 1, "ok": false) and says which strategy and how many;
 * a strategy that failed only in its callbacks still decided, and the run stays ok.
 */
class DemoStrategyFailureTest
{
    @TempDir
    Path dir;

    private Path plugins() throws IOException
    {
        final Path plugins = Files.createDirectory(dir.resolve("plugins"));
        PluginsOptionTest.pluginJar(plugins.resolve("faulty.jar"), FaultyStrategies.Throws.class,
            FaultyStrategies.RouteThrows.class, FaultyStrategies.CallbackThrows.class, FaultyStrategies.Declines.class);
        return plugins;
    }

    @Test
    void aStrategyThatFailedEveryDecisionFailsTheJsonRunAndIsNamed() throws IOException
    {
        final DemoCommandTest.Run run = DemoCommandTest.run("demo", "--strategy", FaultyStrategies.Throws.NAME,
            "--plugins", plugins().toString(), "--tasks", "200", "--json");

        assertThat(run.exitCode()).as("stderr: %s", run.err()).isEqualTo(1);
        final Map<String, Object> json = DemoCommandTest.json(run);
        assertThat(json.get("ok")).isEqualTo(false);
        assertThat(json.get("lost")).as("every task still completed, by the built-in choice").isEqualTo(0);
        @SuppressWarnings("unchecked")
        final Map<String, Object> failure = (Map<String, Object>)json.get("strategy_failure");
        assertThat(failure).as("stdout: %s", run.out()).isNotNull();
        assertThat(failure.get("strategy")).isEqualTo(FaultyStrategies.Throws.NAME);
        assertThat(((Number)failure.get("decisions")).longValue()).isGreaterThanOrEqualTo(200);
        assertThat(failure.get("failed")).isEqualTo(failure.get("decisions"));
        assertThat(run.err()).contains("error: strategy '" + FaultyStrategies.Throws.NAME + "' failed every one of its ")
            .doesNotContain("failed its own checks");
        @SuppressWarnings("unchecked")
        final Map<String, Object> routing = (Map<String, Object>)json.get("routing");
        assertThat(routing.get("fallbacks")).isEqualTo(routing.get("decisions"));
        assertThat(((Number)routing.get("quarantines")).longValue()).isPositive();
        assertThat(((Number)routing.get("faults")).longValue()).isGreaterThanOrEqualTo(16);
    }

    @Test
    void serveEndsWithTheSameErrorAndExit1WhenItsStrategyFailedEveryDecision() throws IOException
    {
        // it drained and exited 0 with "served N tasks", every one placed by the fallback (a user's trial)
        final DemoCommandTest.Run run = DemoCommandTest.run("serve", "--strategy", FaultyStrategies.Throws.NAME,
            "--plugins", plugins().toString(), "--port", "0", "--duration", "1");

        assertThat(run.exitCode()).as("stdout: %s%nstderr: %s", run.out(), run.err()).isEqualTo(1);
        assertThat(run.out()).contains("served ");
        assertThat(run.err()).contains("error: strategy '" + FaultyStrategies.Throws.NAME + "' failed every one of its ");
    }

    @Test
    void theJournalAndItsAuditSayTheFallbackPlacedWhatAFailedStrategyDidNotDecide() throws IOException
    {
        // a user's trial: each record credited the quarantined plugin with the fallback's choice, and --explain
        // re-derived the plugin against the fallback ("0 of 3,063 assignments as recorded")
        final Path journal = dir.resolve("journal");
        final Path plugins = plugins();
        final DemoCommandTest.Run demo = DemoCommandTest.run("demo", "--strategy", FaultyStrategies.Throws.NAME,
            "--plugins", plugins.toString(), "--tasks", "300", "--journal", journal.toString());
        assertThat(demo.exitCode()).as("stderr: %s", demo.err()).isEqualTo(1);

        final DemoCommandTest.Run audit = DemoCommandTest.run("audit", journal.toString(), "5", "--explain",
            "--plugins", plugins.toString());
        assertThat(audit.exitCode()).as("stderr: %s", audit.err()).isZero();
        assertThat(audit.out()).contains("by " + FaultyStrategies.Throws.NAME + " (its decision failed: the built-in " +
                "fallback, fewest tasks in flight, chose the agent)")
            .contains("no decision of the strategy's to re-derive")
            .containsPattern("Not re-derived: [1-9][0-9,]* assignments the built-in fallback made")
            .contains("Re-derived over the whole journal: 0 of 0 assignments");
    }

    @Test
    void aVersion2StrategyWhoseRouteAlwaysThrowsFailsTheTextRunWithAPlainLine() throws IOException
    {
        final DemoCommandTest.Run run = DemoCommandTest.run("demo", "--strategy", FaultyStrategies.RouteThrows.NAME,
            "--plugins", plugins().toString(), "--tasks", "200");

        assertThat(run.exitCode()).as("stderr: %s", run.err()).isEqualTo(1);
        assertThat(run.out()).containsPattern("strategy '" + FaultyStrategies.RouteThrows.NAME + "' failed every one " +
            "of its [1-9][0-9,]* decisions")
            .containsPattern("quarantined [1-9][0-9,]* time\\(s\\), the built-in choice made [1-9][0-9,]* of its");
    }

    @Test
    void aStrategyWhoseCallbacksThrowButThatDecidesStaysOk() throws IOException
    {
        final DemoCommandTest.Run run = DemoCommandTest.run("demo", "--strategy", FaultyStrategies.CallbackThrows.NAME,
            "--plugins", plugins().toString(), "--tasks", "200", "--json");

        assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
        final Map<String, Object> json = DemoCommandTest.json(run);
        assertThat(json).containsEntry("ok", true).doesNotContainKey("strategy_failure");
        @SuppressWarnings("unchecked")
        final Map<String, Object> routing = (Map<String, Object>)json.get("routing");
        assertThat(((Number)routing.get("decisions")).longValue()).isGreaterThanOrEqualTo(200);
        assertThat(routing).containsEntry("fallbacks", 0).containsEntry("faults", 0).containsEntry("quarantines", 0);
        assertThat(((Number)routing.get("callback_faults")).longValue()).isPositive();
    }
    @Test
    void aShadowThatPicksNothingIsReportedWithoutANotANumber() throws IOException
    {
        final DemoCommandTest.Run run = DemoCommandTest.run("demo", "--shadow", FaultyStrategies.Throws.NAME,
            "--plugins", plugins().toString(), "--tasks", "200");

        assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
        assertThat(run.out()).contains("shadow " + FaultyStrategies.Throws.NAME + ": agreed on 0 of ")
            .contains("no regret estimated (the shadow picked no agent to compare").doesNotContain("NaN");
    }
    /**
     * A user's trial: a strategy that declines every task stalled the demo for its whole drain timeout, then failed
     * with "did not drain" and never named the strategy. Now the drain gives up once no task has ended for 15 s.
     */
    @Test
    void aStrategyThatDeclinesEveryTaskIsNamedAndTheStalledDrainGivesUp() throws IOException
    {
        final DemoCommandTest.Run run = DemoCommandTest.run("demo", "--strategy", FaultyStrategies.Declines.NAME,
            "--plugins", plugins().toString(), "--tasks", "200", "--json");

        assertThat(run.exitCode()).as("stderr: %s", run.err()).isEqualTo(1);
        final Map<String, Object> json = DemoCommandTest.json(run);
        assertThat(json.get("lost")).isEqualTo(0);
        @SuppressWarnings("unchecked")
        final Map<String, Object> failure = (Map<String, Object>)json.get("strategy_failure");
        assertThat(failure).as("stdout: %s", run.out()).isNotNull().containsEntry("placed_none", true);
        assertThat(run.err()).contains("error: strategy '" + FaultyStrategies.Declines.NAME + "' placed no task at all: " +
            "it declined every task");
    }
}
