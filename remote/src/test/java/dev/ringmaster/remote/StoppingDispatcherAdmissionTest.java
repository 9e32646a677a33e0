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

/** A dispatcher that is draining or shut down admits no new agent host, and tells it why. */
class StoppingDispatcherAdmissionTest
{
    @Test
    void aHostSayingHelloToADrainingDispatcherIsRefusedWithTheReason() throws Exception
    {
        final RemoteSettings settings = RemoteTesting.settings(RemoteTesting.freePort());
        final AtomicReference<Completion> held = new AtomicReference<>();
        // holds its one task, so that the drain below cannot end and the dispatcher stays draining
        final Dispatcher dispatcher = RemoteFleet.placeholder(Dispatcher.builder())
            .agent(AgentSpec.builder("holder", "hold").build(), (task, completion, telemetry) -> held.set(completion))
            .build().start();
        try (RemoteFleet fleet = RemoteFleet.start(dispatcher, settings, PayloadCodec.TEXT))
        {
            dispatcher.submitAsync(Task.builder("hold").payload("x").build());
            Await.until("the local agent holds its task", () -> held.get() != null);
            assertThat(dispatcher.drain(Duration.ofMillis(1))).as("the drain waits for the held task").isFalse();
            assertThat(dispatcher.state()).isEqualTo(DispatcherState.DRAINING);

            try (AgentHost host = new AgentHost("late", settings, PayloadCodec.TEXT,
                RemoteTesting.agents("late", 1, 4, Duration.ofMillis(1)), 0).start())
            {
                assertThatThrownBy(() -> host.awaitRegistered(Duration.ofSeconds(20)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("agent host 'late'").hasMessageContaining("draining")
                    .hasMessageContaining("admits no new agent hosts");
                assertThat(dispatcher.agents()).extracting(a -> a.id())
                    .containsExactlyInAnyOrder("remote-placeholder", "holder");
                assertThat(fleet.hosts()).singleElement().satisfies(h -> assertThat(h.state()).isEqualTo("refused"));
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

    @Test
    void aHostSayingHelloToADispatcherThatShutDownIsRefusedWithTheReason() throws Exception
    {
        final RemoteSettings settings = RemoteTesting.settings(RemoteTesting.freePort());
        final Dispatcher dispatcher = RemoteFleet.placeholder(Dispatcher.builder()).build().start();
        try (RemoteFleet fleet = RemoteFleet.start(dispatcher, settings, PayloadCodec.TEXT))
        {
            dispatcher.shutdownNow();
            assertThat(dispatcher.awaitTermination(Duration.ofSeconds(10))).isTrue();

            try (AgentHost host = new AgentHost("late", settings, PayloadCodec.TEXT,
                RemoteTesting.agents("late", 1, 4, Duration.ofMillis(1)), 0).start())
            {
                assertThatThrownBy(() -> host.awaitRegistered(Duration.ofSeconds(20)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("agent host 'late'").hasMessageContaining("shut down")
                    .hasMessageContaining("admits no new agent hosts");
            }
        }
    }
}
