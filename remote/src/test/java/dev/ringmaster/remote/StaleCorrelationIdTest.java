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
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A host outlives a dispatcher restart and answers, late, the attempts the previous dispatcher process sent it: those
 * answers must not complete the new dispatcher's attempts, which are other tasks.
 */
class StaleCorrelationIdTest
{
    @Test
    void anAnswerToAPreviousDispatcherProcessesAttemptDoesNotCompleteANewAttempt() throws Exception
    {
        final RemoteSettings settings = RemoteTesting.settings(RemoteTesting.freePort());
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicLong oldAttempt = new AtomicLong(-1);
        Thread fake = null;
        try (AeronTransport transport = AeronTransport.start(settings, "fake-host"))
        {
            final Subscription in = RemoteTesting.fakeHostSubscription(transport, settings);
            final Publication out = transport.aeron().addPublication(
                RemoteSettings.udp(settings.dispatcherEndpoint()), RemoteFleet.DISPATCHER_STREAM);
            final Messages.Hello hello = new Messages.Hello(43, "outlived", in.resolvedEndpoint(),
                List.of(AgentSpec.builder("a@outlived", "work").build()));
            final Wire wire = Wire.writer();
            final FragmentAssembler onMessage = new FragmentAssembler((buffer, offset, length, header) ->
            {
                final Wire read = new Wire().wrap(buffer, offset);
                if (Messages.type(read) == Messages.TASK)
                {
                    final long correlationId = read.getLong();
                    // the first dispatcher's attempt hangs; the host answers it only once the next dispatcher runs,
                    // right before that one's own attempt
                    if (oldAttempt.compareAndSet(-1, correlationId))
                    {
                        return;
                    }
                    offer(out, Messages.completion(wire, oldAttempt.get(), true, 1, 1.0, "stale"));
                    offer(out, Messages.completion(wire, correlationId, true, 1, 1.0, "fresh"));
                }
            });
            fake = new Thread(() ->
            {
                long nextHello = 0;
                while (running.get())
                {
                    final int work = transport.invoke() + in.poll(onMessage, 16);
                    if (System.nanoTime() - nextHello > 0)
                    {
                        nextHello = System.nanoTime() + 100_000_000L;
                        // a HELLO every tick: a dispatcher that does not know this session admits it
                        Messages.hello(wire, hello);
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

            final Dispatcher first = RemoteFleet.placeholder(Dispatcher.builder()).build().start();
            try (RemoteFleet fleet = RemoteFleet.start(first, settings, PayloadCodec.TEXT))
            {
                assertThat(fleet.awaitHosts(1, Duration.ofSeconds(20))).as("the fake host connected").isTrue();
                Await.until("the fake host's agent added", Duration.ofSeconds(20), () -> first.agents().size() == 2);
                first.submitAsync(Task.builder("work").payload("old").build());
                Await.until("the first dispatcher's attempt on the host", () -> oldAttempt.get() != -1);
            }
            finally
            {
                first.shutdownNow();
            }

            final Dispatcher second = RemoteFleet.placeholder(Dispatcher.builder()).build().start();
            try (RemoteFleet fleet = RemoteFleet.start(second, settings, PayloadCodec.TEXT))
            {
                assertThat(fleet.awaitHosts(1, Duration.ofSeconds(20))).as("the fake host connected again").isTrue();
                Await.until("the fake host's agent added again", Duration.ofSeconds(20),
                    () -> second.agents().size() == 2);
                final TaskResult result = second.submitAsync(Task.builder("work").payload("new").build())
                    .get(10, TimeUnit.SECONDS);
                assertThat(result.state()).isEqualTo(TerminalState.COMPLETED);
                assertThat(result.result()).as("the new task's result").isEqualTo("fresh");
            }
            finally
            {
                second.shutdownNow();
            }
        }
        finally
        {
            running.set(false);
            if (fake != null)
            {
                fake.join(5_000);
            }
        }
    }

    /** Offers until the publication takes it, for at most 10 s. */
    private static void offer(final Publication out, final Wire wire)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (out.offer(wire.buffer(), 0, wire.position()) < 0 && System.nanoTime() - deadline < 0)
        {
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000); // back-pressured: give the driver the core
        }
    }
}
