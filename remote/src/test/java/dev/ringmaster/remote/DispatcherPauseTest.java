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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A dispatcher paused past the host's silence timeout (a long GC pause) reads the host's queued heartbeats and HELLO
 * before its own silence check, so it never gives the host up; the host, hearing nothing, has cancelled what it was
 * running all the same. The host's failure answers for those attempts must reach the dispatcher, which then retries
 * them at once instead of holding the agents' slots until the answer timeout (10 minutes).
 */
class DispatcherPauseTest
{
    @Test
    void attemptsTheHostCancelsWhileTheDispatcherIsPausedAreRetriedAtOnce() throws Exception
    {
        final RemoteSettings settings = RemoteTesting.settings(RemoteTesting.freePort());
        final Dispatcher dispatcher = RemoteFleet.placeholder(Dispatcher.builder()).build().start();
        // holds its first attempt (never answered), answers any later one at once
        final AgentAdapter holdsFirstAttempt = (task, completion, telemetry) ->
        {
            if (task.attempt() > 1)
            {
                completion.succeed("ran attempt " + task.attempt());
            }
        };
        try (RemoteFleet fleet = RemoteFleet.start(dispatcher, settings, PayloadCodec.TEXT);
             AgentHost host = new AgentHost("steady", settings, PayloadCodec.TEXT,
                 List.of(Map.entry(AgentSpec.builder("a@steady", "work").capacity(1).build(), holdsFirstAttempt)), 0)
                 .start())
        {
            assertThat(host.awaitRegistered(Duration.ofSeconds(20))).isTrue();
            Await.until("the remote agent added", () -> dispatcher.agents().size() == 2);
            final CompletableFuture<TaskResult> held = dispatcher.submitAsync(
                Task.builder("work").payload("held").maxRetries(1).build());
            Await.until("the host running the held attempt", () -> host.inFlight("a@steady") == 1);

            fleet.pause(true);
            Await.until("the host gave up on the paused dispatcher and cancelled its attempt", Duration.ofSeconds(20),
                () -> host.inFlight("a@steady") == 0 && !host.registered());
            fleet.pause(false);

            final TaskResult result = held.get(20, TimeUnit.SECONDS);
            assertThat(result.state()).as("the held task, retried after the host cancelled it: %s", result.reason())
                .isEqualTo(TerminalState.COMPLETED);
            assertThat(result.result()).isEqualTo("ran attempt 2");
            assertThat(fleet.stats().hostsLost()).as("the dispatcher never gave the host up").isZero();
            // the host's own view, which its next WELCOME and heartbeat set: they may come after the retried task
            assertThat(host.awaitRegistered(Duration.ofSeconds(20))).as("the host registered again").isTrue();
        }
        finally
        {
            dispatcher.shutdownNow();
        }
    }
}
