package dev.ringmaster.tools;

import dev.ringmaster.dispatch.CancelOutcome;
import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.journal.Journal;
import dev.ringmaster.journal.JournalConfig;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentAdapter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.ringmaster.tools.DemoCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ringmaster audit} of a task the dispatcher's shutdown cancelled before it finished: recovery runs it again, so the
 * audit must not tell the reader that it ended.
 */
class AuditShutdownCancelTest
{
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aTaskTheShutdownCancelledIsShownAsStillOpenForRecoveryAndAnOperatorsCancelAsEnded() throws Exception
    {
        final CountDownLatch started = new CountDownLatch(1);
        final CompletableFuture<Object> first = new CompletableFuture<>();
        try (Journal journal = Journal.open(JournalConfig.at(dir)))
        {
            final Dispatcher d = Dispatcher.builder().listener(journal.listener()).seed(7).workers(1)
                .agent(AgentSpec.builder("coder-0", "coder").capacity(1).build(), AgentAdapter.async(t ->
                {
                    started.countDown();
                    return first; // holds the only slot: the later tasks wait
                }))
                .build().start();
            d.submit(Task.builder("coder").id(100).payload("runs").build(), Duration.ofSeconds(5));
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            d.submit(Task.builder("coder").id(101).payload("waits").build(), Duration.ofSeconds(5));
            d.submit(Task.builder("coder").id(200).payload("the operator cancels it").build(), Duration.ofSeconds(5));
            assertThat(d.cancel(200).get(10, TimeUnit.SECONDS)).isEqualTo(CancelOutcome.CANCELLED);
            assertThat(d.shutdownNow()).extracting(Task::id).containsExactly(101L);
            first.complete("done");
            assertThat(d.awaitTermination(Duration.ofSeconds(10))).isTrue();
            d.close();
        }

        final DemoCommandTest.Run audit = run("audit", dir.toString(), "101");
        assertThat(audit.exitCode()).as("stderr: %s", audit.err()).isZero();
        assertThat(audit.out()).contains("CANCELLED", "task 101 ", "cancelled by the dispatcher's shutdown",
            "still open", "ringmaster recover " + dir);
        // the flag is also set for a task that had run, failed and waited for a retry: 'before it ran' would be wrong
        assertThat(audit.out()).contains("before it finished").doesNotContain("before it ran");

        final DemoCommandTest.Run operator = run("audit", dir.toString(), "200");
        assertThat(operator.exitCode()).as("stderr: %s", operator.err()).isZero();
        assertThat(operator.out()).contains("CANCELLED", "task 200 ")
            .doesNotContain("cancelled by the dispatcher's shutdown", "still open", "no end");
    }
}
