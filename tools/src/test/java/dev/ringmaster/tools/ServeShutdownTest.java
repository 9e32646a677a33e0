package dev.ringmaster.tools;

import dev.ringmaster.dispatch.DispatcherState;
import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.dispatch.SubmitStatus;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * serve's shutdown hook ends the JVM with serve's exit code after a signal, not with 128 + the signal; serve's drain
 * that times out names why (the tasks of a paused type, of a type with no agent left) once, in serve's words.
 */
class ServeShutdownTest
{
    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void aSignalWhoseDrainTimedOutExitsOneAndACleanOneZero()
    {
        assertThat(haltAfterSignal(1)).as("the drain timed out: exit 1, as serve --help says").containsExactly(1);
        assertThat(haltAfterSignal(0)).as("a clean drain: exit 0").containsExactly(0);
    }

    /** @return the codes the hook halted with once serving ended with {@code code}. */
    private static List<Integer> haltAfterSignal(final int code)
    {
        final CountDownLatch stop = new CountDownLatch(1);
        final CountDownLatch finished = new CountDownLatch(1);
        final AtomicInteger exitCode = new AtomicInteger(-1);
        final List<Integer> halted = new ArrayList<>();
        final ServeShutdown hook = new ServeShutdown(stop, finished, exitCode, () -> { }, halted::add);
        // serving ended before the hook waits: the hook must still stop the serving and use the code
        exitCode.set(code);
        finished.countDown();
        hook.run();
        assertThat(stop.getCount()).as("the hook stops the serving").isZero();
        return halted;
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aTimedOutDrainNamesThePausedTypeAndTheTypeWithNoAgentOnceInServesWords() throws Exception
    {
        final Dispatcher d = Dispatcher.builder().seed(7)
            .agent(AgentSpec.builder("researcher-1", "researcher").build(), (t, c, tel) -> c.succeed("ok"))
            .agent(AgentSpec.builder("translator-1", "translator").build(), (t, c, tel) -> c.succeed("ok"))
            .agent(AgentSpec.builder("coder-1", "coder").build(), (t, c, tel) -> c.succeed("ok"))
            .build().start();
        try
        {
            d.pauseType("researcher").get(5, TimeUnit.SECONDS);
            d.pauseType("translator").get(5, TimeUnit.SECONDS);
            for (int i = 0; i < 3; i++)
            {
                assertThat(d.submit(Task.builder("researcher").payload("r").build())).isEqualTo(SubmitStatus.ACCEPTED);
            }
            for (int i = 0; i < 2; i++)
            {
                assertThat(d.submit(Task.builder("translator").payload("t").build())).isEqualTo(SubmitStatus.ACCEPTED);
            }
            d.removeAgent("translator-1").get(5, TimeUnit.SECONDS);
            d.resumeType("translator").get(5, TimeUnit.SECONDS);

            final StringWriter err = new StringWriter();
            final boolean[] drained = {true};
            final String logged = logsOf(() -> drained[0] = ServeShutdown.drain(d, new PrintWriter(err, true),
                Duration.ofMillis(300), Path.of("/var/j")));
            assertThat(drained[0]).as("nothing runs the 5 tasks").isFalse();
            assertThat(d.state()).as("cancelled after the error").isGreaterThanOrEqualTo(DispatcherState.STOPPING);
            final String said = err.toString();
            assertThat(said).contains("note: the drain waits up to 300 ms for tasks that cannot run now: ",
                    "3 of type researcher, which is paused (resume it: 'ringmaster admin resume --type researcher'",
                    "2 of type translator, which has no agent (its agents were drained or removed",
                    "error: 5 task(s) still outstanding after 300 ms; cancelling them",
                    "they stay open in /var/j", "'ringmaster recover /var/j'")
                .doesNotContain("coder");
            assertThat(count(said, "3 of type researcher")).as("the causes are said once: " + said).isEqualTo(1);
            assertThat(logged).as("the dispatcher's own warning would say them again, in API terms")
                .doesNotContain("drain did not finish", "resumeType(");
        }
        finally
        {
            d.shutdownNow();
            d.awaitTermination(Duration.ofSeconds(10));
        }
    }

    @Test
    void theErrorLineNamesTheCausesWhenTheNoteDidNotOrTheyChanged()
    {
        final String causes = "2 of type translator, which has no agent (...)";
        assertThat(ServeShutdown.timedOut(5, Duration.ofSeconds(30), causes, "", null))
            .isEqualTo("error: 5 task(s) still outstanding after 30 s; cancelling them: " + causes);
        assertThat(ServeShutdown.timedOut(5, Duration.ofSeconds(30), causes, causes, null))
            .isEqualTo("error: 5 task(s) still outstanding after 30 s; cancelling them, the ones the note above names");
        assertThat(ServeShutdown.timedOut(5, Duration.ofSeconds(30), "", "", null))
            .isEqualTo("error: 5 task(s) still outstanding after 30 s; cancelling them")
            .doesNotContain("journal", "recover");
    }

    private static int count(final String text, final String part)
    {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1))
        {
            n++;
        }
        return n;
    }

    /** @return what {@code action} logged (slf4j-simple writes to System.err, looked up at each write). */
    static String logsOf(final Runnable action)
    {
        final PrintStream stderr = System.err;
        final ByteArrayOutputStream logs = new ByteArrayOutputStream();
        System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
        try
        {
            action.run();
        }
        finally
        {
            System.setErr(stderr);
        }
        return logs.toString(StandardCharsets.UTF_8);
    }
}
