package dev.ringmaster.dispatch.internal;

import java.util.concurrent.locks.LockSupport;

/**
 * Whether the caller that terminated the dispatcher has stopped its adapters; thread-safe. Why apart from the run
 * state: TERMINATED is published before those stops (one caller makes them), so a second {@code awaitTermination}, or
 * an autoscaler asking whether its factory may release what it added, must wait for them: released before its
 * {@code stop()} ran, an adapter's process or connection was killed under it. A flag and a bounded park, as
 * {@code awaitTermination} waits for the rest: no lock type in this package, even off the dispatch path.
 */
final class StopsDone
{
    private volatile boolean done;

    /** The stops were made, or there were none to make (a dispatcher never started). */
    void done()
    {
        done = true;
    }

    /** @return true once {@link #done} was called, false if {@code deadlineNanos} (System.nanoTime) passed first. */
    boolean await(final long deadlineNanos)
    {
        while (!done)
        {
            if (System.nanoTime() - deadlineNanos >= 0 || Thread.currentThread().isInterrupted())
            {
                return false;
            }
            LockSupport.parkNanos(200_000);
        }
        return true;
    }
}
