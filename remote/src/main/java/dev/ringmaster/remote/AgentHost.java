package dev.ringmaster.remote;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.remote.internal.AeronTransport;
import dev.ringmaster.remote.internal.HostedAttempt;
import dev.ringmaster.remote.internal.Messages;
import dev.ringmaster.remote.internal.ThrottledLog;
import dev.ringmaster.remote.internal.Wire;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.remote.internal.HostTelemetry;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * An agent host: runs agents (any {@link AgentAdapter}) for a dispatcher on another machine or process, registering
 * them when it connects, running the tasks it is sent and sending back their completions; thread-safe, with all Aeron
 * reading on its own poller thread.
 *
 * <p>Tasks run on the poller thread itself when {@code threads} is 0 (for asynchronous adapters, which return at
 * once), otherwise on a pool of that many threads (for synchronous adapters, which would stall the poller).
 * On the pool, a call is interrupted when the dispatcher gives its attempt up, so an adapter blocked on an
 * interruptible channel it shares with other calls sees that channel closed (give each call its own).
 * Completions are offered from whichever thread completes; one that meets back-pressure waits in a queue the poller
 * drains, so an answer is never dropped while the dispatcher is reachable.
 *
 * <p>The {@code TaskView} an agent is given here differs from a local one: {@code acceptedNanos()} is
 * when this host took the attempt, and {@code sequence()}, the dispatcher's acceptance sequence as everywhere, is the
 * attempt's correlation id instead when the dispatcher predates sending it (it then orders attempts by sending, and
 * starts at a random value in every dispatcher process).
 */
public final class AgentHost implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(AgentHost.class);
    private static final ThreadLocal<Wire> WIRE = ThreadLocal.withInitial(Wire::writer);

    /** A completion waiting for room on the publication; immutable. */
    private record Answer(long correlationId, boolean ok, long tokens, double quality, String text)
    {
    }

    private final String hostId;
    private final RemoteSettings settings;
    private final PayloadCodec codec;
    private final List<AgentSpec> specs;
    private final List<AgentAdapter> adapters;
    private final List<HostTelemetry> telemetry;
    private final ExecutorService executor;
    private final long session = ThreadLocalRandom.current().nextLong();
    private final ManyToOneConcurrentArrayQueue<Answer> answers = new ManyToOneConcurrentArrayQueue<>(1 << 16);
    private final LongAdder tasksRun = new LongAdder();
    private final LongAdder answersDropped = new LongAdder();
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** The attempts running, by correlation id: the dispatcher's cancel finds them, registering again drops them. */
    private final java.util.concurrent.ConcurrentHashMap<Long, HostedAttempt> attempts =
        new java.util.concurrent.ConcurrentHashMap<>();
    /** Per agent, in registration order: its attempts running (taken and neither answered nor cancelled). */
    private final java.util.concurrent.atomic.AtomicIntegerArray inFlight;
    private final HostedAttempt.Sink sink = new HostedAttempt.Sink()
    {
        @Override
        public void completed(final long correlationId, final boolean ok, final long tokens, final double quality,
                              final String text)
        {
            send(correlationId, ok, tokens, quality, text);
        }

        @Override
        public void ended(final HostedAttempt attempt)
        {
            if (attempts.remove(attempt.correlationId(), attempt))
            {
                inFlight.decrementAndGet(attempt.agentIndex());
            }
        }
    };
    /** The poller's warnings about single bad messages. */
    private final ThrottledLog bad = new ThrottledLog(LOG);
    private AeronTransport transport;
    private Subscription subscription;
    private Publication publication;
    private Thread poller;
    private String endpoint;
    private volatile boolean running = true;
    /** For tests: a partition that silences this host (no heartbeats, answers held back) without killing it. */
    private volatile boolean muted;
    /** Written by the poller: whether the dispatcher has welcomed this session and is still heard from. */
    private volatile boolean welcomed;
    /** Written by the poller: why the dispatcher refused this session; null unless it did. */
    private volatile String refusal;
    private long lastHeardNanos;

    /**
     * @param agents  agent spec to adapter, in the order they are registered; ids must be unique in the dispatcher.
     * @param threads threads that run tasks; 0 runs them on the poller (asynchronous adapters only).
     */
    public AgentHost(final String hostId, final RemoteSettings settings, final PayloadCodec codec,
                     final List<java.util.Map.Entry<AgentSpec, AgentAdapter>> agents, final int threads)
    {
        if (agents.isEmpty())
        {
            throw new IllegalArgumentException("an agent host needs at least one agent");
        }
        this.hostId = hostId;
        this.settings = settings;
        this.codec = codec;
        this.specs = new ArrayList<>(agents.size());
        this.adapters = new ArrayList<>(agents.size());
        this.telemetry = new ArrayList<>(agents.size());
        this.inFlight = new java.util.concurrent.atomic.AtomicIntegerArray(agents.size());
        for (final java.util.Map.Entry<AgentSpec, AgentAdapter> e : agents)
        {
            specs.add(e.getKey());
            adapters.add(e.getValue());
            telemetry.add(new HostTelemetry());
        }
        this.executor = threads == 0 ? null : Executors.newFixedThreadPool(threads, r ->
        {
            final Thread t = new Thread(r, "ringmaster-host-worker");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts the agents' adapters, Aeron and the poller, which registers with the dispatcher as soon as it is
     * reachable (and again whenever it has been silent past the timeout).
     *
     * @throws Exception if an adapter's {@code start()} throws, or the receive endpoint cannot be bound.
     */
    public AgentHost start() throws Exception
    {
        for (final AgentAdapter a : adapters)
        {
            a.start();
        }
        transport = AeronTransport.start(settings, "host-" + hostId);
        subscription = transport.aeron().addSubscription(RemoteSettings.udp(settings.hostEndpoint()),
            RemoteFleet.HOST_STREAM);
        final long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while ((endpoint = subscription.resolvedEndpoint()) == null)
        {
            if (System.nanoTime() - deadline > 0)
            {
                close();
                throw new IllegalStateException("could not bind " + settings.hostEndpoint() + " within 10 s");
            }
            transport.invoke();
            Thread.sleep(1);
        }
        publication = transport.aeron().addPublication(RemoteSettings.udp(settings.dispatcherEndpoint()),
            RemoteFleet.DISPATCHER_STREAM);
        poller = new Thread(this::run, "ringmaster-host-poller");
        poller.setDaemon(true);
        poller.start();
        LOG.info("agent host '{}': {} agent(s), receiving on {}, dispatcher at {}", hostId, specs.size(), endpoint,
            settings.dispatcherEndpoint());
        return this;
    }

    private void run()
    {
        final IdleStrategy idle = AeronTransport.idleStrategy(settings);
        final FragmentAssembler assembler = new FragmentAssembler(this::onFragment);
        final Wire wire = Wire.writer();
        final Messages.Hello hello = new Messages.Hello(session, hostId, endpoint, List.copyOf(specs));
        final long heartbeatNanos = settings.heartbeat().toNanos();
        long nextTick = 0;
        try
        {
            while (running)
            {
                int work = transport.invoke();
                work += subscription.poll(assembler, 64);
                work += muted ? 0 : drainAnswers(wire);
                final long now = System.nanoTime();
                if (now - nextTick >= 0 && !muted && refusal == null)
                {
                    nextTick = now + heartbeatNanos;
                    if (welcomed && now - lastHeardNanos > settings.silenceTimeout().toNanos())
                    {
                        welcomed = false;
                        final long silentMillis = (now - lastHeardNanos) / 1_000_000;
                        LOG.warn("agent host '{}': the dispatcher has been silent for {} ms; registering again{}",
                            hostId, silentMillis, dropAttempts(silentMillis));
                    }
                    if (welcomed)
                    {
                        Messages.heartbeat(wire, session, hostId);
                    }
                    else
                    {
                        Messages.hello(wire, hello);
                    }
                    publication.offer(wire.buffer(), 0, wire.position());
                    work += 1 + (welcomed ? sendTelemetry(wire) : 0);
                }
                idle.idle(work);
            }
        }
        catch (final Throwable t)
        {
            LOG.error("agent host '{}': the poller failed; the dispatcher will give this host up", hostId, t);
        }
        finally
        {
            stopped.countDown();
        }
    }

    private void onFragment(final DirectBuffer buffer, final int offset, final int length,
                            final io.aeron.logbuffer.Header header)
    {
        final Wire in = new Wire().wrap(buffer, offset);
        int type = -1;
        try
        {
            type = Messages.type(in);
            onMessage(type, in, buffer, offset, length);
        }
        catch (final Throwable t)
        {
            // one bad message costs only itself: the poller keeps heartbeating and running the other tasks
            bad.warn("agent host '{}': a message of type {} ({} bytes) from the dispatcher could not be handled and "
                + "is ignored: {}", hostId, type, length, t.toString(), t);
        }
    }

    private void onMessage(final int type, final Wire in, final DirectBuffer buffer, final int offset,
                           final int length)
    {
        switch (type)
        {
            case Messages.TASK ->
            {
                final long correlationId = in.getLong();
                final Messages.TaskMessage message;
                try
                {
                    message = Messages.readTask(in.wrap(buffer, offset + Integer.BYTES), codec, offset + length);
                }
                catch (final RuntimeException e)
                {
                    // answered at once: unanswered, the attempt would hold its slot until the host is given up
                    bad.warn("agent host '{}': a task (correlation {}) could not be decoded and is answered as "
                        + "failed: {}", hostId, correlationId, e.toString());
                    send(correlationId, false, 0, Double.NaN, "agent host '" + hostId + "' could not decode the "
                        + "task (is its payload codec the dispatcher's?): " + e);
                    return;
                }
                onTask(message);
            }
            case Messages.WELCOME ->
            {
                if (in.getLong() == session && refusal == null)
                {
                    if (!welcomed)
                    {
                        LOG.info("agent host '{}': registered with the dispatcher", hostId);
                    }
                    welcomed = true;
                    lastHeardNanos = System.nanoTime();
                }
            }
            case Messages.HEARTBEAT ->
            {
                if (in.getLong() == session)
                {
                    lastHeardNanos = System.nanoTime();
                }
            }
            case Messages.CANCEL ->
            {
                if (in.getLong() == session)
                {
                    final HostedAttempt attempt = attempts.get(in.getLong());
                    // not found: it was answered (the answer crossed the cancel) and the dispatcher ignores it
                    if (attempt != null && attempt.cancel())
                    {
                        LOG.warn("agent host '{}': the dispatcher gave up attempt {} of task {} on agent '{}' "
                            + "unanswered (its task's timeout or its answer deadline passed); cancelled, its answer will not be sent",
                            hostId, attempt.attempt(), attempt.task().id(), specs.get(attempt.agentIndex()).id());
                    }
                }
            }
            case Messages.REFUSED ->
            {
                if (in.getLong() == session && refusal == null)
                {
                    // said HELLO no more: the same agents would be refused again; restarted, the host tries anew
                    refusal = in.getString();
                    welcomed = false;
                    LOG.error("agent host '{}': NOT REGISTERED, none of its agents will get tasks: {}", hostId,
                        refusal);
                }
            }
            default -> bad.warn("agent host '{}': ignored a message of unknown type or version", hostId);
        }
    }

    /**
     * Cancels every attempt running, as the dispatcher's CANCEL would, and answers each as failed. Silent this long,
     * the dispatcher has most likely given this session up (or restarted) and failed them all, and sends no CANCEL
     * for them, so kept they would hold their slots, payloads and threads for good. But it may not have: a pause of
     * its process reads this host's queued heartbeats and HELLO before its own silence check, and a loss only on the
     * way here leaves it hearing this host; it then keeps the session (the HELLO is a repeat) and would hold each
     * attempt, and its agent's slot, until its answer deadline. The failure answer covers both: such a dispatcher
     * retries the attempt at once, one that gave it up counts the answer as late. Poller only.
     *
     * @return for the log: how many were dropped, or nothing.
     */
    private String dropAttempts(final long silentMillis)
    {
        final String why = "agent host '" + hostId + "' cancelled the attempt: the dispatcher was silent for "
            + silentMillis + " ms (silence timeout " + settings.silenceTimeout().toMillis() + " ms), so the host "
            + "registered again and dropped what it was running";
        int dropped = 0;
        for (final HostedAttempt attempt : attempts.values())
        {
            if (attempt.cancel())
            {
                dropped++;
                send(attempt.correlationId(), false, 0, Double.NaN, why);
            }
        }
        return dropped == 0 ? "" : "; cancelled its " + dropped + " attempt(s) running and answers them as failed "
            + "(a dispatcher that gave this host up has retried them already, one that did not retries them now)";
    }

    private void onTask(final Messages.TaskMessage message)
    {
        lastHeardNanos = System.nanoTime();
        final HostedAttempt attempt = new HostedAttempt(message, sink);
        if (message.agentIndex() < 0 || message.agentIndex() >= adapters.size())
        {
            attempt.fail(new IllegalArgumentException("no agent at index " + message.agentIndex() + " on " + hostId));
            return;
        }
        inFlight.incrementAndGet(message.agentIndex());
        attempts.put(message.correlationId(), attempt);
        final AgentAdapter adapter = adapters.get(message.agentIndex());
        final HostTelemetry agentTelemetry = telemetry.get(message.agentIndex());
        final Runnable run = () ->
        {
            tasksRun.increment();
            try
            {
                adapter.execute(attempt, attempt, agentTelemetry);
            }
            catch (final Throwable t)
            {
                // the agent's fault costs this attempt, never the host
                attempt.fail(t);
            }
        };
        if (executor == null)
        {
            run.run();
        }
        else
        {
            attempt.runsAs(executor.submit(run));
        }
    }

    private void send(final long correlationId, final boolean ok, final long tokens, final double quality,
                      final String text)
    {
        final Wire wire = WIRE.get();
        Messages.completion(wire, correlationId, ok, tokens, quality, text);
        if (!muted && answers.isEmpty() && publication.offer(wire.buffer(), 0, wire.position()) > 0)
        {
            return;
        }
        if (!answers.offer(new Answer(correlationId, ok, tokens, quality, text)))
        {
            answersDropped.increment();
        }
    }

    /** Sends what agents published since the last tick; a report lost to back-pressure is sent with the next. */
    private int sendTelemetry(final Wire wire)
    {
        int sent = 0;
        for (int i = 0; i < telemetry.size(); i++)
        {
            final HostTelemetry t = telemetry.get(i);
            if (t.takeDirty())
            {
                Messages.telemetry(wire, session, i, t.utilization(), t.budgetLeft());
                if (publication.offer(wire.buffer(), 0, wire.position()) < 0)
                {
                    t.tokenBudgetLeft(t.budgetLeft()); // marks it dirty again
                }
                sent++;
            }
        }
        return sent;
    }

    private int drainAnswers(final Wire wire)
    {
        int sent = 0;
        Answer a;
        while ((a = answers.peek()) != null)
        {
            Messages.completion(wire, a.correlationId(), a.ok(), a.tokens(), a.quality(), a.text());
            if (publication.offer(wire.buffer(), 0, wire.position()) < 0)
            {
                break; // back-pressured or not connected: keep it, the dispatcher times the attempt out if it never comes
            }
            answers.poll();
            sent++;
        }
        return sent;
    }

    /** Holds back heartbeats and answers while {@code on}, as a network partition would; for tests. */
    void mute(final boolean on)
    {
        muted = on;
    }

    /**
     * @return whether the dispatcher has welcomed this host (all its agents are in the dispatcher) and is still heard
     *     from; see {@link #refusal()} for why it may never be.
     */
    public boolean registered()
    {
        return welcomed;
    }

    /**
     * Waits until the dispatcher has welcomed this host (all its agents are in the dispatcher), for at most
     * {@code timeout}.
     *
     * @return true if it has; false at the timeout (the dispatcher not reachable yet, of another protocol version, or
     *     not able to add the agents yet: not started, or its slots full).
     * @throws IllegalStateException if the dispatcher refused this host, with the dispatcher's reason and the fix.
     */
    public boolean awaitRegistered(final Duration timeout) throws InterruptedException
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!welcomed)
        {
            final String refused = refusal();
            if (refused != null)
            {
                throw new IllegalStateException("agent host '" + hostId + "' was refused by the dispatcher: " + refused);
            }
            if (System.nanoTime() - deadline > 0)
            {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    /**
     * @return why the dispatcher refused this host and how to fix it, or null if it has not. A refusal is final for
     *     this host (it says HELLO no more) and is given for the host's own faults (an agent id another agent of the
     *     dispatcher has, an agent spec the dispatcher cannot take, a host id a live host has) and by a dispatcher
     *     shut down, or draining (unless it admitted this host id before). A cause that passes (the dispatcher not
     *     started yet, its slots full) is no refusal: the host keeps saying HELLO, is admitted once its agents can be
     *     added, and the dispatcher logs why it waits.
     */
    public String refusal()
    {
        return refusal;
    }

    public String hostId()
    {
        return hostId;
    }

    /** @return the endpoint this host receives tasks on (the resolved port when 0 was asked for). */
    public String endpoint()
    {
        return endpoint;
    }

    /**
     * @return the attempts the agent with this id is running on this host: taken and neither answered nor cancelled
     *     by the dispatcher (which cancels an attempt it gave up at its answer deadline, or past its task's timeout).
     * @throws IllegalArgumentException if no agent of this host has that id.
     */
    public int inFlight(final String agentId)
    {
        for (int i = 0; i < specs.size(); i++)
        {
            if (specs.get(i).id().equals(agentId))
            {
                return inFlight.get(i);
            }
        }
        throw new IllegalArgumentException("agent host '" + hostId + "' has no agent '" + agentId + "'");
    }

    public long tasksRun()
    {
        return tasksRun.sum();
    }

    /** Stops the poller, the agents and Aeron (and the embedded driver). */
    @Override
    public void close()
    {
        running = false;
        try
        {
            if (poller != null && !stopped.await(5, TimeUnit.SECONDS))
            {
                LOG.warn("agent host '{}': the poller did not stop within 5 s", hostId);
            }
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
        if (executor != null)
        {
            executor.shutdownNow();
        }
        for (final AgentAdapter a : adapters)
        {
            try
            {
                a.stop();
            }
            catch (final RuntimeException e)
            {
                LOG.warn("agent host '{}': an agent's stop() threw: {}", hostId, e.toString());
            }
        }
        if (transport != null)
        {
            transport.close();
        }
    }
}
