package dev.ringmaster.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.ringmaster.tools.DemoCommandTest.json;
import static dev.ringmaster.tools.DemoCommandTest.num;
import static dev.ringmaster.tools.DemoCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code demo --shadow NAME} reports the shadow's agreement and regret, and {@code audit --explain} says why an agent
 * won, from the provenance the journal keeps with each assignment.
 */
class ShadowAndExplainTest
{
    @TempDir
    Path tmp;

    @Test
    @SuppressWarnings("unchecked")
    void aShadowThatIsTheLiveStrategyWithTheSameSeedAgreesEveryTime()
    {
        final DemoCommandTest.Run demo = run("demo", "--tasks", "3000", "--seed", "9", "--strategy", "p2c",
            "--shadow", "p2c", "--json");
        assertThat(demo.exitCode()).as("demo stderr: %s", demo.err()).isZero();
        final Map<String, Object> shadow = (Map<String, Object>)json(demo).get("shadow");
        assertThat(shadow.get("strategy")).isEqualTo("p2c");
        assertThat(num(shadow, "decisions")).isGreaterThanOrEqualTo(3000);
        assertThat(((Number)shadow.get("agreement")).doubleValue()).isEqualTo(1.0);
        assertThat(((Number)shadow.get("regretSeconds")).doubleValue()).isEqualTo(0.0);
        assertThat(num(shadow, "faults")).isZero();
    }

    @Test
    @SuppressWarnings("unchecked")
    void aDifferentShadowDisagreesSometimesAndItsRegretIsEstimated()
    {
        final DemoCommandTest.Run demo = run("demo", "--tasks", "3000", "--seed", "9", "--strategy",
            "least-connections", "--shadow", "p2c", "--json");
        assertThat(demo.exitCode()).as("demo stderr: %s", demo.err()).isZero();
        final Map<String, Object> shadow = (Map<String, Object>)json(demo).get("shadow");
        assertThat(((Number)shadow.get("agreement")).doubleValue()).isGreaterThan(0.0).isLessThan(1.0);
        assertThat(shadow.get("regretSeconds")).isInstanceOf(Number.class);
        assertThat(num(shadow, "regretSamples")).isPositive();
        assertThat(demo.err()).doesNotContain("shadow strategy");

        final DemoCommandTest.Run text = run("demo", "--tasks", "500", "--seed", "9", "--shadow", "p2c");
        assertThat(text.out()).contains("shadow p2c: agreed on ", "estimated regret");
    }

    @Test
    void auditExplainNamesTheCandidatesTheWinnerAndTheRunnerUpWithTheirScores()
    {
        final Path dir = tmp.resolve("journal");
        assertThat(run("demo", "--tasks", "500", "--seed", "3", "--strategy", "p2c", "--shadow", "least-connections",
            "--journal", dir.toString(), "--durability", "acknowledged", "--json").exitCode()).isZero();

        // under the demo's load most tasks find one agent with room; the first ones find several: explain the first
        // task that had a choice
        String out = "";
        Matcher candidates = null;
        boolean choice = false;
        for (int task = 0; task < 50; task++)
        {
            final DemoCommandTest.Run explained = run("audit", dir.toString(), Integer.toString(task), "--explain");
            assertThat(explained.exitCode()).as("audit stderr: %s", explained.err()).isZero();
            out = explained.out();
            assertThat(out).contains("Why task " + task + " (attempt 1) went to ", "p2c (decision rule version 1)",
                "shadow        least-connections would have picked ");
            candidates = Pattern.compile("candidates +(\\d+) eligible agents").matcher(out);
            if (candidates.find())
            {
                choice = true;
                break;
            }
        }
        assertThat(choice).as("a task with a choice among the first 50: %s", out).isTrue();
        assertThat(Integer.parseInt(candidates.group(1))).isBetween(2, 7);
        final Matcher winner = Pattern.compile("winner +(\\S+) +score (\\d\\.\\d+)").matcher(out);
        final Matcher runnerUp = Pattern.compile("runner-up +(\\S+) +score (\\d\\.\\d+)").matcher(out);
        assertThat(winner.find() && runnerUp.find()).as(out).isTrue();
        assertThat(runnerUp.group(1)).isNotEqualTo(winner.group(1));
        assertThat(Double.parseDouble(winner.group(2))).isGreaterThanOrEqualTo(Double.parseDouble(runnerUp.group(2)));
        assertThat(out).containsPattern("random state +0x[0-9a-f]{16}");

        final DemoCommandTest.Run range = run("audit", dir.toString(), "--from", "0", "--explain");
        assertThat(range.exitCode()).isEqualTo(2);
        assertThat(range.err()).contains("--explain explains one task's assignments");
    }

    @Test
    void aVersion2JournalIsStillAuditedAndSaysWhatItLacks() throws Exception
    {
        final Path golden = GoldenJournalTest.copyOfGoldenJournal(tmp);
        final DemoCommandTest.Run explained = run("audit", golden.toString(), "7", "--explain");
        assertThat(explained.exitCode()).as("audit stderr: %s", explained.err()).isZero();
        assertThat(explained.out()).contains("ACCEPTED", "Why task 7 (attempt 1) went to ",
            "written before decision provenance (journal layout version 3)");
    }
}
