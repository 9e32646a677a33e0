package dev.ringmaster.dispatch.internal;

import dev.ringmaster.dispatch.Supervision;
import dev.ringmaster.metrics.FaultLog;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.AgentFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Brings crashed agents back through their type's factory, with back-off, on one daemon thread of its own: making an
 * adapter and starting it may block, so none of it runs on the router or the workers. The router only hands it a
 * crashed agent's spec (one queue offer); the new agent comes back through the ordinary add-agent command. An agent
 * added with a crash handler is its owner's to replace: the restarter only tells the owner and stops the old adapter.
 */
final class Restarter
{
    private static final Logger LOG = LoggerFactory.getLogger(Restarter.class);

    private final Engine engine;
    private final Supervision settings;
    private final Map<String, AgentFactory> factories;
    private final ScheduledExecutorService scheduler;
    final AtomicLong restarts = new AtomicLong();
    /** Stops of crashed adapters not yet run, for close() to run should the scheduler drop them. */
    private final java.util.Set<PendingStop> pendingStops = java.util.concurrent.ConcurrentHashMap.newKeySet();

    Restarter(final Engine engine, final Supervision settings, final Map<String, AgentFactory> factories)
    {
        this.engine = engine;
        this.settings = settings;
        this.factories = factories;
        final java.util.List<String> unrestartable = engine.lanesByType.keySet().stream()
            .filter(type -> !factories.containsKey(type)).sorted().toList();
        if (!unrestartable.isEmpty())
        {
            LOG.warn("supervision is configured, but agent type(s) {} have no AgentFactory: a crashed agent of those " +
                "types is not restarted (unless its owner replaces it, as an Autoscaler does for the agents it " +
                "added). Register one with Dispatcher.builder().agentFactory(...)", unrestartable);
        }
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r ->
        {
            final Thread t = new Thread(r, "ringmaster-supervisor");
            t.setDaemon(true);
            return t;
        });
    }

    int timeoutsBeforeRestart()
    {
        return settings.timeoutsBeforeRestart();
    }

    /** Any thread: whether a crashed agent of this spec will be brought back (a factory makes its type). */
    boolean canRestart(final AgentSpec spec)
    {
        return factories.containsKey(spec.type());
    }

    /**
     * Any thread (the router): schedules a restart of a crashed agent, after stopping its adapter, then completing
     * {@code stopped} if not null (an owner that declined to replace it may still wait for the stop).
     */
    void crashed(final AgentSpec spec, final AgentAdapter oldAdapter, final String reason,
                 final java.util.concurrent.CompletableFuture<Void> stopped)
    {
        if (!canRestart(spec))
        {
            // said before anything else: a "restarting it" line followed by "it stays out" read as a restart that failed
            LOG.error("agent '{}' of type '{}' crashed ({}); supervision is on, but no AgentFactory is registered for " +
                "its type, so it is not restarted and stays out: tasks only it could take wait until an agent of " +
                "type '{}' is added (or their time to live runs out). Register one with " +
                "Dispatcher.builder().agentFactory(...)", spec.id(), spec.type(), reason, spec.type());
            stopForOwner(spec.id(), oldAdapter, stopped);
            return;
        }
        LOG.warn("agent '{}' crashed ({}); restarting it in {} ms", spec.id(), reason, settings.backoff().toMillis());
        stopForOwner(spec.id(), oldAdapter, stopped);
        schedule(spec, settings.backoff().toNanos());
    }

    /**
     * The router: tells a crashed agent's owner (its crash handler), who replaces it instead of this restarter, so
     * that the owner's records and its factory's release follow the agent.
     *
     * @return true if the owner replaces it; false if it declined or threw: the crash is then handled as any other.
     */
    boolean tellOwner(final AgentState agent, final String reason, final java.util.concurrent.CompletableFuture<Void> stopped)
    {
        try
        {
            if (agent.crashHandler.crashed(agent.spec, reason, stopped))
            {
                LOG.warn("agent '{}' crashed ({}); its owner replaces it", agent.id(), reason);
                return true;
            }
        }
        catch (final Throwable e)
        {
            // the owner's code runs on the router: whatever it throws must not stop the fleet; nor may tasks wait
            // for a replacement an owner that failed may never make
            LOG.error("crash handler of agent '{}' threw; the dispatcher handles the crash itself: {}", agent.id(),
                FaultLog.describe(e));
        }
        return false;
    }

    /**
     * The router: stops an owned crashed agent's adapter off the router, then completes {@code stopped}; or, should
     * stop() not return within the supervision's {@code maxBackoff} (it hangs, or waits behind one that does on this
     * single thread), completes it with a {@link java.util.concurrent.TimeoutException}: the owner then releases what
     * the adapter held while stop() may still run, rather than count the agent as starting for good. A null
     * {@code stopped}: no owner waits.
     */
    void stopForOwner(final String agentId, final AgentAdapter adapter,
                      final java.util.concurrent.CompletableFuture<Void> stopped)
    {
        if (stopped != null)
        {
            stopped.orTimeout(settings.maxBackoff().toNanos(), TimeUnit.NANOSECONDS);
        }
        final PendingStop stop = new PendingStop(agentId, adapter, stopped);
        pendingStops.add(stop);
        try
        {
            scheduler.execute(stop);
        }
        catch (final java.util.concurrent.RejectedExecutionException e)
        {
            // the dispatcher is terminating: the adapter is still stopped, so that its owner still releases it
            java.util.concurrent.CompletableFuture.runAsync(stop);
        }
    }

    /** A crashed adapter's stop, run once: by the supervisor's thread, or by close() if that dropped it. */
    private final class PendingStop implements Runnable
    {
        private final String agentId;
        private final AgentAdapter adapter;
        private final java.util.concurrent.CompletableFuture<Void> stopped;
        private final java.util.concurrent.atomic.AtomicBoolean started = new java.util.concurrent.atomic.AtomicBoolean();

        PendingStop(final String agentId, final AgentAdapter adapter,
                    final java.util.concurrent.CompletableFuture<Void> stopped)
        {
            this.agentId = agentId;
            this.adapter = adapter;
            this.stopped = stopped;
        }

        @Override
        public void run()
        {
            if (!started.compareAndSet(false, true))
            {
                return;
            }
            try
            {
                AdapterLifecycle.stopQuietly(agentId, adapter);
            }
            finally
            {
                pendingStops.remove(this);
                if (stopped != null)
                {
                    stopped.complete(null);
                }
            }
        }
    }

    private void schedule(final AgentSpec spec, final long delayNanos)
    {
        try
        {
            scheduler.schedule(() -> restart(spec, delayNanos), delayNanos, TimeUnit.NANOSECONDS);
        }
        catch (final java.util.concurrent.RejectedExecutionException e)
        {
            LOG.info("dispatcher stopped: agent '{}' is not restarted", spec.id());
        }
    }

    private void restart(final AgentSpec spec, final long lastDelayNanos)
    {
        final int state = engine.runState();
        if (state != Control.RUNNING && state != Control.DRAINING)
        {
            return;
        }
        final AgentFactory factory = factories.get(spec.type());
        if (factory == null)
        {
            LOG.error("agent '{}' of type '{}' crashed and no AgentFactory is registered for its type; it stays out. " +
                "Register one with Dispatcher.builder().agentFactory(...)", spec.id(), spec.type());
            return;
        }
        AgentAdapter adapter = null;
        try
        {
            adapter = factory.create(spec);
            adapter.start();
            final AgentAdapter started = adapter;
            // counted inside the command, before the agent can take a task: a caller who sees a task finish on the
            // restarted agent also sees the restart counted
            engine.fleet.ask((router, now) ->
            {
                final dev.ringmaster.spi.AgentView agent = router.addAgent(spec, started);
                restarts.incrementAndGet();
                return agent;
            }).whenComplete((agent, error) ->
            {
                if (error != null)
                {
                    LOG.error("restarted agent '{}' could not rejoin: {}", spec.id(), FaultLog.describe(error));
                    scheduler.execute(() -> AdapterLifecycle.stopQuietly(spec.id(), started));
                }
                else
                {
                    LOG.info("agent '{}' restarted by its factory", spec.id());
                }
            });
        }
        catch (final Throwable e)
        {
            // an Error from the factory or start() too: the restart is tried again, not given up silently
            if (adapter != null)
            {
                AdapterLifecycle.stopQuietly(spec.id(), adapter);
            }
            final long next = Math.min(settings.maxBackoff().toNanos(), lastDelayNanos * 2);
            LOG.warn("restart of agent '{}' failed ({}); next try in {} ms", spec.id(), FaultLog.describe(e), next / 1_000_000);
            schedule(spec, next);
        }
    }

    void close()
    {
        scheduler.shutdownNow();
        // shutdownNow drops the stops still queued (behind a slow one): run them anyway, off the terminating thread,
        // so that no crashed adapter is left running and no owner waits for good to release it
        for (final PendingStop stop : pendingStops)
        {
            java.util.concurrent.CompletableFuture.runAsync(stop);
        }
    }
}
