package dev.ringmaster.tools;

import dev.ringmaster.admin.AdminServer;
import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.AgentFactory;
import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.Completion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed's operator requests that need task and fleet-size operations, as {@code ringmaster admin} commands in
 * process through picocli against an {@link AdminServer} started here: delegate, follow, cancel, requeue, purge,
 * scale, and the audit of what was done.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AdminTaskCommandsTest
{
    private static final String TOKEN = "t0ken-tasks";
    private static final Pattern ID = Pattern.compile("task (\\d+) accepted");

    /** Attempts whose payload is "hold", until the test releases them; filled by worker threads. */
    private final BlockingQueue<Completion> held = new LinkedBlockingQueue<>();
    /** Answers at once with the payload, holds "hold", fails "poison". */
    private final AgentAdapter echo = (task, completion, telemetry) ->
    {
        final Object payload = task.task().payload();
        if ("poison".equals(payload))
        {
            completion.fail(new IllegalStateException("poison (test)"));
        }
        else if ("hold".equals(payload))
        {
            held.add(completion);
        }
        else
        {
            completion.succeed("echo: " + payload, 42, 0.9);
        }
    };
    private Dispatcher dispatcher;
    private AdminServer server;

    @BeforeEach
    void start()
    {
        dispatcher = Dispatcher.builder().strategy("least-connections").prefetch(0).workers(2)
            .agent(AgentSpec.builder("coder-1", "coder").capacity(1).build(), echo)
            .agent(AgentSpec.builder("reviewer-1", "reviewer").capacity(1).build(), echo)
            .agentFactory(new AgentFactory()
            {
                @Override
                public String type()
                {
                    return "coder";
                }

                @Override
                public AgentSpec spec(final String id)
                {
                    return AgentSpec.builder(id, "coder").capacity(1).build();
                }

                @Override
                public AgentAdapter create(final AgentSpec spec)
                {
                    return echo;
                }
            })
            .build().start();
        server = AdminServer.builder(dispatcher).port(0).token(TOKEN).start();
    }

    @AfterEach
    void stop()
    {
        server.close();
        Completion c;
        while ((c = held.poll()) != null)
        {
            c.succeed("released");
        }
        dispatcher.shutdownNow();
        dispatcher.awaitTermination(Duration.ofSeconds(5));
    }

    @Test
    void aDelegatedTaskIsAnsweredAndFollowedById()
    {
        final DemoCommandTest.Run answered = admin("submit", "--type", "coder", "--priority", "high", "--payload",
            "fix the build", "--wait", "5");
        assertThat(answered.exitCode()).as(answered.err()).isZero();
        assertThat(answered.out()).contains("COMPLETED by coder-1", "echo: fix the build");

        final DemoCommandTest.Run queued = admin("submit", "--type", "coder", "--payload", "hold", "--tenant", "team-a");
        assertThat(queued.exitCode()).as(queued.err()).isZero();
        final long id = id(queued.out());
        assertThat(admin("task", "--id", String.valueOf(id)).out()).contains("task " + id + " is with agent 'coder-1'");

        final DemoCommandTest.Run refused = admin("submit", "--type", "painter");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("error: task", "UNKNOWN_AGENT_TYPE", "painter", "fix: use one of the types");
        final DemoCommandTest.Run unable = admin("submit", "--type", "coder", "--skill", "admin-test-cobol");
        assertThat(unable.exitCode()).isEqualTo(1);
        // worded for an operator: the embedding API's advice ("submitOrThrow's exception says which") means nothing here
        assertThat(unable.err()).contains("NO_CAPABLE_AGENT", "admin-test-cobol", "'ringmaster admin add-agent'")
            .doesNotContain("submitOrThrow", "start() first");

        final DemoCommandTest.Run noToken = DemoCommandTest.run("admin", "--url", server.url(), "submit", "--type", "coder");
        assertThat(noToken.exitCode()).isEqualTo(1);
        assertThat(noToken.err()).contains("needs the admin token");
    }

    @Test
    void aWaitingTaskIsCancelledAndADeadLetterRequeuedThenPurged() throws Exception
    {
        admin("submit", "--type", "coder", "--payload", "hold");
        awaitTrue(() -> held.size() == 1);
        final long waiting = id(admin("submit", "--type", "coder", "--payload", "hold").out());
        assertThat(admin("task", "--id", String.valueOf(waiting)).out()).contains("is waiting");

        final DemoCommandTest.Run cancel = admin("cancel", "--task", String.valueOf(waiting));
        assertThat(cancel.exitCode()).as(cancel.err()).isZero();
        assertThat(cancel.out()).contains("cancelled before it started");
        final DemoCommandTest.Run again = admin("cancel", "--task", String.valueOf(waiting));
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("task " + waiting + " is not live", "already ended CANCELLED");

        final DemoCommandTest.Run poison = admin("submit", "--type", "reviewer", "--payload", "poison", "--wait", "5");
        assertThat(poison.exitCode()).as("a task that ends without an answer fails the command").isEqualTo(1);
        assertThat(poison.err()).contains("ended DEAD_LETTERED", "poison (test)", "fix: ", "requeue --task");
        final long dead = dispatcher.deadLetters().get(0).task().id();

        final DemoCommandTest.Run requeue = admin("requeue", "--task", String.valueOf(dead));
        assertThat(requeue.exitCode()).as(requeue.err()).isZero();
        assertThat(requeue.out()).contains("requeued task " + dead);
        awaitTrue(() -> dispatcher.metrics().deadLettered() == 2);

        final DemoCommandTest.Run purge = admin("purge-dead-letters");
        assertThat(purge.exitCode()).as(purge.err()).isZero();
        assertThat(purge.out()).contains("purged 1 dead letter" + System.lineSeparator());
        assertThat(dispatcher.deadLetters()).isEmpty();
        final DemoCommandTest.Run gone = admin("requeue", "--task", String.valueOf(dead));
        assertThat(gone.exitCode()).isEqualTo(1);
        assertThat(gone.err()).contains("no dead letter has task id " + dead, "fix: 'ringmaster admin dead-letters' lists the task ids");
    }

    @Test
    void theHintForATaskThatEndedWithoutAnAnswerIsACommandThatWorksForItsEnd() throws Exception
    {
        admin("submit", "--type", "coder", "--payload", "hold");
        awaitTrue(() -> held.size() == 1);
        final DemoCommandTest.Run expired = admin("submit", "--type", "coder", "--ttl", "0.2", "--wait", "5");
        assertThat(expired.exitCode()).as(expired.out()).isEqualTo(1);
        assertThat(expired.err()).contains("ended EXPIRED", "requeue --task");
        final Matcher hinted = Pattern.compile("'ringmaster admin (requeue --task \\d+)'").matcher(expired.err());
        assertThat(hinted.find()).as(expired.err()).isTrue();
        final DemoCommandTest.Run requeued = admin(hinted.group(1).split(" "));
        assertThat(requeued.exitCode()).as("the hinted command works: %s", requeued.err()).isZero();

        final DemoCommandTest.Run longTtl = admin("submit", "--type", "coder", "--ttl", "7200");
        assertThat(longTtl.exitCode()).as("the CLI takes the endpoint's ttl range: %s", longTtl.err()).isZero();

        // a cancelled task is no dead letter: requeue would answer "no dead letter has task id"
        assertThat(AdminTaskCommands.afterEnd(7, "CANCELLED")).doesNotContain("requeue").contains("admin submit");
        assertThat(AdminTaskCommands.afterEnd(7, "DEAD_LETTERED")).contains("requeue --task 7");
    }

    @Test
    void aTaskStillUnderWayWhenTheWaitRunsOutExitsThreeNotOne() throws Exception
    {
        final DemoCommandTest.Run running = admin("submit", "--type", "coder", "--payload", "hold", "--wait", "0.3");
        assertThat(running.exitCode()).as("still running: a script asks again later; 1 means refused or failed")
            .isEqualTo(AdminCommand.EXIT_STILL_PENDING);
        // "assigned" or, on a loaded machine that has not placed it yet, "waiting": either way still under way
        assertThat(running.err()).contains("is still ", "after 0.3 s", "fix: follow it with 'ringmaster admin task --id");
        awaitTrue(() -> held.size() == 1);

        final DemoCommandTest.Run waiting = admin("--json", "submit", "--type", "coder", "--wait", "0.2");
        assertThat(waiting.exitCode()).isEqualTo(AdminCommand.EXIT_STILL_PENDING);
        assertThat(waiting.out()).contains("\"state\":\"waiting\"");
        assertThat(DemoCommandTest.run("admin", "submit", "--help").out()).contains("3 still waiting or running");
    }

    @Test
    void everyCommandThatTakesATaskIdTakesItAsTaskOrAsId() throws Exception
    {
        admin("submit", "--type", "coder", "--payload", "hold");
        awaitTrue(() -> held.size() == 1);
        final long waiting = id(admin("submit", "--type", "coder", "--payload", "hold").out());

        final DemoCommandTest.Run found = admin("task", "--task", String.valueOf(waiting));
        assertThat(found.exitCode()).as(found.err()).isZero();
        assertThat(found.out()).contains("task " + waiting + " is waiting");
        final DemoCommandTest.Run moved = admin("reprioritize", "--id", String.valueOf(waiting), "--priority", "high");
        assertThat(moved.exitCode()).as(moved.err()).isZero();
        assertThat(moved.out()).contains("task " + waiting + " moved to the new priority (HIGH)");
        final DemoCommandTest.Run cancel = admin("cancel", "--id", String.valueOf(waiting));
        assertThat(cancel.exitCode()).as(cancel.err()).isZero();
        assertThat(cancel.out()).contains("cancelled before it started");

        final DemoCommandTest.Run poison = admin("submit", "--type", "reviewer", "--payload", "poison", "--wait", "5");
        assertThat(poison.exitCode()).isEqualTo(1);
        final long dead = dispatcher.deadLetters().get(0).task().id();
        final DemoCommandTest.Run requeue = admin("requeue", "--id", String.valueOf(dead));
        assertThat(requeue.exitCode()).as(requeue.err()).isZero();
        assertThat(requeue.out()).contains("requeued task " + dead);

        for (final String command : List.of("task", "cancel", "reprioritize", "requeue"))
        {
            final DemoCommandTest.Run help = DemoCommandTest.run("admin", command, "--help");
            assertThat(help.exitCode()).isZero();
            assertThat(help.out()).as(command).contains("--id, --task=ID");
            final DemoCommandTest.Run missing = DemoCommandTest.run("admin", command);
            assertThat(missing.exitCode()).isEqualTo(2);
            assertThat(missing.err()).as(command).contains("--task");
        }
    }

    @Test
    void scaleAddsAgentsFromTheFactoryAndTheAuditShowsEveryChange() throws Exception
    {
        final DemoCommandTest.Run up = admin("scale", "--type", "coder", "--agents", "3");
        assertThat(up.exitCode()).as(up.err()).isZero();
        assertThat(up.out()).contains("type 'coder': 1 -> 3 agents; added coder-2, coder-3");
        assertThat(AdminText.count(1, "agent")).as("never '1 agents'").isEqualTo("1 agent");
        assertThat(coders()).hasSize(3);

        final DemoCommandTest.Run down = admin("scale", "--type", "coder", "--agents", "2");
        assertThat(down.exitCode()).as(down.err()).isZero();
        assertThat(down.out()).contains("draining coder-3");
        awaitTrue(() -> coders().size() == 2);

        final DemoCommandTest.Run noFactory = admin("scale", "--type", "reviewer", "--agents", "2");
        assertThat(noFactory.exitCode()).isEqualTo(1);
        assertThat(noFactory.err()).contains("has no agent factory", "fix: ");

        final DemoCommandTest.Run audit = admin("audit");
        assertThat(audit.exitCode()).as(audit.err()).isZero();
        assertThat(audit.out()).containsPattern("127\\.0\\.0\\.1:\\d+\\s+POST\\s+/types/coder/scale\\s+200 done")
            .containsPattern("/types/reviewer/scale\\s+409 agent type 'reviewer' has no agent factory")
            .contains("3 changes kept, the last 3 shown");
        assertThat(admin("audit", "--limit", "1").out()).as("a shortened list says so").contains("3 changes kept, the last 1 shown");
    }

    private List<String> coders()
    {
        return dispatcher.agents().stream().filter(a -> a.spec().type().equals("coder")).map(AgentView::id).toList();
    }

    private static long id(final String out)
    {
        final Matcher m = ID.matcher(out);
        assertThat(m.find()).as("an id in: %s", out).isTrue();
        return Long.parseLong(m.group(1));
    }

    private DemoCommandTest.Run admin(final String... args)
    {
        final List<String> argv = new ArrayList<>(List.of("admin", "--url", server.url(), "--token", TOKEN));
        argv.addAll(List.of(args));
        return DemoCommandTest.run(argv.toArray(String[]::new));
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
