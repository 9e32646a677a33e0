package dev.ringmaster.remote;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.dispatch.TaskResult;
import dev.ringmaster.dispatch.TerminalState;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.remote.internal.AeronTransport;
import dev.ringmaster.remote.internal.Messages;
import dev.ringmaster.remote.internal.Wire;
import dev.ringmaster.spi.Completion;
import dev.ringmaster.testing.Await;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A host's agents join the dispatcher only once its link to the host is connected: before, tasks routed to them in
 * that gap failed at once ("not connected") and, with a short retry back-off, queued tasks burned every retry and were
 * dead-lettered though nothing was wrong with the host.
 */
class UnconnectedHostAdmissionTest
{
    private static final int TASKS = 20;

    /**
     * A hand-written host says HELLO for seconds before it listens at its reply endpoint (the worst case of the gap
     * every admission has for the few milliseconds a link takes to connect): its agent is not added meanwhile, the
     * host shows connecting with why (naming the endpoint), and once it listens every queued task completes there.
     */
    @Test
    void aHostThatCannotBeReachedYetGetsNoTaskAndServesThemOnceItCan() throws Exception
    {
        final RemoteSettings settings = RemoteTesting.settings(RemoteTesting.freePort());
        final String reply = "127.0.0.1:" + RemoteTesting.freePort();
        final AtomicReference<Completion> held = new AtomicReference<>();
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicBoolean listen = new AtomicBoolean();
        final AtomicBoolean welcomed = new AtomicBoolean();
        Thread fake = null;
        final Dispatcher dispatcher = RemoteFleet.placeholder(Dispatcher.builder())
            // a local agent of the type, full with a task it holds, so that the tasks below wait for the host's agent
            .agent(AgentSpec.builder("holder", "work").build(), (task, completion, telemetry) -> held.set(completion))
            .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(10)).build().start();
        try (AeronTransport transport = AeronTransport.start(settings, "unconnected-host");
             RemoteFleet fleet = RemoteFleet.start(dispatcher, settings, PayloadCodec.TEXT))
        {
            dispatcher.submitAsync(Task.builder("work").payload("hold").build());
            Await.until("the local agent holds its task", () -> held.get() != null);
            final List<CompletableFuture<TaskResult>> results = new ArrayList<>();
            for (int i = 0; i < TASKS; i++)
            {
                results.add(dispatcher.submitAsync(Task.builder("work").payload("t" + i).maxRetries(2).build()));
            }
            final Publication out = transport.aeron().addPublication(
                RemoteSettings.udp(settings.dispatcherEndpoint()), RemoteFleet.DISPATCHER_STREAM);
            final Messages.Hello hello = new Messages.Hello(1, "late", reply,
                List.of(AgentSpec.builder("a@late", "work").capacity(4).build()));
            fake = new Thread(() ->
            {
                final Wire wire = Wire.writer();
                final FragmentAssembler onMessage = new FragmentAssembler((buffer, offset, length, header) ->
                {
                    final Wire read = new Wire().wrap(buffer, offset);
                    final int type = Messages.type(read);
                    if (type == Messages.WELCOME)
                    {
                        welcomed.set(true);
                    }
                    else if (type == Messages.TASK)
                    {
                        final Wire answer = Messages.completion(Wire.writer(), read.getLong(), true, 1, 1.0, "ok");
                        while (out.offer(answer.buffer(), 0, answer.position()) < 0 && running.get())
                        {
                            transport.invoke();
                        }
                    }
                });
                Subscription in = null;
                long nextHello = 0;
                while (running.get())
                {
                    if (in == null && listen.get())
                    {
                        in = transport.aeron().addSubscription(RemoteSettings.udp(reply), RemoteFleet.HOST_STREAM);
                    }
                    final int work = transport.invoke() + (in == null ? 0 : in.poll(onMessage, 16));
                    if (System.nanoTime() - nextHello > 0 && !welcomed.get())
                    {
                        nextHello = System.nanoTime() + 100_000_000L;
                        Messages.hello(wire, hello);
                        out.offer(wire.buffer(), 0, wire.position());
                    }
                    else if (System.nanoTime() - nextHello > 0)
                    {
                        nextHello = System.nanoTime() + 100_000_000L;
                        Messages.heartbeat(wire, 1, "late");
                        out.offer(wire.buffer(), 0, wire.position());
                    }
                    if (work == 0)
                    {
                        java.util.concurrent.locks.LockSupport.parkNanos(1_000_000); // leave the core to the dispatcher
                    }
                }
            }, "fake-host");
            fake.start();

            Await.until("the host shown waiting for its link, or a task ended", Duration.ofSeconds(20),
                () -> fleet.hosts().stream().anyMatch(h -> h.lostReason() != null && h.lostReason().contains(reply))
                    || results.stream().anyMatch(CompletableFuture::isDone));
            final List<String> ended = new ArrayList<>();
            for (final CompletableFuture<TaskResult> r : results)
            {
                if (r.isDone())
                {
                    ended.add(r.join().state() + ": " + r.join().reason());
                }
            }
            assertThat(ended).as("tasks ended while the host could not be reached").isEmpty();
            assertThat(dispatcher.agents()).as("the dispatcher's agents").noneMatch(a -> a.id().equals("a@late"));
            final HostStatus waiting = fleet.hosts().get(0);
            assertThat(waiting.state()).isEqualTo("connecting");
            assertThat(waiting.lostReason()).contains("--listen");

            listen.set(true);
            for (final CompletableFuture<TaskResult> r : results)
            {
                final TaskResult done = r.get(20, TimeUnit.SECONDS);
                assertThat(done.state()).as(done.reason()).isEqualTo(TerminalState.COMPLETED);
            }
            Await.until("the host welcomed", Duration.ofSeconds(10), welcomed::get);
            Await.until("the host shown connected", Duration.ofSeconds(10),
                () -> fleet.hosts().get(0).state().equals("connected") && fleet.hosts().get(0).lostReason() == null);
            assertThat(dispatcher.deadLetters()).isEmpty();
        }
        finally
        {
            running.set(false);
            if (fake != null)
            {
                fake.join(5_000);
            }
            if (held.get() != null)
            {
                held.get().succeed("done");
            }
            dispatcher.shutdownNow();
        }
    }

    /**
     * The everyday case: an agent host started while tasks of its type are queued, with a short back-off and few
     * retries. Every task completes on the host; none fails for the link still connecting.
     */
    @Test
    void aHostStartedUnderLoadDeadLettersNothing() throws Exception
    {
        final RemoteSettings settings = RemoteTesting.settings(RemoteTesting.freePort());
        final AtomicReference<Completion> held = new AtomicReference<>();
        final Dispatcher dispatcher = RemoteFleet.placeholder(Dispatcher.builder())
            .agent(AgentSpec.builder("holder", "work").build(), (task, completion, telemetry) -> held.set(completion))
            .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(10)).build().start();
        try (RemoteFleet fleet = RemoteFleet.start(dispatcher, settings, PayloadCodec.TEXT))
        {
            dispatcher.submitAsync(Task.builder("work").payload("hold").build());
            Await.until("the local agent holds its task", () -> held.get() != null);
            final List<CompletableFuture<TaskResult>> results = new ArrayList<>();
            for (int i = 0; i < 200; i++)
            {
                results.add(dispatcher.submitAsync(Task.builder("work").payload("t" + i).maxRetries(2).build()));
            }
            try (AgentHost host = new AgentHost("fresh", settings, PayloadCodec.TEXT,
                RemoteTesting.agents("fresh", 4, 8, Duration.ofMillis(1)), 0).start())
            {
                for (final CompletableFuture<TaskResult> r : results)
                {
                    final TaskResult done = r.get(30, TimeUnit.SECONDS);
                    assertThat(done.state()).as(done.reason()).isEqualTo(TerminalState.COMPLETED);
                }
                assertThat(fleet.stats().fastFailures()).as("attempts failed at once").isZero();
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
