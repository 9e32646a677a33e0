package dev.ringmaster.remote;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.dispatch.TaskResult;
import dev.ringmaster.dispatch.TerminalState;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.testing.Await;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** An attempt its host never answers, while the host keeps heartbeating, ends at the fleet's answer timeout. */
class AnswerDeadlineTest
{
    @Test
    void anAttemptTheHostNeverAnswersFailsAtTheAnswerTimeoutAndTheTaskEnds() throws Exception
    {
        final RemoteSettings settings = RemoteTesting.settings(RemoteTesting.freePort())
            .withAnswerTimeout(Duration.ofMillis(300));
        final Dispatcher dispatcher = RemoteFleet.placeholder(Dispatcher.builder()).build().start();
        // takes every task and never completes it: a hung agent, or an answer the host lost
        final AgentAdapter silent = (task, completion, telemetry) -> { };
        try (RemoteFleet fleet = RemoteFleet.start(dispatcher, settings, PayloadCodec.TEXT);
             AgentHost host = new AgentHost("mute", settings, PayloadCodec.TEXT,
                 List.of(Map.entry(AgentSpec.builder("a@mute", "work").build(), silent)), 0).start())
        {
            assertThat(fleet.awaitHosts(1, Duration.ofSeconds(20))).isTrue();
            Await.until("the remote agent added", () -> dispatcher.agents().size() == 2);

            // no task timeout: before the answer timeout nothing ever ended this attempt
            final TaskResult result = dispatcher.submitAsync(Task.builder("work").payload("x").maxRetries(0).build())
                .get(10, TimeUnit.SECONDS);
            assertThat(result.state()).isEqualTo(TerminalState.DEAD_LETTERED);
            assertThat(result.reason()).contains("agent host 'mute'").contains("did not answer")
                .contains("answerTimeout");
            assertThat(host.registered()).as("the host, still heartbeating, stays registered").isTrue();
            assertThat(fleet.stats().hostsLost()).isZero();
            assertThat(fleet.stats().unanswered()).isEqualTo(1);
        }
        finally
        {
            dispatcher.shutdownNow();
        }
    }
}
