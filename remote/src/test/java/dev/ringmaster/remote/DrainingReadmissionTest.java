package dev.ringmaster.remote;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.dispatch.DispatcherState;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.Completion;
import dev.ringmaster.testing.Await;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A draining dispatcher admits no new host, but takes back one it admitted before that dropped out for a moment (a
 * GC pause past the silence timeout), so the tasks of its type are not left waiting until the drain times out.
 */
class DrainingReadmissionTest
{
    @Test
    void aHostAdmittedBeforeTheDrainIsAdmittedAgainAfterBeingGivenUpWhileANewOneIsRefused() throws Exception
    {
        final RemoteSettings settings = RemoteTesting.settings(RemoteTesting.freePort());
        final AtomicReference<Completion> held = new AtomicReference<>();
        // holds its one task, so that the drain below cannot end and the dispatcher stays draining
        final Dispatcher dispatcher = RemoteFleet.placeholder(Dispatcher.builder())
            .agent(AgentSpec.builder("holder", "hold").build(), (task, completion, telemetry) -> held.set(completion))
            .build().start();
        try (RemoteFleet fleet = RemoteFleet.start(dispatcher, settings, PayloadCodec.TEXT);
             AgentHost host = new AgentHost("paused", settings, PayloadCodec.TEXT,
                 RemoteTesting.agents("paused", 1, 4, Duration.ofMillis(1)), 0).start())
        {
            assertThat(host.awaitRegistered(Duration.ofSeconds(20))).isTrue();
            dispatcher.submitAsync(Task.builder("hold").payload("x").build());
            Await.until("the local agent holds its task", () -> held.get() != null);
            assertThat(dispatcher.drain(Duration.ofMillis(1))).as("the drain waits for the held task").isFalse();
            assertThat(dispatcher.state()).isEqualTo(DispatcherState.DRAINING);

            host.mute(true);
            Await.until("the silent host given up", Duration.ofSeconds(10), () -> fleet.stats().hostsLost() == 1);
            host.mute(false);
            Await.until("the host admitted again", Duration.ofSeconds(20),
                () -> fleet.stats().hostsAdmitted() == 2 && host.registered() || host.refusal() != null);
            assertThat(host.refusal()).as("the host's refusal").isNull();
            Await.until("its agent back in the dispatcher", Duration.ofSeconds(10),
                () -> dispatcher.agents().stream().anyMatch(a -> a.id().equals("w0@paused")));

            try (AgentHost newcomer = new AgentHost("newcomer", settings, PayloadCodec.TEXT,
                RemoteTesting.agents("newcomer", 1, 4, Duration.ofMillis(1)), 0).start())
            {
                assertThatThrownBy(() -> newcomer.awaitRegistered(Duration.ofSeconds(20)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("draining");
            }
        }
        finally
        {
            if (held.get() != null)
            {
                held.get().succeed("done");
            }
            dispatcher.shutdownNow();
        }
    }
}
