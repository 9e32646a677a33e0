package dev.ringmaster.admin;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Polls a condition that HTTP or IO may throw from, with a deadline; stateless, for the test thread. */
final class Polling
{
    /** A condition that may throw while it is checked. */
    @FunctionalInterface
    interface Check
    {
        boolean ok() throws Exception;
    }

    private Polling()
    {
    }

    /** Fails the test if the condition is not met within 5 s. */
    static void await(final Check check) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!check.ok())
        {
            assertThat(System.nanoTime() - deadline).as("condition not met within 5 s").isNegative();
            Thread.sleep(5);
        }
    }
}
