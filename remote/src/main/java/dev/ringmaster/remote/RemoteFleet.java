package dev.ringmaster.remote;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.remote.internal.AeronTransport;
import dev.ringmaster.remote.internal.LinkTable;
import dev.ringmaster.remote.internal.RemoteCounters;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import org.agrona.concurrent.IdleStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * The dispatcher's side of remote agents: receives agent hosts' registrations over Aeron and adds their agents to
 * the dispatcher as ordinary agents, completes their attempts when the hosts answer, and takes a silent host's agents
 * out of routing; its public methods are thread-safe, and all Aeron work runs on its own poller thread.
 *
 * <p>The poller is the only thread that reads the subscription, sends heartbeats and backlogged attempts, and
 * decides that a host is lost; it idles with a back-off (spins, yields, then parks up to
 * {@link RemoteSettings#idleMaxPark()}), so it never competes with the dispatcher's threads when there is nothing
 * to do.
 */
public final class RemoteFleet implements AutoCloseable
{
    /** The stream the dispatcher receives on (registrations, heartbeats, completions). */
    public static final int DISPATCHER_STREAM = 1401;
    /** The stream each host receives on (welcome, heartbeats, tasks). */
    public static final int HOST_STREAM = 1402;

    /** The type of the placeholder agent {@link #placeholder} registers; no task should ever have it. */
    public static final String PLACEHOLDER_TYPE = "ringmaster.remote.placeholder";

    private static final Logger LOG = LoggerFactory.getLogger(RemoteFleet.class);

    private final Dispatcher dispatcher;
    private final AeronTransport transport;
    private final Subscription subscription;
    private final LinkTable links;
    private final RemoteCounters counters;
    private final RemoteSettings settings;
    private final Thread poller;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;
    /** For tests: the poller does nothing while set, as in a long GC pause of the dispatcher's process. */
    private volatile boolean paused;

    private RemoteFleet(final Dispatcher dispatcher, final RemoteSettings settings, final PayloadCodec codec)
    {
        this.dispatcher = dispatcher;
        this.settings = settings;
        this.counters = new RemoteCounters();
        this.transport = AeronTransport.start(settings, "dispatcher");
        try
        {
            this.subscription = transport.aeron().addSubscription(RemoteSettings.udp(settings.dispatcherEndpoint()),
                DISPATCHER_STREAM);
            this.links = new LinkTable(dispatcher, transport, settings, codec, counters);
        }
        catch (final RuntimeException e)
        {
            transport.close();
            throw e;
        }
        this.poller = new Thread(this::run, "ringmaster-remote-poller");
        poller.setDaemon(true);
    }

    /**
     * Gives a dispatcher whose every agent will be remote the one local agent a dispatcher needs to be built: an
     * agent of type {@value #PLACEHOLDER_TYPE} that fails anything sent to it. Call once, on the building thread.
     *
     * @return the builder.
     */
    public static Dispatcher.Builder placeholder(final Dispatcher.Builder builder)
    {
        return builder.agent(dev.ringmaster.model.AgentSpec.builder("remote-placeholder", PLACEHOLDER_TYPE).build(),
            (task, completion, telemetry) -> completion.fail(new IllegalStateException(
                "the remote placeholder agent runs no tasks; give tasks a type the agent hosts register")));
    }

    /**
     * Starts listening on {@link RemoteSettings#dispatcherEndpoint()} for agent hosts.
     *
     * @param dispatcher the dispatcher the hosts' agents join; started or not.
     * @param codec      how task payloads cross the wire; the hosts must use the same.
     */
    public static RemoteFleet start(final Dispatcher dispatcher, final RemoteSettings settings,
                                    final PayloadCodec codec)
    {
        final RemoteFleet fleet = new RemoteFleet(dispatcher, settings, codec);
        fleet.poller.start();
        LOG.info("remote agents: listening on {} (stream {})", settings.dispatcherEndpoint(), DISPATCHER_STREAM);
        return fleet;
    }

    private void run()
    {
        final IdleStrategy idle = AeronTransport.idleStrategy(settings);
        final FragmentAssembler assembler = new FragmentAssembler(links::onFragment);
        try
        {
            while (running)
            {
                if (paused)
                {
                    java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                    continue;
                }
                int work = transport.invoke();
                work += subscription.poll(assembler, 64);
                work += links.duty(System.nanoTime());
                idle.idle(work);
            }
        }
        catch (final Throwable t)
        {
            LOG.error("remote agents: the poller failed; hosts will be given up by silence", t);
        }
        finally
        {
            stopped.countDown();
        }
    }

    /**
     * Waits until at least {@code count} hosts are connected, for at most {@code timeout}.
     *
     * @return true if they are.
     */
    public boolean awaitHosts(final int count, final Duration timeout) throws InterruptedException
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (connectedHosts() < count)
        {
            if (System.nanoTime() - deadline > 0)
            {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    /** @return hosts connected now. */
    public int connectedHosts()
    {
        int n = 0;
        for (final HostStatus h : hosts())
        {
            n += "connected".equals(h.state()) ? 1 : 0;
        }
        return n;
    }

    /** @return every host known, connected or not, with its agents. */
    public List<HostStatus> hosts()
    {
        return links.snapshot();
    }

    /**
     * @return for a remote agent, its {@code host} and the host's {@code connection} state (connected, connecting,
     *     lost); empty for an agent that is not remote. For the admin endpoint's {@code agentDetails}.
     */
    public java.util.Map<String, String> agentDetails(final String agentId)
    {
        for (final HostStatus h : hosts())
        {
            if (h.agentIds().contains(agentId))
            {
                return java.util.Map.of("host", h.hostId(), "host_endpoint", h.endpoint(), "connection", h.state());
            }
        }
        return java.util.Map.of();
    }

    /** @return the host an agent id belongs to, or null for an agent that is not remote. */
    public String hostOf(final String agentId)
    {
        for (final HostStatus h : hosts())
        {
            if (h.agentIds().contains(agentId))
            {
                return h.hostId();
            }
        }
        return null;
    }

    /**
     * Drains every agent of a host: each gets no new task, what waits in its inbox is routed elsewhere, and what it
     * runs finishes ({@link Dispatcher#removeAgent}). The host stays connected; if it registers again after a restart
     * its agents come back.
     *
     * @return completes when all of the host's agents hold nothing any more; fails for an unknown host.
     */
    public java.util.concurrent.CompletableFuture<Void> drainHost(final String hostId)
    {
        for (final HostStatus h : hosts())
        {
            if (h.hostId().equals(hostId))
            {
                final java.util.concurrent.CompletableFuture<?>[] removals =
                    new java.util.concurrent.CompletableFuture<?>[h.agentIds().size()];
                for (int i = 0; i < removals.length; i++)
                {
                    removals[i] = dispatcher.removeAgent(h.agentIds().get(i));
                }
                LOG.info("remote agents: draining host '{}' ({} agent(s))", hostId, removals.length);
                return java.util.concurrent.CompletableFuture.allOf(removals);
            }
        }
        return java.util.concurrent.CompletableFuture.failedFuture(
            new IllegalArgumentException("no agent host '" + hostId + "'; known: " + hosts().stream()
                .map(HostStatus::hostId).toList()));
    }

    /** @return ids of tasks that had an attempt failed because its host was given up. */
    public Set<Long> tasksOfLostHosts()
    {
        return links.tasksOfLostHosts();
    }

    /** @return whether a task had an attempt failed because its host was given up; cheap, any thread. */
    public boolean hadAttemptOnLostHost(final long taskId)
    {
        return links.hadAttemptOnLostHost(taskId);
    }

    public RemoteStats stats()
    {
        final RemoteCounters c = counters;
        return new RemoteStats(c.hostsAdmitted.sum(), c.hostsLost.sum(), c.hostLostAttempts.sum(),
            c.lateCompletions.sum(), c.fastFailures.sum(), c.backPressured.sum(), c.completions.sum(),
            c.unanswered.sum());
    }

    /**
     * Stops the poller while {@code on}, as a pause of the dispatcher's process would: what hosts send waits in the
     * driver's buffers, and is read before the silence check once the poller runs again; for tests.
     */
    void pause(final boolean on)
    {
        paused = on;
    }

    /** Stops the poller and closes Aeron (and the embedded driver); the dispatcher's agents stay as they are. */
    @Override
    public void close()
    {
        running = false;
        try
        {
            if (poller.isAlive() && !stopped.await(5, java.util.concurrent.TimeUnit.SECONDS))
            {
                LOG.warn("remote agents: the poller did not stop within 5 s");
            }
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
        transport.close();
    }
}
