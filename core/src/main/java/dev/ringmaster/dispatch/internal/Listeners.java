package dev.ringmaster.dispatch.internal;

import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.DispatchListener;
import dev.ringmaster.spi.TaskView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans every event out to the registered listeners on the router thread; a listener that throws is logged (the first
 * few times) and never stops the dispatcher or the other listeners.
 */
final class Listeners implements DispatchListener
{
    private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);
    private static final int MAX_LOGGED_ERRORS = 10;

    private final DispatchListener[] listeners;
    private long errors;

    Listeners(final DispatchListener[] listeners)
    {
        this.listeners = listeners;
    }

    long errors()
    {
        return errors;
    }

    private void failed(final DispatchListener l, final String event, final RuntimeException e)
    {
        if (errors++ < MAX_LOGGED_ERRORS)
        {
            LOG.error("dispatch listener {} threw from {}; the event is dropped for it, dispatch goes on", l.getClass().getName(), event, e);
        }
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
            catch (final RuntimeException e)
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
            catch (final RuntimeException e)
            {
                failed(l, "onAssigned", e);
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
            catch (final RuntimeException e)
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
            catch (final RuntimeException e)
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
            catch (final RuntimeException e)
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
            catch (final RuntimeException e)
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
            catch (final RuntimeException e)
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
            catch (final RuntimeException e)
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
            catch (final RuntimeException e)
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
            catch (final RuntimeException e)
            {
                failed(l, "onCancelled", e);
            }
        }
    }
}
