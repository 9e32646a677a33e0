package dev.ringmaster.tools;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.dispatch.TaskResult;
import dev.ringmaster.journal.Journal;
import dev.ringmaster.journal.JournalConfig;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.ringmaster.tools.DemoCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code audit DIR TASK_ID --explain} on a task that was retried: each attempt has its own assignment and its own
 * decision, and the user asking why the task ended on the second agent must be shown that decision, not only the
 * first. The journal is written by a real dispatcher: agent a fails every task, b finishes it.
 */
class AuditExplainAttemptsTest
{
    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aRetriedTaskIsExplainedAttemptByAttemptEachWithTheAgentItWentTo() throws Exception
    {
        final Path dir = tmp.resolve("journal");
        final long task = 7;
        try (Journal journal = Journal.open(JournalConfig.at(dir)))
        {
            // round-robin from agent 'a': the first attempt goes to a, which fails it; the retry goes to b
            final Dispatcher dispatcher = Dispatcher.builder()
                .strategy("round-robin")
                .seed(3)
                .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(2))
                .listener(journal.listener())
                .agent(AgentSpec.builder("a", "t").capacity(1).build(),
                    (t, completion, telemetry) -> completion.fail(new IllegalStateException("a fails everything")))
                .agent(AgentSpec.builder("b", "t").capacity(1).build(),
                    (t, completion, telemetry) -> completion.succeed("done by b"))
                .build()
                .start();
            try
            {
                final CompletableFuture<TaskResult> result =
                    dispatcher.submitAsync(Task.builder("t").id(task).maxRetries(3).build());
                result.get(20, TimeUnit.SECONDS);
                assertThat(dispatcher.drain(Duration.ofSeconds(20))).isTrue();
            }
            finally
            {
                dispatcher.shutdownNow();
                dispatcher.awaitTermination(Duration.ofSeconds(10));
            }
        }

        final DemoCommandTest.Run history = run("audit", dir.toString(), Long.toString(task));
        assertThat(history.exitCode()).as("audit stderr: %s", history.err()).isZero();
        assertThat(history.out()).as("the journal holds both attempts").contains("attempt 1", "attempt 2", " on a",
            " on b");

        final DemoCommandTest.Run explained = run("audit", dir.toString(), Long.toString(task), "--explain");
        assertThat(explained.exitCode()).as("audit stderr: %s", explained.err()).isZero();
        final String out = explained.out();
        final int first = out.indexOf("Why task 7 (attempt 1) went to a");
        final int second = out.indexOf("Why task 7 (attempt 2) went to b");
        assertThat(first).as(out).isNotNegative();
        assertThat(second).as("the retry's decision, after the first's: %s", out).isGreaterThan(first);
        // each attempt's own provenance and re-derivation under its own heading, not the first one's repeated
        assertThat(out.substring(first, second)).contains("winner        a", "picks a, as recorded");
        final int summary = out.indexOf("Re-derived over the whole journal");
        assertThat(summary).as(out).isGreaterThan(second);
        assertThat(out.substring(second, summary)).contains("strategy      round-robin", "winner        b",
            "picks b, as recorded").doesNotContain("winner        a");
    }
}
