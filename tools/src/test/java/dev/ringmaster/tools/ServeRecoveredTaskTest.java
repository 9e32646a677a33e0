package dev.ringmaster.tools;

import dev.ringmaster.admin.AdminClient;
import dev.ringmaster.journal.Journal;
import dev.ringmaster.journal.JournalConfig;
import dev.ringmaster.model.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final var cmd = RingmasterCli.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        final AtomicReference<Integer> code = new AtomicReference<>();
        final Thread serve = new Thread(() -> code.set(cmd.execute("serve", "--port", "0", "--journal",
            journal.toString(), "--duration", "6", "--rate", "100", "--token", "t0ken")));
        serve.start();
        final Pattern urlLine = Pattern.compile("admin endpoint: (http://127\\.0\\.0\\.1:\\d+)");
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!urlLine.matcher(out.toString()).find() && serve.isAlive())
        {
            assertThat(System.nanoTime() - deadline).as("serve started within 30 s; stderr: %s", err).isNegative();
            Thread.sleep(20);
        }
        final Matcher m = urlLine.matcher(out.toString());
        assertThat(m.find()).as("serve started; stderr: %s", err).isTrue();
        assertThat(err.toString()).contains("recovered 1 task(s) left open");
        final AdminClient client = new AdminClient(m.group(1), "t0ken", Duration.ofSeconds(10));

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

        serve.join(TimeUnit.SECONDS.toMillis(40));
        assertThat(serve.isAlive()).isFalse();
        assertThat(code.get()).as("serve's exit code; stderr: %s", err).isZero();
    }
}
