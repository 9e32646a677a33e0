package dev.ringmaster.tools;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * The shutdown hook of {@code ringmaster serve}: a signal (Ctrl-C, SIGTERM) stops the serving, and the hook holds the
 * JVM until the drain has run, then ends it with serve's exit code. One instance per serve run; {@link #run()} runs
 * on the JVM's shutdown thread, the latches and the exit code are shared with the serving thread.
 */
final class ServeShutdown implements Runnable
{
    /** Longest the hook holds the JVM for the drain (30 s) and the cancelling after it (10 s). */
    static final long HOLD_SECONDS = 60;

    private final CountDownLatch stop;
    private final CountDownLatch finished;
    private final AtomicInteger exitCode;
    private final Runnable flush;
    private final IntConsumer halt;

    /**
     * @param exitCode serve's exit code, set before {@code finished} counts down; -1 while serving.
     * @param flush    flushes the command line's output before the JVM ends.
     * @param halt     ends the JVM with a code ({@code Runtime.getRuntime()::halt}).
     */
    ServeShutdown(final CountDownLatch stop, final CountDownLatch finished, final AtomicInteger exitCode,
                  final Runnable flush, final IntConsumer halt)
    {
        this.stop = stop;
        this.finished = finished;
        this.exitCode = exitCode;
        this.flush = flush;
        this.halt = halt;
    }

    @Override
    public void run()
    {
        stop.countDown();
        try
        {
            // the JVM exits when the hooks return: hold it until the drain has run
            final int code = finished.await(HOLD_SECONDS, TimeUnit.SECONDS) ? exitCode.get() : -1;
            if (code >= 0)
            {
                // serve's own code, not the JVM's 128 + signal: the code serve returns never reaches the exit once a
                // signal started the shutdown (System.exit blocks then), so a timed-out drain would exit 143, not 1
                flush.run();
                halt.accept(code);
            }
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }
}
