package dev.ringmaster.dispatch.internal;

import dev.ringmaster.metrics.FaultLog;
import dev.ringmaster.spi.AgentAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls an adapter's {@code start()} and {@code stop()} with whatever they throw, {@code Error}s included, contained
 * (a plugin's class that fails to load throws {@code NoClassDefFoundError}, a native model {@code UnsatisfiedLinkError});
 * stateless, called off the dispatch path on any thread.
 */
final class AdapterLifecycle
{
    private static final Logger LOG = LoggerFactory.getLogger(AdapterLifecycle.class);

    private AdapterLifecycle()
    {
    }

    /** @return null if the adapter started, else what its {@code start()} threw. */
    static Throwable start(final AgentAdapter adapter)
    {
        try
        {
            adapter.start();
            return null;
        }
        catch (final Throwable e)
        {
            return e;
        }
    }

    /**
     * shutdownNow's stop of the adapters, as ExecutorService.shutdownNow interrupts its running tasks: a call still
     * running has no other way to return. On a thread of its own: never on the routing role (stop() may block, and
     * the answers it provokes are folded in by the role), nor on shutdownNow's caller should that hold the role.
     *
     * @return completes once every stop() returned.
     */
    static java.util.concurrent.CompletableFuture<Void> stopAll(final java.util.List<AgentState> agents)
    {
        final java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
        final Thread stopper = new Thread(() ->
        {
            try
            {
                for (final AgentState agent : agents)
                {
                    stopQuietly(agent.id(), agent.adapter);
                }
            }
            finally
            {
                done.complete(null);
            }
        }, "ringmaster-shutdown-stop");
        stopper.setDaemon(true);
        stopper.start();
        return done;
    }

    /** @return true if {@code stops} (null: none) completed before the deadline (System.nanoTime()). */
    static boolean awaitStops(final java.util.concurrent.CompletableFuture<Void> stops, final long deadlineNanos)
    {
        if (stops == null)
        {
            return true;
        }
        try
        {
            stops.get(Math.max(0, deadlineNanos - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
            return true;
        }
        catch (final java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e)
        {
            return stops.isDone();
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** At termination: stops every agent still in the fleet whose adapter shutdownNow did not stop already. */
    static void stopAtTermination(final AgentState[] agents)
    {
        for (final AgentState agent : agents)
        {
            if (!agent.removed && agent.claimStop())
            {
                stopQuietly(agent.id(), agent.adapter);
            }
        }
    }

    /** Stops an adapter; a {@code stop()} that throws is logged and ignored, so the other agents still stop. */
    static void stopQuietly(final String agentId, final AgentAdapter adapter)
    {
        try
        {
            adapter.stop();
        }
        catch (final Throwable e)
        {
            try
            {
                LOG.warn("stop() of agent '{}' threw; ignored", agentId, e);
            }
            catch (final Throwable unprintable)
            {
                // its message threw as the stack trace was printed: the other agents must still be stopped
                LOG.warn("stop() of agent '{}' threw {}; ignored", agentId, FaultLog.describe(e));
            }
        }
    }
}
