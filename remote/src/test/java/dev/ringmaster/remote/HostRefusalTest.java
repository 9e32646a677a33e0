package dev.ringmaster.remote;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.model.Task;
import dev.ringmaster.remote.internal.AeronTransport;
import dev.ringmaster.remote.internal.Messages;
import dev.ringmaster.remote.internal.Wire;
import dev.ringmaster.testing.Await;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A host whose registration the dispatcher cannot accept is told so, with the reason, instead of believing it is in. */
class HostRefusalTest
{
    @Test
    void aHostRegisteringAnAgentIdAnotherHostHasIsRefusedWithTheReasonAndTheFirstHostKeepsServing() throws Exception
    {
        final RemoteSettings settings = RemoteTesting.settings(RemoteTesting.freePort());
        final Dispatcher dispatcher = RemoteFleet.placeholder(Dispatcher.builder()).build().start();
        try (RemoteFleet fleet = RemoteFleet.start(dispatcher, settings, PayloadCodec.TEXT);
             AgentHost first = new AgentHost("first", settings, PayloadCodec.TEXT,
                 RemoteTesting.agents("shared", 1, 4, Duration.ofMillis(1)), 0).start())
        {
            assertThat(first.awaitRegistered(Duration.ofSeconds(20))).as("the first host registered").isTrue();
            Await.until("the first host's agent added", () -> dispatcher.agents().size() == 2);

            // the same agent id, "w0@shared", from another host
            try (AgentHost second = new AgentHost("second", settings, PayloadCodec.TEXT,
                RemoteTesting.agents("shared", 1, 4, Duration.ofMillis(1)), 0).start())
            {
                assertThatThrownBy(() -> second.awaitRegistered(Duration.ofSeconds(20)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("agent host 'second'").hasMessageContaining("refused")
                    .hasMessageContaining("duplicate agent id 'w0@shared'").hasMessageContaining("--host-id");
                assertThat(second.registered()).isFalse();
                assertThat(second.refusal()).contains("duplicate agent id 'w0@shared'");
                Await.until("the fleet shows the second host refused", () -> fleet.hosts().stream()
                    .anyMatch(h -> h.hostId().equals("second") && h.state().equals("refused")
                        && h.lostReason().contains("duplicate agent id")));
                // none of the refused host's agents is in the dispatcher: the shared id is the first host's
                assertThat(fleet.hosts()).filteredOn(h -> h.hostId().equals("second")).singleElement()
                    .satisfies(h -> assertThat(h.agentIds()).isEmpty());
                assertThat(fleet.hostOf("w0@shared")).isEqualTo("first");
                fleet.drainHost("second").get(10, TimeUnit.SECONDS);

                assertThat(dispatcher.submitAsync(Task.builder("work").payload("x").build()).get(10, TimeUnit.SECONDS)
                    .result()).isEqualTo("w0@shared:x");
                assertThat(first.tasksRun()).isEqualTo(1);
                assertThat(second.tasksRun()).isZero();
                assertThat(first.registered()).as("the first host still registered").isTrue();
                assertThat(dispatcher.agents()).extracting(a -> a.id())
                    .containsExactlyInAnyOrder("remote-placeholder", "w0@shared");
            }
        }
        finally
        {
            dispatcher.shutdownNow();
        }
    }

    @Test
    void aHostWhoseAgentTheDispatcherCannotReadIsRefusedWithTheReason() throws Exception
    {
        final RemoteSettings settings = RemoteTesting.settings(RemoteTesting.freePort());
        final Dispatcher dispatcher = RemoteFleet.placeholder(Dispatcher.builder()).build().start();
        try (RemoteFleet fleet = RemoteFleet.start(dispatcher, settings, PayloadCodec.TEXT);
             AeronTransport transport = AeronTransport.start(settings, "fake-host"))
        {
            final Subscription in = RemoteTesting.fakeHostSubscription(transport, settings);
            final Publication out = transport.aeron().addPublication(
                RemoteSettings.udp(settings.dispatcherEndpoint()), RemoteFleet.DISPATCHER_STREAM);
            // a HELLO no AgentSpec on this side would build: an agent of capacity 0
            final Wire hello = Wire.writer();
            hello.reset().putInt(Messages.VERSION << 16 | Messages.HELLO).putLong(7).putString("odd")
                .putString(in.resolvedEndpoint()).putInt(1).putString("a@odd").putString("work").putInt(0).putInt(1)
                .putDouble(1.0).putLong(0).putInt(0);
            final AtomicReference<String> refusal = new AtomicReference<>();
            final AtomicReference<Boolean> welcomed = new AtomicReference<>(false);
            final FragmentAssembler onMessage = new FragmentAssembler((buffer, offset, length, header) ->
            {
                final Wire read = new Wire().wrap(buffer, offset);
                final int type = Messages.type(read);
                if (type == Messages.REFUSED && read.getLong() == 7)
                {
                    refusal.set(read.getString());
                }
                else if (type == Messages.WELCOME)
                {
                    welcomed.set(true);
                }
            });
            // this thread drives the fake host's transport, as AeronTransport requires; a HELLO every 100 ms
            final long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            long nextHello = 0;
            while (refusal.get() == null && System.nanoTime() - deadline < 0)
            {
                transport.invoke();
                in.poll(onMessage, 16);
                if (System.nanoTime() - nextHello > 0)
                {
                    nextHello = System.nanoTime() + 100_000_000L;
                    out.offer(hello.buffer(), 0, hello.position());
                }
                Thread.sleep(1);
            }
            assertThat(refusal.get()).as("the refusal the fake host heard").isNotNull()
                .contains("agent host 'odd'").contains("capacity of agent 'a@odd' must be >= 1");
            assertThat(welcomed.get()).isFalse();
            assertThat(fleet.hosts()).filteredOn(h -> h.hostId().equals("odd")).singleElement()
                .satisfies(h -> assertThat(h.state()).isEqualTo("refused"));
            assertThat(dispatcher.agents()).extracting(a -> a.id()).containsExactly("remote-placeholder");
        }
        finally
        {
            dispatcher.shutdownNow();
        }
    }
}
