package dev.ringmaster.remote;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.dispatch.TaskResult;
import dev.ringmaster.dispatch.TerminalState;
import dev.ringmaster.model.AgentSpec;
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
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** A hand-written host that answers every task with a COMPLETION whose text runs past the end of the message. */
class MalformedCompletionTest
{
    @Test
    void aCompletionTheDispatcherCannotDecodeFailsItsAttemptWithTheReason() throws Exception
    {
        final RemoteSettings settings = RemoteTesting.settings(RemoteTesting.freePort());
        final Dispatcher dispatcher = RemoteFleet.placeholder(Dispatcher.builder()).build().start();
        final AtomicBoolean running = new AtomicBoolean(true);
        Thread fake = null;
        try (RemoteFleet fleet = RemoteFleet.start(dispatcher, settings, PayloadCodec.TEXT);
             AeronTransport transport = AeronTransport.start(settings, "fake-host"))
        {
            final Subscription in = RemoteTesting.fakeHostSubscription(transport, settings);
            final Publication out = transport.aeron().addPublication(
                RemoteSettings.udp(settings.dispatcherEndpoint()), RemoteFleet.DISPATCHER_STREAM);
            final Messages.Hello hello = new Messages.Hello(42, "fake", in.resolvedEndpoint(),
                List.of(AgentSpec.builder("a@fake", "work").build()));
            final Wire wire = Wire.writer();
            final FragmentAssembler onMessage = new FragmentAssembler((buffer, offset, length, header) ->
            {
                final Wire read = new Wire().wrap(buffer, offset);
                if (Messages.type(read) == Messages.TASK)
                {
                    // a string length of 2 GB in a message of a few dozen bytes
                    wire.reset().putInt(Messages.VERSION << 16 | Messages.COMPLETION).putLong(read.getLong())
                        .putInt(1).putLong(0).putDouble(1.0).putInt(Integer.MAX_VALUE - 16);
                    out.offer(wire.buffer(), 0, wire.position());
                }
            });
            // the fake host's transport is driven by this one thread, as AeronTransport requires
            fake = new Thread(() ->
            {
                long nextHello = 0;
                while (running.get())
                {
                    final int work = transport.invoke() + in.poll(onMessage, 16);
                    if (System.nanoTime() - nextHello > 0)
                    {
                        nextHello = System.nanoTime() + 100_000_000L;
                        Messages.hello(wire, hello); // a HELLO again each tick also keeps the session heard from
                        out.offer(wire.buffer(), 0, wire.position());
                    }
                    if (work == 0)
                    {
                        // parked, not spun: a spinning fake host takes a whole core from the dispatcher it tests
                        java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                    }
                }
            }, "fake-host");
            fake.start();
            // connected, not just registered: an attempt sent before the link is up fails as not connected
            assertThat(fleet.awaitHosts(1, Duration.ofSeconds(20))).as("the fake host connected").isTrue();
            Await.until("the fake host's agent added", Duration.ofSeconds(20), () -> dispatcher.agents().size() == 2);

            final TaskResult result = dispatcher.submitAsync(Task.builder("work").payload("x").build())
                .get(10, TimeUnit.SECONDS);
            assertThat(result.state()).isEqualTo(TerminalState.DEAD_LETTERED);
            assertThat(result.reason()).contains("agent host 'fake'").contains("could not be decoded");
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
