package dev.ringmaster.remote;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.dispatch.TerminalState;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.spi.AgentAdapter;

import java.io.IOException;
import java.net.DatagramSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Helpers shared by the remote tests; the tally is thread-safe, the rest stateless. */
final class RemoteTesting
{
    private RemoteTesting()
    {
    }

    /** @return a UDP port free a moment ago on loopback. */
    static int freePort() throws IOException
    {
        try (DatagramSocket s = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress()))
        {
            return s.getLocalPort();
        }
    }

    /**
     * Heartbeats every 100 ms, a host given up after 1.5 s of silence: quick enough for the tests, slow enough that a
     * live host starved of CPU on a loaded 2-core machine is not taken for dead.
     */
    /**
     * @return a subscription on the host stream at {@code settings}' host endpoint, bound (its endpoint resolved), for
     *     a test that plays a host by hand: writes its own HELLO and reads what the dispatcher answers.
     */
    static io.aeron.Subscription fakeHostSubscription(final dev.ringmaster.remote.internal.AeronTransport transport,
                                                      final RemoteSettings settings) throws InterruptedException
    {
        final io.aeron.Subscription in = transport.aeron().addSubscription(RemoteSettings.udp(settings.hostEndpoint()),
            RemoteFleet.HOST_STREAM);
        dev.ringmaster.testing.Await.until("the fake host's endpoint bound", () ->
        {
            transport.invoke();
            return in.resolvedEndpoint() != null;
        });
        return in;
    }

    static RemoteSettings settings(final int port)
    {
        return RemoteSettings.loopback().withDispatcherEndpoint("127.0.0.1:" + port)
            .withTimeouts(Duration.ofMillis(100), Duration.ofMillis(1_500));
    }

    /** @return {@code count} agents of type "work", ids {@code w<i>@<hostId>}, answering after {@code delay}. */
    static List<Map.Entry<AgentSpec, AgentAdapter>> agents(final String hostId, final int count, final int capacity,
                                                           final Duration delay)
    {
        final Executor later = CompletableFuture.delayedExecutor(delay.toNanos(), TimeUnit.NANOSECONDS);
        final List<Map.Entry<AgentSpec, AgentAdapter>> out = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            final String id = "w" + i + "@" + hostId;
            out.add(Map.entry(AgentSpec.builder(id, "work").capacity(capacity).build(),
                AgentAdapter.async(t -> CompletableFuture.supplyAsync(() -> id + ":" + t.task().payload(), later))));
        }
        return out;
    }

    /** Counts every terminal state per task id, to check that each accepted task reaches exactly one. */
    static final class Tally
    {
        final Map<Long, TerminalState> states = new ConcurrentHashMap<>();
        final Map<Long, Object> results = new ConcurrentHashMap<>();
        final AtomicInteger duplicates = new AtomicInteger();
        final AtomicInteger terminal = new AtomicInteger();

        Dispatcher.Builder on(final Dispatcher.Builder builder)
        {
            return builder.onResult((task, state, result, reason) ->
            {
                if (states.putIfAbsent(task.task().id(), state) != null)
                {
                    duplicates.incrementAndGet();
                }
                if (result != null)
                {
                    results.put(task.task().id(), result);
                }
                terminal.incrementAndGet();
            });
        }
    }

    /**
     * An agent whose task with the payload {@code "hang"} blocks its thread until interrupted (at most a minute) and
     * records the interrupt; every other task answers "ran PAYLOAD" at once. Thread-safe.
     */
    static final class HangsOnce implements AgentAdapter
    {
        final java.util.concurrent.atomic.AtomicBoolean interrupted = new java.util.concurrent.atomic.AtomicBoolean();
        private final java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);

        @Override
        public void execute(final dev.ringmaster.spi.TaskView task, final dev.ringmaster.spi.Completion completion,
                            final dev.ringmaster.spi.AgentTelemetry telemetry) throws Exception
        {
            if ("hang".equals(task.task().payload()))
            {
                try
                {
                    never.await(60, TimeUnit.SECONDS);
                }
                catch (final InterruptedException e)
                {
                    interrupted.set(true);
                    throw e;
                }
            }
            completion.succeed("ran " + task.task().payload());
        }
    }

    /**
     * An asynchronous agent that keeps the completion of its task with the payload {@code "hold"} and never answers it
     * itself ({@link #held} lets a test answer late); every other task answers "ran PAYLOAD" at once. Thread-safe.
     */
    static final class HoldsFirst implements AgentAdapter
    {
        final java.util.concurrent.atomic.AtomicReference<dev.ringmaster.spi.Completion> held =
            new java.util.concurrent.atomic.AtomicReference<>();

        @Override
        public void execute(final dev.ringmaster.spi.TaskView task, final dev.ringmaster.spi.Completion completion,
                            final dev.ringmaster.spi.AgentTelemetry telemetry)
        {
            if ("hold".equals(task.task().payload()))
            {
                held.set(completion);
                return;
            }
            completion.succeed("ran " + task.task().payload());
        }
    }
}
