package dev.ringmaster.remote;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.dispatch.TaskResult;
import dev.ringmaster.dispatch.TerminalState;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.Completion;
import dev.ringmaster.testing.Await;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A host the dispatcher gave up, whole, hears no CANCEL for the attempts it was running: the dispatcher failed every
 * one of them. When the host registers again it drops them itself, so they hold neither slots nor their payloads,
 * and answers each as failed, which this dispatcher counts as a late completion.
 */
class GivenUpHostCancelTest
{
    @Test
    void aHostThatRegistersAgainAfterBeingGivenUpCancelsTheAttemptsItWasRunning() throws Exception
    {
        final RemoteSettings settings = RemoteTesting.settings(RemoteTesting.freePort());
        final Dispatcher dispatcher = RemoteFleet.placeholder(Dispatcher.builder()).build().start();
        final RemoteTesting.HoldsFirst holdsFirst = new RemoteTesting.HoldsFirst();
        final AtomicReference<Completion> held = holdsFirst.held;
        try (RemoteFleet fleet = RemoteFleet.start(dispatcher, settings, PayloadCodec.TEXT);
             AgentHost host = new AgentHost("paused", settings, PayloadCodec.TEXT,
                 List.of(Map.entry(AgentSpec.builder("a@paused", "work").capacity(2).build(), holdsFirst)), 0).start())
        {
            assertThat(host.awaitRegistered(Duration.ofSeconds(20))).isTrue();
            Await.until("the remote agent added", () -> dispatcher.agents().size() == 2);
            final CompletableFuture<TaskResult> hung = dispatcher.submitAsync(
                Task.builder("work").payload("hold").maxRetries(0).build());
            Await.until("the host running the held task", () -> host.inFlight("a@paused") == 1);

            host.mute(true);
            assertThat(hung.get(10, TimeUnit.SECONDS).state()).as("the held task, its host given up")
                .isEqualTo(TerminalState.DEAD_LETTERED);
            host.mute(false);
            Await.until("the host registered again", Duration.ofSeconds(20),
                () -> fleet.stats().hostsAdmitted() == 2 && host.registered());
            Await.until("the host dropped the given-up attempt", Duration.ofSeconds(10),
                () -> host.inFlight("a@paused") == 0);
            // its failure answer, sent in case the dispatcher had not given it up, finds the attempt failed already
            Await.until("the host's answer for the dropped attempt counted late", Duration.ofSeconds(10),
                () -> fleet.stats().lateCompletions() == 1);

            final TaskResult next = dispatcher.submitAsync(Task.builder("work").payload("next").maxRetries(0).build())
                .get(10, TimeUnit.SECONDS);
            assertThat(next.result()).isEqualTo("ran next");
        }
        finally
        {
            dispatcher.shutdownNow();
        }
    }
}
