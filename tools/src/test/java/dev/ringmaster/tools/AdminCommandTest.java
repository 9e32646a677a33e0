package dev.ringmaster.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringmaster.admin.AdminServer;
import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Priority;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.Completion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ringmaster admin ...} in-process through picocli against an {@link AdminServer} started here over a real
 * dispatcher, and {@code ringmaster serve} end to end.
 */
class AdminCommandTest
{
    private static final String TOKEN = "t0ken";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Completions of the agents' attempts, held until the test releases them; filled by worker threads. */
    private final BlockingQueue<Completion> held = new LinkedBlockingQueue<>();
    private final AgentAdapter holding = (task, completion, telemetry) ->
    {
        if ("poison".equals(task.task().payload()))
        {
            completion.fail(new IllegalStateException("poison (test)"));
        }
        else
        {
            held.add(completion);
        }
    };
    private Dispatcher dispatcher;
    private AdminServer server;

    @BeforeEach
    void start()
    {
        dispatcher = Dispatcher.builder()
            .strategy("least-connections")
            .prefetch(0)
            .workers(2)
            .agent(AgentSpec.builder("coder-1", "coder").capacity(2).build(), holding)
            .agent(AgentSpec.builder("coder-2", "coder").capacity(2).build(), holding)
            .agent(AgentSpec.builder("reviewer-1", "reviewer").capacity(1).build(), holding)
            .build()
            .start();
        server = AdminServer.builder(dispatcher).port(0).token(TOKEN).adapters(spec -> holding)
            .drainWait(Duration.ofSeconds(5)).publicReads(true).start();
    }

    @AfterEach
    void stop()
    {
        server.close();
        releaseAll();
        dispatcher.shutdownNow();
        dispatcher.awaitTermination(Duration.ofSeconds(5));
    }

    // ---------------------------------------------------------------- reads

    @Test
    void readCommandsPrintTables() throws Exception
    {
        for (int i = 0; i < 5; i++)
        {
            dispatcher.submitOrThrow(Task.builder("coder").build());
        }
        dispatcher.submitOrThrow(Task.builder("reviewer").maxRetries(0).payload("poison").build());
        awaitTrue(() -> held.size() == 4 && dispatcher.deadLetters().size() == 1);

        final DemoCommandTest.Run status = admin("status");
        assertThat(status.exitCode()).as(status.err()).isZero();
        assertThat(status.out()).contains("state        running", "accepted 6", "outstanding 5", "dead-lettered 1",
            "coder 2", "overloaded   coder-1, coder-2");

        final DemoCommandTest.Run depth = admin("queue-depth");
        assertThat(depth.exitCode()).as(depth.err()).isZero();
        assertThat(depth.out()).contains("TYPE", "CRITICAL", "PAUSED").containsPattern("coder\\s+no\\s+0\\s+0\\s+1\\s+0\\s+1");

        final DemoCommandTest.Run agents = admin("agents");
        assertThat(agents.exitCode()).as(agents.err()).isZero();
        assertThat(agents.out()).contains("AGENT", "IN-FLIGHT QUEUED", "reviewer-1", "overloaded: coder-1, coder-2")
            .containsPattern("coder-1\\s+coder\\s+2\\s+2\\s+0\\s+1\\.00 .*OVERLOADED");

        final DemoCommandTest.Run distribution = admin("distribution");
        assertThat(distribution.exitCode()).as(distribution.err()).isZero();
        assertThat(distribution.out()).contains("TOKENS", "gini:", "coder-2");

        final DemoCommandTest.Run dead = admin("dead-letters");
        assertThat(dead.exitCode()).as(dead.err()).isZero();
        assertThat(dead.out()).contains("1 dead letter kept, the last 1 shown", "after 1 attempt, last on", "(reviewer, MEDIUM) DEAD_LETTERED", "poison (test)");
    }

    @Test
    void jsonPrintsTheServersAnswerAndOptionsWorkAfterTheCommandToo() throws Exception
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final var cmd = RingmasterCli.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));

        final int code = cmd.execute("admin", "status", "--url", server.url(), "--json");

        assertThat(code).as(err.toString()).isZero();
        final JsonNode status = JSON.readTree(out.toString());
        assertThat(status.path("state").asText()).isEqualTo("running");
        assertThat(status.path("agents").asInt()).isEqualTo(3);
    }

    // ---------------------------------------------------------------- changes

    @Test
    void pauseAndResumeChangeTheDispatcher() throws Exception
    {
        final DemoCommandTest.Run pause = admin("--token", TOKEN, "pause", "--type", "coder");
        assertThat(pause.exitCode()).as(pause.err()).isZero();
        assertThat(pause.out()).contains("paused type 'coder'");
        assertThat(dispatcher.types()).containsEntry("coder", true);

        dispatcher.submitOrThrow(Task.builder("coder").build());
        awaitTrue(() -> dispatcher.queueDepthByType().get("coder").get(Priority.MEDIUM) == 1);
        assertThat(admin("queue-depth").out()).containsPattern("coder\\s+yes\\s+0\\s+0\\s+1\\s+0\\s+1");

        final DemoCommandTest.Run resume = admin("--token", TOKEN, "resume", "--type", "coder");
        assertThat(resume.exitCode()).as(resume.err()).isZero();
        assertThat(resume.out()).contains("resumed type 'coder': 1 waiting task is");
        assertThat(dispatcher.types()).containsEntry("coder", false);
        awaitTrue(() -> held.size() == 1);
    }

    @Test
    void drainRemovesTheAgentOnceItsTaskFinishes() throws Exception
    {
        dispatcher.submitOrThrow(Task.builder("coder").build());
        awaitTrue(() -> held.size() == 1);
        final String busy = busyCoder();
        final AtomicReference<DemoCommandTest.Run> drain = new AtomicReference<>();
        final Thread t = new Thread(() -> drain.set(admin("--token", TOKEN, "drain", "--agent", busy)));
        t.start();
        // released only once the agent is seen draining: the command is then waiting for the task, as the test means
        awaitTrue(() -> dispatcher.agents().stream().anyMatch(a -> a.id().equals(busy) && a.draining()));
        assertThat(t.isAlive()).as("the drain waits for the running task").isTrue();
        releaseAll();
        joined(t, 10);

        assertThat(drain.get().exitCode()).as(drain.get().err()).isZero();
        assertThat(drain.get().out()).contains("drained agent", "left the fleet");
        assertThat(dispatcher.agents()).hasSize(2);
        assertThat(dispatcher.metrics().completed()).isEqualTo(1);

        final DemoCommandTest.Run idle = admin("--token", TOKEN, "drain", "--agent", "reviewer-1", "--wait", "0");
        assertThat(idle.exitCode()).as(idle.err()).isZero();
    }

    @Test
    void drainingTheLastAgentOfATypeWithTasksWaitingWarnsAndResumeDoesNotClaimThemDispatched() throws Exception
    {
        dispatcher.pauseType("reviewer").get(5, TimeUnit.SECONDS);
        dispatcher.submitOrThrow(Task.builder("reviewer").build());
        awaitTrue(() -> dispatcher.queueDepthByType().get("reviewer").values().stream().mapToLong(Long::longValue).sum() == 1);

        final DemoCommandTest.Run drain = admin("--token", TOKEN, "drain", "--agent", "reviewer-1", "--wait", "5");
        assertThat(drain.exitCode()).as("the drain was done: %s", drain.err()).isZero();
        assertThat(drain.out()).contains("left the fleet");
        assertThat(drain.err()).contains("warning: type 'reviewer' has no agent that can take a task now",
            "1 waiting task(s) wait until one is added", "admin add-agent --type reviewer");

        final DemoCommandTest.Run resume = admin("--token", TOKEN, "resume", "--type", "reviewer");
        assertThat(resume.exitCode()).as(resume.err()).isZero();
        assertThat(resume.out()).contains("no agent of it can take a task").doesNotContain("dispatched in queue order");
        assertThat(resume.err()).contains("warning: type 'reviewer' has no agent");

        final DemoCommandTest.Run coderDrain = admin("--token", TOKEN, "drain", "--agent", "coder-1", "--wait", "5");
        assertThat(coderDrain.err()).as("coder-2 still takes coder tasks").doesNotContain("warning");
    }

    @Test
    void drainThatOutlastsTheWaitSaysTheAgentIsStillDraining() throws Exception
    {
        dispatcher.submitOrThrow(Task.builder("reviewer").build());
        awaitTrue(() -> held.size() == 1);

        final DemoCommandTest.Run drain = admin("--token", TOKEN, "drain", "--agent", "reviewer-1", "--wait", "0.1");

        assertThat(drain.exitCode()).as(drain.err()).isZero();
        assertThat(drain.out()).contains("agent 'reviewer-1' is draining");
        assertThat(admin("agents").out()).containsPattern("reviewer-1 .*DRAINING");
        releaseAll();
        awaitTrue(() -> dispatcher.agents().size() == 2);
    }

    @Test
    void addAgentAddsItWithItsSkills() throws Exception
    {
        final DemoCommandTest.Run add = admin("--token", TOKEN, "add-agent", "--id", "coder-9", "--type", "coder",
            "--capacity", "3", "--skill", "java=0.9", "--skill", "sql=0.6");

        assertThat(add.exitCode()).as(add.err()).isZero();
        assertThat(add.out()).contains("added agent 'coder-9'", "capacity 3");
        final AgentView added = dispatcher.agents().get(3);
        assertThat(added.id()).isEqualTo("coder-9");
        assertThat(added.capacity()).isEqualTo(3);
        assertThat(added.spec().proficiency()).containsEntry("java", 0.9).containsEntry("sql", 0.6);

        final DemoCommandTest.Run duplicate = admin("--token", TOKEN, "add-agent", "--id", "coder-9", "--type", "coder");
        assertThat(duplicate.exitCode()).isEqualTo(1);
        assertThat(duplicate.err()).contains("duplicate agent id 'coder-9'", "fix:");

        final DemoCommandTest.Run typo = admin("--token", TOKEN, "add-agent", "--id", "tester-1", "--type", "tseter");
        assertThat(typo.exitCode()).isEqualTo(1);
        assertThat(typo.err()).contains("unknown agent type 'tseter'", "new_type");
        final DemoCommandTest.Run created = admin("--token", TOKEN, "add-agent", "--id", "tester-1", "--type", "tester",
            "--new-type");
        assertThat(created.exitCode()).as(created.err()).isZero();
        assertThat(dispatcher.types()).containsKey("tester");
    }

    @Test
    void reprioritizeMovesAWaitingTaskAndRefusesARunningOne() throws Exception
    {
        dispatcher.pauseType("coder").get(5, TimeUnit.SECONDS);
        final Task task = Task.builder("coder").priority(Priority.LOW).build();
        dispatcher.submitOrThrow(task);
        awaitTrue(() -> dispatcher.queueDepthByType().get("coder").get(Priority.LOW) == 1);

        final DemoCommandTest.Run moved = admin("--token", TOKEN, "reprioritize", "--task", String.valueOf(task.id()),
            "--priority", "critical");
        assertThat(moved.exitCode()).as(moved.err()).isZero();
        assertThat(moved.out()).contains("task " + task.id() + " moved to the new priority (CRITICAL)");
        assertThat(dispatcher.queueDepthByType().get("coder").get(Priority.CRITICAL)).isEqualTo(1);

        dispatcher.resumeType("coder").get(5, TimeUnit.SECONDS);
        awaitTrue(() -> held.size() == 1);
        final DemoCommandTest.Run running = admin("--token", TOKEN, "reprioritize", "--task", String.valueOf(task.id()),
            "--priority", "LOW");
        assertThat(running.exitCode()).isEqualTo(1);
        assertThat(running.err()).contains("already running");
    }

    // ---------------------------------------------------------------- errors

    @Test
    void anUnknownTypeOrAgentExits1WithTheServersMessage()
    {
        final DemoCommandTest.Run type = admin("--token", TOKEN, "pause", "--type", "codr");
        assertThat(type.exitCode()).isEqualTo(1);
        assertThat(type.err()).contains("error: unknown agent type 'codr'", "coder", "reviewer",
            "fix: use one of the known types; 'ringmaster admin queue-depth' lists them");

        final DemoCommandTest.Run agent = admin("--token", TOKEN, "drain", "--agent", "a7");
        assertThat(agent.exitCode()).isEqualTo(1);
        assertThat(agent.err()).contains("error: unknown agent 'a7'", "coder-1", "coder-2", "reviewer-1")
            .contains("fix: use one of the known agents; 'ringmaster admin agents' lists them");
        assertThat(dispatcher.types()).containsEntry("coder", false);
    }

    @Test
    void aSecondPauseSaysTheTypeWasAlreadyPausedAndAResumeOfARunningTypeThatItWasNot() throws Exception
    {
        final DemoCommandTest.Run first = admin("--token", TOKEN, "pause", "--type", "coder");
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).startsWith("paused type 'coder'").doesNotContain("already");

        final DemoCommandTest.Run again = admin("--json", "--token", TOKEN, "pause", "--type", "coder");
        assertThat(again.exitCode()).as(again.err()).isZero();
        final JsonNode body = JSON.readTree(again.out());
        assertThat(body.path("paused").asBoolean()).isTrue();
        assertThat(body.path("changed").asBoolean(true)).as(again.out()).isFalse();
        assertThat(body.path("was_paused").asBoolean()).isTrue();
        assertThat(admin("--token", TOKEN, "pause", "--type", "coder").out())
            .startsWith("type 'coder' was already paused").contains("nothing changed");

        final DemoCommandTest.Run resumed = admin("--json", "--token", TOKEN, "resume", "--type", "coder");
        assertThat(JSON.readTree(resumed.out()).path("changed").asBoolean()).as(resumed.out()).isTrue();
        final DemoCommandTest.Run notPaused = admin("--token", TOKEN, "resume", "--type", "coder");
        assertThat(notPaused.exitCode()).as(notPaused.err()).isZero();
        assertThat(notPaused.out()).startsWith("type 'coder' was not paused").contains("nothing changed")
            .doesNotContain("resumed");
        assertThat(dispatcher.types()).containsEntry("coder", false);
    }

    @Test
    void jsonPrintsTheServersAnswerToARefusalOnStdoutAndTheErrorOnStderr() throws Exception
    {
        final DemoCommandTest.Run missing = admin("--json", "task", "--id", "5");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).startsWith("error: ");
        final JsonNode body = JSON.readTree(missing.out());
        assertThat(body.path("error").asText()).as(missing.out()).isNotEmpty();
        assertThat(missing.err()).contains(body.path("error").asText());

        final DemoCommandTest.Run type = admin("--json", "--token", TOKEN, "pause", "--type", "codr");
        assertThat(type.exitCode()).isEqualTo(1);
        assertThat(JSON.readTree(type.out()).path("error").asText()).contains("unknown agent type 'codr'");
        assertThat(type.err()).contains("error: unknown agent type 'codr'");
    }

    @Test
    void aBadTokenExits1WithTheFixAndChangesNothing()
    {
        final DemoCommandTest.Run wrong = admin("--token", "wrong", "pause", "--type", "coder");
        assertThat(wrong.exitCode()).isEqualTo(1);
        assertThat(wrong.err().strip())
            .isEqualTo("error: the admin token was refused; pass --token or --token-file, or set RINGMASTER_ADMIN_TOKEN");

        final DemoCommandTest.Run none = admin("drain", "--agent", "coder-1");
        assertThat(none.exitCode()).isEqualTo(1);
        assertThat(none.err()).contains("needs the admin token", "--token", "RINGMASTER_ADMIN_TOKEN");

        assertThat(dispatcher.types()).containsEntry("coder", false);
        assertThat(dispatcher.agents()).hasSize(3);
    }

    @Test
    void theTokenCanComeFromAPrivateFileAndAFileOthersCanReadIsRefused(
        @org.junit.jupiter.api.io.TempDir final java.nio.file.Path dir) throws Exception
    {
        final java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("token"), TOKEN + "\n");
        java.nio.file.Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));

        final DemoCommandTest.Run pause = admin("--token-file", file.toString(), "pause", "--type", "coder");
        assertThat(pause.exitCode()).as(pause.err()).isZero();
        assertThat(dispatcher.types()).containsEntry("coder", true);

        java.nio.file.Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        final DemoCommandTest.Run shared = admin("--token-file", file.toString(), "resume", "--type", "coder");
        assertThat(shared.exitCode()).isEqualTo(2);
        assertThat(shared.err()).contains("--token-file " + file + " can be read by other users", "chmod 600");
        assertThat(dispatcher.types()).containsEntry("coder", true);
    }

    @Test
    void nothingListeningExits1WithHowToStartIt() throws Exception
    {
        final int port;
        try (ServerSocket free = new ServerSocket(0))
        {
            port = free.getLocalPort();
        }
        final String url = "http://127.0.0.1:" + port;

        final DemoCommandTest.Run run = DemoCommandTest.run("admin", "--url", url, "status");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("error: nothing is listening at " + url + "; start it with ./ringmaster serve");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "pause",
        "pause --type",
        "drain",
        "reprioritize --task 5",
        "reprioritize --task 5 --priority URGENT",
        "reprioritize --task five --priority HIGH",
        "add-agent --id x",
        "add-agent --id x --type coder --skill java",
        "add-agent --id x --type coder --capacity 0",
        "drain --agent a --wait soon",
        "frobnicate",
        "status --url ftp://example.com",
        "status --colour"})
    void badFlagsExit2WithTheProblem(final String args)
    {
        final List<String> argv = new ArrayList<>(List.of("admin", "--url", server.url()));
        argv.addAll(List.of(args.split(" ")));

        final DemoCommandTest.Run run = DemoCommandTest.run(argv.toArray(String[]::new));

        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).startsWith("error: ");
        assertThat(dispatcher.types()).containsEntry("coder", false);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:99999", "http://127.0.0.1:65536", "http://localhost:0/"})
    void aUrlWithAPortOutOfRangeIsAUsageErrorThatSaysWhichPortsAreValid(final String url)
    {
        final DemoCommandTest.Run run = DemoCommandTest.run("admin", "--url", url, "status");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).startsWith("error: '" + url + "'")
            .contains("port from 1 to 65535", "give one such as http://127.0.0.1:7070", "for --url")
            .doesNotContain("port out of range:", "Exception");
    }

    @Test
    void withoutACommandAdminSaysWhatItCanDo()
    {
        final DemoCommandTest.Run run = DemoCommandTest.run("admin");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("missing admin command", "status", "queue-depth", "drain");
    }

    // ---------------------------------------------------------------- serve

    @Test
    void serveRunsAFleetThatAdminTalksToAndDrainsAtTheEndAndJournalsTheChanges(@org.junit.jupiter.api.io.TempDir
                                                                                   final java.nio.file.Path journal)
        throws Exception
    {
        final ServeInThread serve = ServeInThread.start("serve", "--port", "0", "--token", "s3cret", "--duration", "3",
            "--rate", "1000", "--seed", "5", "--journal", journal.toString());
        final String url = serve.url();
        assertThat(serve.out()).contains("admin token:    from --token").doesNotContain("s3cret");

        // the fleet is running and serving its load (a positive signal, where a pause would only hope so)
        final Pattern servedSome = Pattern.compile("completed [1-9]");
        awaitTrue(() -> servedSome.matcher(DemoCommandTest.run("admin", "--url", url, "--token", "s3cret", "status").out()).find());
        final DemoCommandTest.Run status = DemoCommandTest.run("admin", "--url", url, "--token", "s3cret", "status");
        assertThat(status.exitCode()).as(status.err()).isZero();
        assertThat(status.out()).contains("state        running", "coder 7", "reviewer 4", "researcher 4")
            .containsPattern("throughput   [0-9,]+ tasks/s over the last \\d+ s, [0-9,]+ since start");
        final DemoCommandTest.Run pause = DemoCommandTest.run("admin", "--url", url, "--token", "s3cret", "pause",
            "--type", "coder");
        assertThat(pause.exitCode()).as(pause.err()).isZero();
        assertThat(DemoCommandTest.run("admin", "--url", url, "--token", "s3cret", "queue-depth").out()).containsPattern("coder\\s+yes");
        assertThat(DemoCommandTest.run("admin", "--url", url, "--token", "s3cret", "resume", "--type", "coder")
            .exitCode()).isZero();
        final DemoCommandTest.Run add = DemoCommandTest.run("admin", "--url", url, "--token", "s3cret", "add-agent",
            "--id", "coder-8", "--type", "coder", "--capacity", "2", "--weight", "4", "--speed", "4", "--skill", "java=0.9");
        assertThat(add.exitCode()).as(add.err()).isZero();
        final DemoCommandTest.Run drain = DemoCommandTest.run("admin", "--url", url, "--token", "s3cret", "drain",
            "--agent", "coder-3");
        assertThat(drain.exitCode()).as(drain.err()).isZero();
        assertThat(DemoCommandTest.run("admin", "--url", url, "--token", "s3cret", "agents").out()).contains("coder-8").doesNotContain("coder-3 ");
        assertThat(DemoCommandTest.run("admin", "--url", url, "--token", "wrong", "pause", "--type", "coder").err())
            .contains("the admin token was refused");

        assertThat(serve.exitCode(60)).as("serve exit code; stderr: %s", serve.err()).isZero();
        assertThat(serve.out()).contains("draining:", "served ", "0 outstanding");

        // every change through the endpoint is in the journal: what, when, from where, how it ended
        final DemoCommandTest.Run audit = DemoCommandTest.run("audit", journal.toString(), "--admin");
        assertThat(audit.exitCode()).as(audit.err()).isZero();
        assertThat(audit.out()).containsPattern("ADMIN +POST /types/coder/pause from 127\\.0\\.0\\.1:\\d+: 200 done")
            .containsPattern("ADMIN +POST /types/coder/resume from .*: 200 done")
            .containsPattern("ADMIN +POST /agents from .*: 201 done")
            .containsPattern("ADMIN +POST /agents/coder-3/drain\\?wait=[0-9.]+ from .*: 200 done")
            .containsPattern("ADMIN +POST /types/coder/pause from .*: 401 ")
            .contains("5 admin changes");
        assertThat(DemoCommandTest.run("replay", journal.toString()).out()).contains("admin changes: 5");
    }

    // ---------------------------------------------------------------- helpers

    private DemoCommandTest.Run admin(final String... args)
    {
        final List<String> argv = new ArrayList<>(List.of("admin", "--url", server.url()));
        argv.addAll(List.of(args));
        return DemoCommandTest.run(argv.toArray(String[]::new));
    }

    /** @return the coder holding a task (least-connections may pick either). */
    private String busyCoder()
    {
        for (final AgentView v : dispatcher.agents())
        {
            if (v.inFlight() > 0)
            {
                return v.id();
            }
        }
        throw new AssertionError("no agent holds a task");
    }

    private void releaseAll()
    {
        Completion c;
        while ((c = held.poll()) != null)
        {
            c.succeed("released", 50, 0.9);
        }
    }

    private static void joined(final Thread t, final int seconds) throws InterruptedException
    {
        t.join(seconds * 1_000L);
        assertThat(t.isAlive()).as("thread '%s' still running after %d s", t.getName(), seconds).isFalse();
    }

    private static void awaitTrue(final BooleanSupplier condition) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean())
        {
            assertThat(System.nanoTime() - deadline).as("condition not met within 10 s").isNegative();
            Thread.sleep(5);
        }
    }
}
