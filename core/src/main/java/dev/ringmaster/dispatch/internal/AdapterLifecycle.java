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
