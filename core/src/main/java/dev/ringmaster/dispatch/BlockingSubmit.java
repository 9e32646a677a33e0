package dev.ringmaster.dispatch;

import dev.ringmaster.dispatch.internal.Engine;
import dev.ringmaster.model.Task;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;

/**
 * A submit that waits out a full ring or queue for a while, backing off from spinning to yielding to parking so that
 * a waiting producer never takes a core from the dispatcher's own threads; stateless, called on the producer's thread.
 * An interrupted producer stops waiting at once and keeps its interrupt status: {@code parkNanos} returns immediately
 * while the status is set, so waiting on would spin a core until the deadline.
 */
final class BlockingSubmit
{
    private BlockingSubmit()
    {
    }

    static SubmitStatus submit(final Engine engine, final Task task, final long maxWaitNanos)
    {
        return submit(engine, task, null, maxWaitNanos);
    }

    /** As above, the task's end to complete {@code future} once accepted (the engine keeps it only then). */
    static SubmitStatus submit(final Engine engine, final Task task, final CompletableFuture<TaskResult> future,
                               final long maxWaitNanos)
    {
        SubmitStatus status = engine.submit(task, future);
        if (status != SubmitStatus.RING_FULL && status != SubmitStatus.QUEUE_FULL)
        {
            // the common case reads no clock: a read costs about 30 ns on the 2-core virtual machine we measure on
            return status;
        }
        // the wait counts from the first refusal, which came back without routing anything, so within a microsecond
        final long deadline = System.nanoTime() + maxWaitNanos;
        int round = 0;
        while (true)
        {
            if (System.nanoTime() - deadline >= 0 || Thread.currentThread().isInterrupted())
            {
                return status;
            }
            if (++round < 10)
            {
                Thread.onSpinWait();
            }
            else if (round < 20)
            {
                Thread.yield();
            }
            else
            {
                LockSupport.parkNanos(Math.min(1_000_000L, 10_000L << Math.min(6, round - 20)));
            }
            status = engine.submit(task, future);
            if (status != SubmitStatus.RING_FULL && status != SubmitStatus.QUEUE_FULL)
            {
                return status;
            }
        }
    }
}
