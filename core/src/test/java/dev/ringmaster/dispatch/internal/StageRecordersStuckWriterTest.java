package dev.ringmaster.dispatch.internal;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A metrics reader does not wait for a routing role holder stuck in a call: the holder stays inside the writer section
 * for as long as a strategy call takes, and a strategy that never returned made every metrics read wait for ever (the
 * demo's summary, the admin endpoint's /status). Its values are not lost: a later read, once the holder is out, has
 * them.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StageRecordersStuckWriterTest
{
    @Test
    void aReaderReturnsAtOnceWhileTheHolderIsStuckAndALaterReadHasItsValues() throws Exception
    {
        final StageRecorders stages = new StageRecorders();
        final CountDownLatch inside = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final Thread holder = new Thread(() ->
        {
            final long token = stages.enter();
            // the holder's last piece of work began well over the reader's patience ago
            stages.working(System.nanoTime() - 2 * StageRecorders.STUCK_WRITER_NANOS);
            stages.record(Stage.ROUTING, 1_000);
            inside.countDown();
            try
            {
                release.await(20, TimeUnit.SECONDS); // "stuck in a strategy call"
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
            stages.exit(token);
        }, "stuck-holder");
        holder.start();
        assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();

        final Histogram whileStuck = CompletableFuture.supplyAsync(() -> stages.intervalHistogram(Stage.ROUTING, null))
            .get(5, TimeUnit.SECONDS);
        assertThat(whileStuck.getTotalCount()).as("nothing it could read safely").isZero();

        release.countDown();
        holder.join(10_000);
        assertThat(stages.intervalHistogram(Stage.ROUTING, null).getTotalCount()).as("kept for a later read")
            .isEqualTo(1);
    }
}
