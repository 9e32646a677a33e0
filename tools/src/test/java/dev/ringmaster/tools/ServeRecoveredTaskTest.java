package dev.ringmaster.tools;

import dev.ringmaster.admin.AdminClient;
import dev.ringmaster.journal.Journal;
import dev.ringmaster.journal.JournalConfig;
import dev.ringmaster.model.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A task a killed serve left open is dispatched again when serve starts on its journal; an operator asking the new
 * endpoint for it by id gets its end, as for a task submitted through it, not "no task ... is kept here".
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ServeRecoveredTaskTest
{
    @TempDir
    Path dir;

    @Test
    void getTaskAnswersWithTheEndOfATaskRecoveredOnStart() throws Exception
    {
        final Path journal = dir.resolve("journal");
        try (Journal writer = Journal.open(JournalConfig.at(journal).payloadCodec(WorkCodec.INSTANCE)))
        {
            // accepted by the run that was killed, never finished
            assertThat(writer.recordRecovered(Task.builder("coder").id(7).payload(new Workload.Work(1_000_000L, false))
                .build(), "in flight")).isTrue();
        }
        assertThat(RecoverCommandTest.openIn(journal, WorkCodec.INSTANCE)).isEqualTo(1);

        final ServeInThread serve = ServeInThread.start("serve", "--port", "0", "--journal", journal.toString(),
            "--duration", "6", "--rate", "100", "--token", "t0ken");
        assertThat(serve.err()).contains("recovered 1 task(s) left open");
        final AdminClient client = serve.client("t0ken");
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);

        AdminClient.Response r = client.get("/tasks/7");
        while (!(r.status() == 200 && r.body().path("state").asText().equals("COMPLETED")))
        {
            assertThat(System.nanoTime() - deadline).as("GET /tasks/7 tells the recovered task's end within 30 s; " +
                "last answer %s %s", r.status(), r.body()).isNegative();
            assertThat(r.status()).as("the task is known while it waits or runs, and after: %s", r.body()).isEqualTo(200);
            Thread.sleep(50);
            r = client.get("/tasks/7");
        }
        assertThat(r.body().path("agent").asText()).startsWith("coder-");

        assertThat(serve.exitCode(40)).as("serve's exit code; stderr: %s", serve.err()).isZero();
    }
}
