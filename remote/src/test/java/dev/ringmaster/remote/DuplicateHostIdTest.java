package dev.ringmaster.remote;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.model.Task;
import dev.ringmaster.testing.Await;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Two agent hosts with one host id: the second is refused while the first lives, and takes over once it is dead. */
class DuplicateHostIdTest
{
    @Test
    void aSecondHostWithTheIdOfALiveHostIsRefusedAndTheFirstKeepsServing() throws Exception
    {
        final RemoteSettings settings = RemoteTesting.settings(RemoteTesting.freePort());
        final Dispatcher dispatcher = RemoteFleet.placeholder(Dispatcher.builder()).build().start();
        try (RemoteFleet fleet = RemoteFleet.start(dispatcher, settings, PayloadCodec.TEXT);
             AgentHost first = new AgentHost("twin", settings, PayloadCodec.TEXT,
                 RemoteTesting.agents("twin", 1, 4, Duration.ofMillis(1)), 0).start())
        {
            assertThat(first.awaitRegistered(Duration.ofSeconds(20))).isTrue();
            Await.until("the first host's agent added", () -> dispatcher.agents().size() == 2);

            try (AgentHost second = new AgentHost("twin", settings, PayloadCodec.TEXT,
                RemoteTesting.agents("twin", 1, 4, Duration.ofMillis(1)), 0).start())
            {
                assertThatThrownBy(() -> second.awaitRegistered(Duration.ofSeconds(20)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("host id 'twin' is already connected from " + first.endpoint())
                    .hasMessageContaining("give this host another --host-id or stop the other one");
                assertThat(second.registered()).isFalse();

                // past the silence timeout (1.5 s), when a host knocked out would have said HELLO again and knocked
                // the other out in turn: the first host serves every task throughout
                final long until = System.nanoTime() + Duration.ofMillis(2_500).toNanos();
                int tasks = 0;
                while (System.nanoTime() - until < 0)
                {
                    assertThat(dispatcher.submitAsync(Task.builder("work").payload("t" + tasks).build())
                        .get(10, TimeUnit.SECONDS).result()).isEqualTo("w0@twin:t" + tasks);
                    tasks++;
                    Thread.sleep(50);
                }
                assertThat(first.registered()).as("the first host still registered").isTrue();
                assertThat(first.tasksRun()).isEqualTo(tasks);
                assertThat(second.tasksRun()).isZero();
                assertThat(fleet.stats().hostsLost()).isZero();
                assertThat(fleet.stats().hostsAdmitted()).isEqualTo(1);
                assertThat(fleet.hosts()).singleElement().satisfies(h ->
                {
                    assertThat(h.endpoint()).isEqualTo(first.endpoint());
                    assertThat(h.state()).isEqualTo("connected");
                });
            }
        }
        finally
        {
            dispatcher.shutdownNow();
        }
    }

    @Test
    void aHostWhosePredecessorWithTheSameIdStoppedHeartbeatingTakesItsPlace() throws Exception
    {
        final RemoteSettings settings = RemoteTesting.settings(RemoteTesting.freePort());
        final Dispatcher dispatcher = RemoteFleet.placeholder(Dispatcher.builder()).build().start();
        try (RemoteFleet fleet = RemoteFleet.start(dispatcher, settings, PayloadCodec.TEXT);
             AgentHost first = new AgentHost("twin", settings, PayloadCodec.TEXT,
                 RemoteTesting.agents("twin", 1, 4, Duration.ofMillis(1)), 0).start())
        {
            assertThat(first.awaitRegistered(Duration.ofSeconds(20))).isTrue();
            Await.until("the first host's agent added", () -> dispatcher.agents().size() == 2);
            first.mute(true); // as dead as a killed process, for the dispatcher

            try (AgentHost second = new AgentHost("twin", settings, PayloadCodec.TEXT,
                RemoteTesting.agents("twin", 1, 4, Duration.ofMillis(1)), 0).start())
            {
                assertThat(second.awaitRegistered(Duration.ofSeconds(20))).isTrue();
                assertThat(second.refusal()).isNull();
                Await.until("the fleet shows the second host connected", () -> fleet.hosts().stream()
                    .anyMatch(h -> h.endpoint().equals(second.endpoint()) && h.state().equals("connected")));
                assertThat(dispatcher.submitAsync(Task.builder("work").payload("x").build()).get(10, TimeUnit.SECONDS)
                    .result()).isEqualTo("w0@twin:x");
                assertThat(second.tasksRun()).isEqualTo(1);
            }
        }
        finally
        {
            dispatcher.shutdownNow();
        }
    }
}
