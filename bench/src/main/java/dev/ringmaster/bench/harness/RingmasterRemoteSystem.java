package dev.ringmaster.bench.harness;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.dispatch.SubmitStatus;
import dev.ringmaster.dispatch.TerminalState;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.remote.AgentHost;
import dev.ringmaster.remote.PayloadCodec;
import dev.ringmaster.remote.RemoteFleet;
import dev.ringmaster.remote.RemoteSettings;
import dev.ringmaster.spi.AgentAdapter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ringmaster with the same {@value RingmasterSystem#AGENTS} no-op agents as {@link RingmasterSystem}, but hosted by an
 * {@link AgentHost} and reached over Aeron UDP on loopback: the difference to "ringmaster" is the extra hop (encode,
 * the dispatcher's media driver, UDP, the host's driver, its poller, and the completion's way back). The host runs in
 * this JVM with its own embedded media driver, as a separate process would; the harness calls {@link #start},
 * {@link #submit} and {@link #stop} as for every system.
 */
final class RingmasterRemoteSystem implements SystemUnderTest
{
    private static final String TYPE = "noop";
    private static final Duration MAX_WAIT = Duration.ofSeconds(30);

    private final AtomicLong notCompleted = new AtomicLong();
    private Task[] tasks;
    private Dispatcher dispatcher;
    private RemoteFleet fleet;
    private AgentHost host;

    @Override
    public void start(final LatencySlots slots, final int workers)
    {
        tasks = new Task[slots.count()];
        for (int i = 0; i < tasks.length; i++)
        {
            tasks[i] = Task.builder(TYPE).id(i).maxRetries(0).build();
        }
        final RemoteSettings settings = RemoteSettings.loopback().withDispatcherEndpoint("127.0.0.1:" + freePort());
        dispatcher = RemoteFleet.placeholder(Dispatcher.builder()).workers(workers)
            .onResult((view, state, result, reason) ->
            {
                if (state == TerminalState.COMPLETED)
                {
                    slots.complete((int)view.task().id());
                }
                else
                {
                    notCompleted.incrementAndGet();
                }
            }).build().start();
        fleet = RemoteFleet.start(dispatcher, settings, PayloadCodec.TEXT);
        final AgentAdapter noop = (task, completion, telemetry) -> completion.succeed(Boolean.TRUE, 0, Double.NaN);
        final List<Map.Entry<AgentSpec, AgentAdapter>> agents = new ArrayList<>();
        for (int i = 0; i < Math.max(RingmasterSystem.AGENTS, workers); i++)
        {
            agents.add(Map.entry(AgentSpec.builder("agent-" + i + "@bench-host", TYPE)
                .capacity(RingmasterSystem.CAPACITY).build(), noop));
        }
        try
        {
            host = new AgentHost("bench-host", settings, PayloadCodec.TEXT, agents, 0).start();
            final long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (dispatcher.agents().size() < agents.size() + 1)
            {
                if (System.nanoTime() - deadline > 0)
                {
                    throw new IllegalStateException("the agent host did not register within 30 s");
                }
                Thread.sleep(10);
            }
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the agent host registered", e);
        }
        catch (final Exception e)
        {
            throw new IllegalStateException("the agent host did not start: " + e.getMessage(), e);
        }
    }

    private static int freePort()
    {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            return s.getLocalPort();
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("no free UDP port on loopback", e);
        }
    }

    @Override
    public boolean submit(final int slot)
    {
        return dispatcher.submit(tasks[slot], MAX_WAIT) == SubmitStatus.ACCEPTED;
    }

    @Override
    public void stop(final boolean now)
    {
        if (now || !dispatcher.drain(Duration.ofSeconds(30)))
        {
            dispatcher.shutdownNow();
            dispatcher.awaitTermination(Duration.ofSeconds(30));
        }
        host.close();
        fleet.close();
    }

    @Override
    public String diagnostics()
    {
        return "remote: " + fleet.stats() + "; " + notCompleted.get() + " not completed";
    }

    @Override
    public String threads(final int workers)
    {
        return "dispatcher: router + " + workers + " worker(s) + remote poller + media driver (shared mode); agent host: "
            + "poller (runs the no-op tasks) + media driver (shared mode); all backing off when idle";
    }
}
