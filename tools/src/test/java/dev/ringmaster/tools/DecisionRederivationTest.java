package dev.ringmaster.tools;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.ringmaster.tools.DemoCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code audit --explain} re-derives a journaled decision by replaying the journal on the pool it rebuilds: the
 * strategy, given the recorded random state, picks the recorded agent for nearly every assignment of a demo journal,
 * and every candidate is listed with the strategy's score for it.
 */
class DecisionRederivationTest
{
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"p2c", "least-connections"})
    void theReplayReDerivesNearlyEveryRecordedDecision(final String strategy)
    {
        final Path dir = tmp.resolve(strategy);
        assertThat(run("demo", "--tasks", "5000", "--seed", "5", "--strategy", strategy, "--journal", dir.toString(),
            "--durability", "acknowledged", "--json").exitCode()).isZero();

        final DecisionRederivation.Result result = DecisionRederivation.run(dir, -1, 1,
            getClass().getClassLoader());
        assertThat(result.problem()).isNull();
        assertThat(result.replayed()).as("every assignment of the 5,000 tasks, retries included")
            .isGreaterThanOrEqualTo(5000);
        // the exceptions are decisions whose inputs the journal does not carry exactly (see DecisionRederivation)
        assertThat((double)result.same() / result.replayed()).as("re-derived as recorded; differing: %s",
            result.differences()).isGreaterThanOrEqualTo(0.95);
        // a decision with one eligible agent re-derives itself: those with a choice are the test (how many there are
        // depends on how fast the producers fill the agents, so on the machine's load)
        assertThat(result.withChoice()).as("decisions with a choice of agents").isGreaterThanOrEqualTo(50);
        assertThat((double)result.sameWithChoice() / result.withChoice()).as("with a choice; differing: %s",
            result.differences()).isGreaterThanOrEqualTo(0.9);
    }

    @ParameterizedTest
    @ValueSource(strings = {"p2c", "least-connections"})
    void explainListsEveryCandidateWithItsScoreAndMarksTheWinner(final String strategy)
    {
        final Path dir = tmp.resolve(strategy);
        assertThat(run("demo", "--tasks", "300", "--seed", "3", "--strategy", strategy, "--journal", dir.toString(),
            "--durability", "acknowledged", "--json").exitCode()).isZero();

        // the first tasks find several agents with room; explain the first that had a choice
        for (int task = 0; task < 40; task++)
        {
            final DemoCommandTest.Run explained = run("audit", dir.toString(), Integer.toString(task), "--explain");
            assertThat(explained.exitCode()).as("audit stderr: %s", explained.err()).isZero();
            final String out = explained.out();
            final Matcher eligible = Pattern.compile("candidates +(\\d+) eligible in the rebuilt pool").matcher(out);
            assertThat(eligible.find()).as(out).isTrue();
            final int n = Integer.parseInt(eligible.group(1));
            if (n < 2)
            {
                continue;
            }
            final List<Double> scores = new ArrayList<>();
            final Matcher row = Pattern.compile("\\n    (\\S+) +(-?\\d+\\.\\d+) +(\\d+)/(\\d+)(.*)").matcher(out);
            String marked = null;
            while (row.find())
            {
                scores.add(Double.parseDouble(row.group(2)));
                if (row.group(5).contains("<- winner (recorded and re-derived)"))
                {
                    marked = row.group(1);
                }
            }
            assertThat(scores).as(out).hasSize(n);
            assertThat(scores).as("sorted, best first: %s", out).isSortedAccordingTo((a, b) -> Double.compare(b, a));
            final Matcher winner = Pattern.compile("winner +(\\S+) +score (-?\\d\\.\\d+)").matcher(out);
            assertThat(winner.find()).isTrue();
            assertThat(marked).as(out).isEqualTo(winner.group(1));
            if (strategy.equals("least-connections"))
            {
                // it takes the best score of all: the recorded score is the list's first
                assertThat(scores.get(0)).as(out).isEqualTo(Double.parseDouble(winner.group(2)));
            }
            assertThat(out).contains("Re-derived over the whole journal: ");
            return;
        }
        throw new AssertionError("no task among the first 40 had a choice of agents");
    }

    @org.junit.jupiter.api.Test
    void explainReDerivesTheDecisionsOfATaskRecordedAfterADamagedRecordAndStillReportsTheDamage() throws Exception
    {
        final Path damaged = WhatIfReplayTest.damagedCopy(tmp);
        final long before = WhatIfReplayTest.completedBeforeTheDamage(damaged);

        // the golden journal's last task, far after the damage
        final DecisionRederivation.Result result = DecisionRederivation.run(damaged, 399, 1, getClass().getClassLoader());
        assertThat(result.decisions()).as("task 399's decisions").isNotEmpty()
            .allSatisfy(d -> assertThat(d.problem()).isNull());
        assertThat(result.replayed()).as("assignments re-derived (%d tasks completed before the damage)", before)
            .isGreaterThan(before + 100);
        assertThat(result.damage()).singleElement().asString().contains("corrupt journal file", "at index 0x");

        final DemoCommandTest.Run explained = run("audit", damaged.toString(), "399", "--explain");
        assertThat(explained.exitCode()).as("damage still fails the audit").isEqualTo(1);
        assertThat(explained.out()).contains("task 399 ", "re-derived", "Re-derived over the whole journal",
            "damaged in 1 region(s)");
        assertThat(explained.err()).contains("corrupt journal file", "at index 0x");
    }
}
