package dev.ringmaster.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** serve's shutdown hook ends the JVM with serve's exit code after a signal, not with 128 + the signal. */
class ServeShutdownTest
{
    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void aSignalWhoseDrainTimedOutExitsOneAndACleanOneZero()
    {
        assertThat(haltAfterSignal(1)).as("the drain timed out: exit 1, as serve --help says").containsExactly(1);
        assertThat(haltAfterSignal(0)).as("a clean drain: exit 0").containsExactly(0);
    }

    /** @return the codes the hook halted with once serving ended with {@code code}. */
    private static List<Integer> haltAfterSignal(final int code)
    {
        final CountDownLatch stop = new CountDownLatch(1);
        final CountDownLatch finished = new CountDownLatch(1);
        final AtomicInteger exitCode = new AtomicInteger(-1);
        final List<Integer> halted = new ArrayList<>();
        final ServeShutdown hook = new ServeShutdown(stop, finished, exitCode, () -> { }, halted::add);
        // serving ended before the hook waits: the hook must still stop the serving and use the code
        exitCode.set(code);
        finished.countDown();
        hook.run();
        assertThat(stop.getCount()).as("the hook stops the serving").isZero();
        return halted;
    }
}
