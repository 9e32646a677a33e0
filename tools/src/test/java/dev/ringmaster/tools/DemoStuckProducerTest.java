package dev.ringmaster.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A demo producer held inside submit (routing through a strategy that never returns, a user's trial: the run hung
 * without a word, and a signal's summary never came) no longer holds the run: once nothing is accepted or ends for a
 * while, or the producers do not stop after a signal, the run goes on to its summary, naming the strategy.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DemoStuckProducerTest
{
    @Test
    void aProducerStuckWhileNothingMovesIsLeftBehindAndTheStrategyNamed() throws Exception
    {
        final CountDownLatch never = new CountDownLatch(1);
        final Thread stuck = new Thread(() -> await(never), "stuck-producer");
        stuck.setDaemon(true);
        stuck.start();
        try
        {
            final AtomicBoolean stop = new AtomicBoolean();
            final boolean[] finished = new boolean[1];
            final String logs = ServeShutdownTest.logsOf(() -> finished[0] = awaitProducers(stuck, stop,
                TimeUnit.MILLISECONDS.toNanos(300), TimeUnit.SECONDS.toNanos(60)));

            assertThat(finished[0]).isFalse();
            assertThat(stop).as("no signal is reported for it (the run said 'interrupted by a signal')").isFalse();
            assertThat(logs).contains("no task was accepted or ended for", "the routing strategy 'hangs' may be " +
                "stuck in select or route", "the run goes on without the producers");
        }
        finally
        {
            never.countDown();
        }
    }

    @Test
    void afterASignalAProducerThatDoesNotStopIsLeftBehindToo() throws Exception
    {
        final CountDownLatch never = new CountDownLatch(1);
        final Thread stuck = new Thread(() -> await(never), "stuck-producer");
        stuck.setDaemon(true);
        stuck.start();
        try
        {
            final AtomicBoolean stop = new AtomicBoolean(true); // the signal came
            final boolean[] finished = new boolean[1];
            final String logs = ServeShutdownTest.logsOf(() -> finished[0] = awaitProducers(stuck, stop,
                TimeUnit.SECONDS.toNanos(60), TimeUnit.MILLISECONDS.toNanos(300)));

            assertThat(finished[0]).isFalse();
            assertThat(logs).contains("the producers did not stop within 300 ms of the signal");
        }
        finally
        {
            never.countDown();
        }
    }

    @Test
    void producersThatFinishAreSimplyJoined() throws Exception
    {
        final Thread quick = new Thread(() -> { }, "quick-producer");
        quick.start();
        assertThat(DemoRun.awaitProducers(() -> 0, List.of(quick), "hangs", new AtomicBoolean(),
            TimeUnit.SECONDS.toNanos(60), TimeUnit.SECONDS.toNanos(60))).isTrue();
    }

    private static boolean awaitProducers(final Thread producer, final AtomicBoolean stop,
                                          final long stalledNanos, final long stoppedNanos)
    {
        try
        {
            return DemoRun.awaitProducers(() -> 0, List.of(producer), "hangs", stop, stalledNanos, stoppedNanos);
        }
        catch (final InterruptedException e)
        {
            throw new IllegalStateException(e);
        }
    }

    private static void await(final CountDownLatch latch)
    {
        try
        {
            latch.await(30, TimeUnit.SECONDS);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }
}
