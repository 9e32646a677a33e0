package dev.ringmaster.dispatch.internal;

import dev.ringmaster.metrics.FaultLog;
import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.DispatchListener;
import dev.ringmaster.spi.Provenance;
import dev.ringmaster.spi.TaskView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans every event out to the registered listeners, on the thread holding the routing role (one at a time); a listener
 * that throws anything, {@code Error}s included, loses that event, is logged at most once per interval with a count,
 * and never stops the dispatcher or the other listeners.
 */
final class Listeners implements DispatchListener
{
    private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);
    private final DispatchListener[] listeners;
    private final java.util.IdentityHashMap<DispatchListener, FaultLog> faults = new java.util.IdentityHashMap<>();

    Listeners(final DispatchListener[] listeners)
    {
        this.listeners = listeners;
        for (final DispatchListener l : listeners)
        {
            faults.put(l, new FaultLog(LOG, "dispatch listener " + l.getClass().getName()));
        }
    }

    /** @return true if any listener is registered. */
    boolean any()
    {
        return listeners.length > 0;
    }

    /** @return faults of every listener so far. */
    long errors()
    {
        long sum = 0;
        for (final FaultLog f : faults.values())
        {
            sum += f.total();
        }
        return sum;
    }

    private void failed(final DispatchListener l, final String event, final Throwable e)
    {
        faults.get(l).report("threw from " + event + "; the event is dropped for it, dispatch goes on", e);
    }

    @Override
    public void onAccepted(final TaskView task, final long nanos)
    {
        for (final DispatchListener l : listeners)
        {
            try
            {
                l.onAccepted(task, nanos);
            }
            catch (final Throwable e)
            {
                failed(l, "onAccepted", e);
            }
        }
    }

    @Override
    public void onAssigned(final TaskView task, final AgentView agent, final String strategy, final double score,
                           final double runnerUp, final long nanos)
    {
        for (final DispatchListener l : listeners)
        {
            try
            {
                l.onAssigned(task, agent, strategy, score, runnerUp, nanos);
            }
            catch (final Throwable e)
            {
                failed(l, "onAssigned", e);
            }
        }
    }

    @Override
    public void onAcceptedAndAssigned(final TaskView task, final long acceptedNanos, final AgentView agent,
                                      final String strategy, final double score, final double runnerUp,
                                      final long assignedNanos)
    {
        for (final DispatchListener l : listeners)
        {
            try
            {
                l.onAcceptedAndAssigned(task, acceptedNanos, agent, strategy, score, runnerUp, assignedNanos);
            }
            catch (final Throwable e)
            {
                failed(l, "onAcceptedAndAssigned", e);
            }
        }
    }

    @Override
    public void onAssigned(final TaskView task, final AgentView agent, final Provenance why, final long nanos)
    {
        for (final DispatchListener l : listeners)
        {
            try
            {
                l.onAssigned(task, agent, why, nanos);
            }
            catch (final Throwable e)
            {
                failed(l, "onAssigned", e);
            }
        }
    }

    @Override
    public void onAcceptedAndAssigned(final TaskView task, final long acceptedNanos, final AgentView agent,
                                      final Provenance why, final long assignedNanos)
    {
        for (final DispatchListener l : listeners)
        {
            try
            {
                l.onAcceptedAndAssigned(task, acceptedNanos, agent, why, assignedNanos);
            }
            catch (final Throwable e)
            {
                failed(l, "onAcceptedAndAssigned", e);
            }
        }
    }

    @Override
    public void onStolen(final TaskView task, final AgentView from, final AgentView to, final long nanos)
    {
        for (final DispatchListener l : listeners)
        {
            try
            {
                l.onStolen(task, from, to, nanos);
            }
            catch (final Throwable e)
            {
                failed(l, "onStolen", e);
            }
        }
    }

    @Override
    public void onStarted(final TaskView task, final AgentView agent, final long nanos)
    {
        for (final DispatchListener l : listeners)
        {
            try
            {
                l.onStarted(task, agent, nanos);
            }
            catch (final Throwable e)
            {
                failed(l, "onStarted", e);
            }
        }
    }

    @Override
    public void onCompleted(final TaskView task, final AgentView agent, final long tokensUsed, final long nanos)
    {
        for (final DispatchListener l : listeners)
        {
            try
            {
                l.onCompleted(task, agent, tokensUsed, nanos);
            }
            catch (final Throwable e)
            {
                failed(l, "onCompleted", e);
            }
        }
    }

    @Override
    public void onFailed(final TaskView task, final AgentView agent, final String reason, final long nanos)
    {
        for (final DispatchListener l : listeners)
        {
            try
            {
                l.onFailed(task, agent, reason, nanos);
            }
            catch (final Throwable e)
            {
                failed(l, "onFailed", e);
            }
        }
    }

    @Override
    public void onRetried(final TaskView task, final long retryAtNanos, final long nanos)
    {
        for (final DispatchListener l : listeners)
        {
            try
            {
                l.onRetried(task, retryAtNanos, nanos);
            }
            catch (final Throwable e)
            {
                failed(l, "onRetried", e);
            }
        }
    }

    @Override
    public void onExpired(final TaskView task, final String reason, final long nanos)
    {
        for (final DispatchListener l : listeners)
        {
            try
            {
                l.onExpired(task, reason, nanos);
            }
            catch (final Throwable e)
            {
                failed(l, "onExpired", e);
            }
        }
    }

    @Override
    public void onDeadLettered(final TaskView task, final String reason, final long nanos)
    {
        for (final DispatchListener l : listeners)
        {
            try
            {
                l.onDeadLettered(task, reason, nanos);
            }
            catch (final Throwable e)
            {
                failed(l, "onDeadLettered", e);
            }
        }
    }

    @Override
    public void onCancelled(final TaskView task, final String reason, final long nanos)
    {
        for (final DispatchListener l : listeners)
        {
            try
            {
                l.onCancelled(task, reason, nanos);
            }
            catch (final Throwable e)
            {
                failed(l, "onCancelled", e);
            }
        }
    }
}
