package dev.ringmaster.tools;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ringmaster.admin.AdminClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code recover DIR} of a journal that {@code serve --config FILE} wrote: its tasks belong to the fleet the file
 * declares, not the demo's simulated one, so recover refuses (exit 2) and says how to recover it ({@code serve
 * --config FILE --journal DIR}); {@code --dry-run} still reports, and serve with the config takes the journal again.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RecoverServeConfigJournalTest
{
    @TempDir
    Path dir;

    @Test
    void aCleanServeConfigJournalRecoversToNothingAndServeTakesItAgain() throws Exception
    {
        final Path config = Files.writeString(dir.resolve("fleet.yaml"), String.join("\n",
            "types:",
            "  coder: {factory: echo, agents: 1}",
            ""));
        final Path journal = dir.resolve("journal");
        final String[] serve = {"serve", "--config", config.toString(), "--journal", journal.toString(), "--port", "0",
            "--token", "t", "--duration", "3"};
        serveOneTask(serve);

        // serve drained its task: nothing is open, so there is nothing to refuse (a script looping over journals
        // after a crash must not fail on a clean one)
        final DemoCommandTest.Run recover = DemoCommandTest.run("recover", journal.toString());
        assertThat(recover.exitCode()).as("stdout: %s; stderr: %s", recover.out(), recover.err()).isZero();
        assertThat(recover.out()).doesNotContain("dispatching");

        final DemoCommandTest.Run dryRun = DemoCommandTest.run("recover", journal.toString(), "--dry-run", "--json");
        assertThat(dryRun.exitCode()).as("stderr: %s", dryRun.err()).isZero();
        assertThat(DemoCommandTest.json(dryRun)).containsKey("payload_codec");

        final DemoCommandTest.Run again = DemoCommandTest.run(serve);
        assertThat(again.exitCode()).as("serve --config takes its journal again; stderr: %s", again.err()).isZero();
    }

    @Test
    void openTasksOfAServeConfigJournalAreReportedButNotDispatchedOnTheDemoFleet() throws Exception
    {
        final Path journal = dir.resolve("crashed");
        try (dev.ringmaster.journal.Journal writer = dev.ringmaster.journal.Journal.open(
            dev.ringmaster.journal.JournalConfig.at(journal).payloadCodec(WorkCodec.SERVE_CONFIG)))
        {
            // a task a serve --config run accepted and did not finish before it was killed
            assertThat(writer.recordRecovered(dev.ringmaster.model.Task.builder("coder").id(7).payload("a prompt")
                .build(), "in flight")).isTrue();
        }
        assertThat(RecoverCommandTest.openIn(journal, WorkCodec.SERVE_CONFIG)).isEqualTo(1);

        final DemoCommandTest.Run recover = DemoCommandTest.run("recover", journal.toString(), "--json");

        assertThat(recover.exitCode()).as("stdout: %s; stderr: %s", recover.out(), recover.err()).isEqualTo(1);
        assertThat(recover.err()).startsWith("error: recovery refused").contains("written by 'ringmaster serve --config",
            "1 open task(s)", "serve --config FILE --journal " + journal).doesNotContain("\tat ", "Exception");
        final java.util.Map<String, Object> json = DemoCommandTest.json(recover);
        assertThat(json).containsEntry("refused_for_serve_config", true).containsEntry("recovered", 0)
            .containsEntry("open", 1);
        assertThat(RecoverCommandTest.openIn(journal, WorkCodec.SERVE_CONFIG)).as("still open for serve").isEqualTo(1);
    }

    @Test
    void serveSaysWhichRecoveredTasksItRefusedAndWhy() throws Exception
    {
        final Path journal = dir.resolve("other-fleet");
        try (dev.ringmaster.journal.Journal writer = dev.ringmaster.journal.Journal.open(
            dev.ringmaster.journal.JournalConfig.at(journal).payloadCodec(WorkCodec.SERVE_CONFIG)))
        {
            // open in the journal of a fleet that had researchers; the one served now has none
            assertThat(writer.recordRecovered(dev.ringmaster.model.Task.builder("researcher").id(7).payload("find it")
                .build(), "in flight")).isTrue();
        }
        final Path config = Files.writeString(dir.resolve("coders.yaml"), String.join("\n",
            "types:",
            "  coder: {factory: echo, agents: 1}",
            ""));

        final DemoCommandTest.Run serve = DemoCommandTest.run("serve", "--config", config.toString(), "--journal",
            journal.toString(), "--port", "0", "--token", "t", "--duration", "1");

        assertThat(serve.err()).contains("recovered 0 task(s) left open in " + journal + "; 1 refused (they stay open " +
            "in the journal): task 7: UNKNOWN_AGENT_TYPE (this fleet has no type 'researcher': serve a --config that " +
            "declares it");
    }

    /** Runs serve until its --duration ends, with one task submitted over HTTP so that the journal holds records. */
    private static void serveOneTask(final String[] serve) throws Exception
    {
        final ServeInThread run = ServeInThread.start(serve);
        final AdminClient client = run.client("t");
        final AdminClient.Response r = client.post("/tasks",
            JsonNodeFactory.instance.objectNode().put("type", "coder").put("payload", "ping"));
        assertThat(r.status()).as(r.body().toString()).isEqualTo(202);
        assertThat(run.exitCode(30)).as("serve exit code; stderr: %s", run.err()).isZero();
    }
}
