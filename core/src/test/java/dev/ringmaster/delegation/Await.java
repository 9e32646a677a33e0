package dev.ringmaster.delegation;

import java.util.function.BooleanSupplier;

/** Polls a condition set by other threads; static and stateless. */
final class Await
{
    private Await()
    {
    }

    /** Waits up to 5 seconds for the condition, failing with {@code what} otherwise. */
    static void until(final String what, final BooleanSupplier condition) throws InterruptedException
    {
        final long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline >= 0)
            {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(1);
        }
    }
}
