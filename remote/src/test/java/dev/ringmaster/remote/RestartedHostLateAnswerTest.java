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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A host restarted under the same host id (a new session) after its old session was given up: the attempt the old
 * session held is failed and sent again, to the new session, under another correlation id. The old session's late
 * answer names only the attempt it was sent, which is over, so it is counted late and completes nothing; the task
 * ends with the new session's answer. (A COMPLETION carries no session: the correlation id, unique per attempt in a
 * dispatcher process, is what ties an answer to the one session that was sent the attempt.)
 */
class RestartedHostLateAnswerTest
{
    @Test
    void theOldSessionsLateAnswerIsIgnoredAndTheRetryOnTheNewSessionCompletesTheTask() throws Exception
    {
        final RemoteSettings settings = RemoteTesting.settings(RemoteTesting.freePort());
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicBoolean oldSessionAlive = new AtomicBoolean(true);
        final AtomicLong oldAttempt = new AtomicLong(-1);
        final AtomicLong newAttempt = new AtomicLong(-1);
        Thread fake = null;
        final Dispatcher dispatcher = RemoteFleet.placeholder(Dispatcher.builder())
            // a short back-off: the new session's agent joins only once its link is connected, so no retry is sent
            // into the gap and failed at once (UnconnectedHostAdmissionTest)
            .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(10)).build().start();
        try (AeronTransport transport = AeronTransport.start(settings, "restarted-host");
             RemoteFleet fleet = RemoteFleet.start(dispatcher, settings, PayloadCodec.TEXT))
        {
            final Subscription oldIn = RemoteTesting.fakeHostSubscription(transport, settings);
            final Subscription newIn = RemoteTesting.fakeHostSubscription(transport, settings);
            final Publication out = transport.aeron().addPublication(
                RemoteSettings.udp(settings.dispatcherEndpoint()), RemoteFleet.DISPATCHER_STREAM);
            final List<AgentSpec> agents = List.of(AgentSpec.builder("a@restarted", "work").build());
            final Messages.Hello oldHello = new Messages.Hello(1, "restarted", oldIn.resolvedEndpoint(), agents);
            final Messages.Hello newHello = new Messages.Hello(2, "restarted", newIn.resolvedEndpoint(), agents);
            final Wire wire = Wire.writer();
            // the old session holds its attempt; the new one answers its own, right after the old one answers late
            final FragmentAssembler onOld = new FragmentAssembler((buffer, offset, length, header) ->
            {
                final Wire read = new Wire().wrap(buffer, offset);
                if (Messages.type(read) == Messages.TASK)
                {
                    oldAttempt.compareAndSet(-1, read.getLong());
                }
            });
            final FragmentAssembler onNew = new FragmentAssembler((buffer, offset, length, header) ->
            {
                final Wire read = new Wire().wrap(buffer, offset);
                if (Messages.type(read) == Messages.TASK && newAttempt.compareAndSet(-1, read.getLong()))
                {
                    offer(out, Messages.completion(wire, oldAttempt.get(), true, 1, 1.0, "stale"));
                    offer(out, Messages.completion(wire, newAttempt.get(), true, 1, 1.0, "fresh"));
                }
            });
            fake = new Thread(() ->
            {
                long nextHello = 0;
                while (running.get())
                {
                    final int work = transport.invoke() + oldIn.poll(onOld, 16) + newIn.poll(onNew, 16);
                    if (System.nanoTime() - nextHello > 0)
                    {
                        nextHello = System.nanoTime() + 100_000_000L;
                        // a repeated HELLO keeps a session heard from; the new session only once the old fell silent
                        Messages.hello(wire, oldSessionAlive.get() ? oldHello : newHello);
                        out.offer(wire.buffer(), 0, wire.position());
                    }
                    if (work == 0)
                    {
                        java.util.concurrent.locks.LockSupport.parkNanos(1_000_000); // leave the core to the dispatcher
                    }
                }
            }, "fake-host");
            fake.start();

            Await.until("the old session's agent added", Duration.ofSeconds(20), () -> dispatcher.agents().size() == 2);
            final CompletableFuture<TaskResult> result = dispatcher.submitAsync(
                Task.builder("work").payload("x").maxRetries(10).build());
            Await.until("the old session holding the attempt", Duration.ofSeconds(10), () -> oldAttempt.get() != -1);

            oldSessionAlive.set(false); // it hangs, then the host restarts under the same id
            final TaskResult done = result.get(20, TimeUnit.SECONDS);
            assertThat(done.state()).as(done.reason()).isEqualTo(TerminalState.COMPLETED);
            assertThat(done.result()).as("the task's result").isEqualTo("fresh");
            assertThat(newAttempt.get()).as("the retry's correlation id").isNotEqualTo(oldAttempt.get());
            Await.until("the old session's answer counted late", Duration.ofSeconds(10),
                () -> fleet.stats().lateCompletions() == 1);
            assertThat(fleet.stats().hostsLost()).isEqualTo(1);
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
