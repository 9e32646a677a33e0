package dev.ringmaster.journal.internal;

import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The asynchronous journal writer's idle strategy: after a drain that wrote something it lingers (parks for a fixed
 * time) so that the next drain finds a batch rather than a record, unless the drain stopped at its cap with more
 * waiting; with nothing written it parks longer. Used only by the writer thread.
 *
 * <p>Why not Agrona's back-off: records arrive every few microseconds at load, so a back-off that restarts at
 * spinning after every drain never parks for long; the writer then wakes once or twice per record and takes a core
 * from the router and the workers on a small machine, which is what made the journal cost most of the dispatcher.
 */
public final class LingerIdleStrategy implements IdleStrategy
{
    private final BooleanSupplier moreWaiting;
    private final long lingerNanos;
    private final long idleNanos;

    /**
     * @param moreWaiting true when the last drain stopped at its cap: drain again at once.
     * @param lingerNanos park after a drain that wrote something.
     * @param idleNanos park after a drain that found nothing.
     */
    public LingerIdleStrategy(final BooleanSupplier moreWaiting, final long lingerNanos, final long idleNanos)
    {
        this.moreWaiting = moreWaiting;
        this.lingerNanos = lingerNanos;
        this.idleNanos = idleNanos;
    }

    @Override
    public void idle(final int workCount)
    {
        if (workCount > 0 && moreWaiting.getAsBoolean())
        {
            return;
        }
        LockSupport.parkNanos(workCount > 0 ? lingerNanos : idleNanos);
    }

    @Override
    public void idle()
    {
        LockSupport.parkNanos(idleNanos);
    }

    @Override
    public void reset()
    {
        // stateless between calls
    }

    @Override
    public String alias()
    {
        return "linger";
    }
}
