package dev.ringmaster.tools;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.dispatch.SubmitStatus;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** serve's drain that times out names why: the tasks of a paused type, of a type with no agent left. */
class StuckTasksTest
{
    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aTimedOutDrainNamesThePausedTypeAndTheTypeWithNoAgent() throws Exception
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
            assertThat(d.drain(Duration.ofMillis(300))).as("nothing runs the 5 tasks").isFalse();

            final String line = StuckTasks.timedOut(d, d.outstanding(), 30, Path.of("/var/j"));
            assertThat(line).startsWith("error: 5 task(s) still outstanding after 30 s; cancelling them: ")
                .contains("3 of type researcher, which is paused (resume it",
                    "2 of type translator, which has no agent", "they stay open in /var/j",
                    "'ringmaster recover /var/j'")
                .doesNotContain("coder");
            assertThat(StuckTasks.timedOut(d, 5, 30, null)).doesNotContain("journal", "recover");
        }
        finally
        {
            d.shutdownNow();
            d.awaitTermination(Duration.ofSeconds(10));
        }
    }
}
