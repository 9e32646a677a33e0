package dev.ringmaster.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * What an action logged, for tests of log lines: slf4j-simple writes to {@code System.err}, which it looks up at each
 * write, so a stream swapped in for the action's length catches its lines. Not thread-safe across tests: the swap is
 * JVM-wide (Surefire runs a module's tests one at a time).
 */
public final class StderrLogs
{
    private StderrLogs()
    {
    }

    /** @return everything written to {@code System.err} while {@code action} ran; its exception, if any, propagates. */
    public static String of(final Runnable action)
    {
        final PrintStream stderr = System.err;
        final ByteArrayOutputStream logs = new ByteArrayOutputStream();
        System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
        try
        {
            action.run();
        }
        finally
        {
            System.setErr(stderr);
        }
        return logs.toString(StandardCharsets.UTF_8);
    }
}
