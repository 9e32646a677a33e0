package dev.ringmaster.remote;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.remote.internal.AeronTransport;
import dev.ringmaster.remote.internal.Messages;
import dev.ringmaster.remote.internal.Wire;
import dev.ringmaster.testing.Await;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three replicas share one --host-id: the first is admitted, and the other two, saying HELLO in turn, are both
 * refused instead of each replacing the other's claim on the id forever.
 */
class SharedHostIdTest
{
    @Test
    void twoSessionsWaitingForTheIdOfALiveHostAreBothRefused() throws Exception
    {
        final RemoteSettings settings = RemoteTesting.settings(RemoteTesting.freePort());
        final Dispatcher dispatcher = RemoteFleet.placeholder(Dispatcher.builder()).build().start();
        final AtomicBoolean running = new AtomicBoolean(true);
        final Set<Long> refused = ConcurrentHashMap.newKeySet();
        Thread fake = null;
        try (RemoteFleet fleet = RemoteFleet.start(dispatcher, settings, PayloadCodec.TEXT);
             AgentHost first = new AgentHost("replica", settings, PayloadCodec.TEXT,
                 RemoteTesting.agents("replica", 1, 4, Duration.ofMillis(1)), 0).start();
             AeronTransport transport = AeronTransport.start(settings, "fake-replicas"))
        {
            assertThat(first.awaitRegistered(Duration.ofSeconds(20))).isTrue();
            final Subscription in = RemoteTesting.fakeHostSubscription(transport, settings);
            final Publication out = transport.aeron().addPublication(
                RemoteSettings.udp(settings.dispatcherEndpoint()), RemoteFleet.DISPATCHER_STREAM);
            final List<AgentSpec> agents = List.of(AgentSpec.builder("w0@replica", "work").build());
            final Messages.Hello b = new Messages.Hello(101, "replica", in.resolvedEndpoint(), agents);
            final Messages.Hello c = new Messages.Hello(102, "replica", in.resolvedEndpoint(), agents);
            final Wire wire = Wire.writer();
            final FragmentAssembler onMessage = new FragmentAssembler((buffer, offset, length, header) ->
            {
                final Wire read = new Wire().wrap(buffer, offset);
                if (Messages.type(read) == Messages.REFUSED)
                {
                    refused.add(read.getLong());
                }
            });
            // replicas B and C say HELLO one right after the other, every heartbeat, until refused
            fake = new Thread(() ->
            {
                long nextHello = 0;
                while (running.get())
                {
                    final int work = transport.invoke() + in.poll(onMessage, 16);
                    if (System.nanoTime() - nextHello > 0)
                    {
                        nextHello = System.nanoTime() + 100_000_000L;
                        for (final Messages.Hello hello : List.of(b, c))
                        {
                            if (!refused.contains(hello.session()))
                            {
                                Messages.hello(wire, hello);
                                out.offer(wire.buffer(), 0, wire.position());
                            }
                        }
                    }
                    if (work == 0)
                    {
                        // parked, not spun: a spinning fake host takes a whole core from the dispatcher it tests
                        java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                    }
                }
            }, "fake-replicas");
            fake.start();

            Await.until("both replicas refused", Duration.ofSeconds(20),
                () -> refused.containsAll(Set.of(101L, 102L)));
            assertThat(first.registered()).as("the first replica still registered").isTrue();
            assertThat(fleet.stats().hostsAdmitted()).isEqualTo(1);
        }
        finally
        {
            running.set(false);
            if (fake != null)
            {
                fake.join(5_000);
            }
            dispatcher.shutdownNow();
        }
    }
}
