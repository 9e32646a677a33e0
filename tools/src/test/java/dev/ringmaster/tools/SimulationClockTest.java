package dev.ringmaster.tools;

import dev.ringmaster.spi.Completion;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class SimulationClockTest
{
    /** Records when and how it was completed, and how many times. */
    static final class Probe implements Completion
    {
        final long deadline;
        final AtomicInteger calls = new AtomicInteger();
        final CountDownLatch done;
        volatile long firedAt;
        volatile boolean failed;

        Probe(final long deadline, final CountDownLatch done)
        {
            this.deadline = deadline;
            this.done = done;
        }

        @Override
        public void succeed(final Object result, final long tokensUsed, final double quality)
        {
            firedAt = System.nanoTime();
            calls.incrementAndGet();
            done.countDown();
        }

        @Override
        public void fail(final Throwable cause)
        {
            failed = true;
            succeed(null, 0, Double.NaN);
        }
    }

    @Test
    void firesEveryCompletionOnceAndNeverBeforeItsDeadline() throws Exception
    {
        final int perThread = 2_000;
        final CountDownLatch done = new CountDownLatch(2 * perThread);
        final List<Probe> probes = new ArrayList<>();
        final AtomicLong failures = new AtomicLong();
        try (SimulationClock clock = new SimulationClock(64))
        {
            final List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 2; t++)
            {
                final List<Probe> mine = new ArrayList<>();
                final SplittableRandom random = new SplittableRandom(t);
                for (int i = 0; i < perThread; i++)
                {
                    // 0 to 30 ms, a few beyond one turn of the wheel (16.8 ms), a few already past due
                    mine.add(new Probe(System.nanoTime() + random.nextLong(-100_000, 30_000_000), done));
                }
                probes.addAll(mine);
                threads.add(new Thread(() ->
                {
                    for (final Probe p : mine)
                    {
                        final boolean fail = (p.deadline & 1) == 0;
                        if (fail)
                        {
                            failures.incrementAndGet();
                        }
                        clock.schedule(p, p.deadline, "r", 1, 1.0, fail ? new IllegalStateException("x") : null);
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (final Thread t : threads)
            {
                t.join(10_000);
                assertThat(t.isAlive()).as("scheduling thread still running after 10 s").isFalse();
            }
            assertThat(done.await(10, TimeUnit.SECONDS)).as("all completions fired").isTrue();
        }
        assertThat(probes).allSatisfy(p ->
        {
            assertThat(p.calls.get()).isEqualTo(1);
            assertThat(p.firedAt).isGreaterThanOrEqualTo(p.deadline);
        });
        assertThat(probes.stream().filter(p -> p.failed).count()).isEqualTo(failures.get());
    }
}
