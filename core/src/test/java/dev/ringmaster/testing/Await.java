package dev.ringmaster.testing;

import dev.ringmaster.dispatch.Dispatcher;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition that other threads make true, with a deadline, for the tests of every module that can see
 * core's test jar: a test never spins unbounded, and never sleeps a fixed time hoping that something happened.
 */
public final class Await
{
    /** Generous for a loaded 2-core machine; a test that passes waits only as long as the condition takes. */
    public static final Duration DEFAULT = Duration.ofSeconds(10);

    private Await()
    {
    }

    /** Waits up to {@link #DEFAULT} for the condition, failing with {@code what} otherwise. */
    public static void until(final String what, final BooleanSupplier condition) throws InterruptedException
    {
        until(what, DEFAULT, condition);
    }

    /** Polls the condition every millisecond until it holds; fails with {@code what} once the timeout has passed. */
    public static void until(final String what, final Duration timeout, final BooleanSupplier condition)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline >= 0)
            {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting until " + what);
            }
            Thread.sleep(1);
        }
    }

    /**
     * Returns once the dispatcher's router has been through a whole loop (commands, then routing) since this call:
     * two commands in sequence, the second sent only after the first was answered. A positive signal that what was
     * submitted or sent to the router before had its chance to take effect, where a sleep would only hope so.
     */
    public static void routerPass(final Dispatcher d) throws Exception
    {
        for (int i = 0; i < 2; i++)
        {
            if (d.whereIs(-1L).get(DEFAULT.toMillis(), TimeUnit.MILLISECONDS) != null)
            {
                throw new AssertionError("task -1 cannot exist");
            }
        }
    }

    /** Joins a thread the test started, failing if it is still running after {@link #DEFAULT}. */
    public static void joined(final Thread thread) throws InterruptedException
    {
        joined(thread, DEFAULT);
    }

    /** Joins a thread the test started, failing if it is still running after the timeout. */
    public static void joined(final Thread thread, final Duration timeout) throws InterruptedException
    {
        thread.join(timeout.toMillis());
        if (thread.isAlive())
        {
            throw new AssertionError("thread '" + thread.getName() + "' still running after " + timeout.toMillis() + " ms");
        }
    }
}
