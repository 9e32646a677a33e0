package dev.ringmaster.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code demo} stopped by SIGTERM (what Ctrl-C in a container, {@code docker stop} or {@code kill} sends) stops
 * submitting, drains what it accepted and still prints its summary, in a child JVM: a signal's shutdown hook is the only
 * place the summary can come from then, and an operator who stops a long run wants to know what happened to it.
 */
class DemoSignalTest
{
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void sigtermDrainsWhatWasAcceptedAndPrintsTheSummary(@TempDir final Path dir) throws Exception
    {
        final Path out = dir.resolve("out.json");
        final Path err = dir.resolve("err.txt");
        final Process demo = ChildCli.start(out, err, "demo", "--tasks", "5000000", "--json"); // minutes of work
        try
        {
            // signal once tasks flow: the producers log their start on stderr just before they submit
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.readString(err).contains("dispatching") && demo.isAlive() && System.nanoTime() < deadline)
            {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
            assertThat(demo.isAlive()).as("demo still running when signalled; stderr: %s", Files.readString(err)).isTrue();
            // most runs get tasks in flight by then; a loaded machine may signal before the first, which must hold too
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(300));
            demo.destroy(); // SIGTERM on Linux and macOS
            assertThat(demo.waitFor(90, TimeUnit.SECONDS)).as("demo exited within 90 s of SIGTERM").isTrue();
        }
        finally
        {
            demo.destroyForcibly();
        }

        assertThat(demo.exitValue()).as("128 + SIGTERM, as a shell reports a signalled run").isEqualTo(143);
        final JsonNode summary = new ObjectMapper().readTree(out.toFile());
        assertThat(summary.has("interrupted_after")).as("the summary says the run was interrupted: %s", summary).isTrue();
        assertThat(summary.path("interrupted_after").asLong()).as("tasks submitted before the signal")
            .isBetween(0L, 4_999_999L);
        final long accepted = summary.path("accepted").asLong();
        assertThat(summary.path("lost").asLong()).as("every accepted task reached an end").isZero();
        assertThat(summary.path("completed").asLong() + summary.path("dead_lettered").asLong() +
            summary.path("expired").asLong() + summary.path("cancelled").asLong()).isEqualTo(accepted);
    }
}
