package dev.ringmaster.dispatch;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Priority;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.testing.Await;
import dev.ringmaster.testing.TestStrategies;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A dispatcher embedded in a service runs for months: whatever it keeps per task (live ids, records, futures, decision
 * trails, per-key or per-tenant state, retries, dead letters) must be given back when the task ends, and a burst
 * must not leave its peak behind, or the service runs out of heap one day. Measured as the live heap after full
 * collections, before and after.
 */
class RetainedMemoryTest
{
    /**
     * What a run may add to the live heap: 8 MB, against 26 MB that 150,000 task records alone take, and any object
     * kept per task weighs more than the 52 bytes a task that 8 MB leaves over 160,000 tasks; a full GC's own noise
     * is a few MB at most.
     */
    private static final long ALLOWED_GROWTH_BYTES = 8L << 20;

    @Test
    void theLiveHeapDoesNotGrowWithTheNumberOfTasksRun() throws Exception
    {
        final ExecutorService async = Executors.newFixedThreadPool(2);
        final AtomicLong results = new AtomicLong();
        final Dispatcher d = Dispatcher.builder()
            .agent(AgentSpec.builder("ok-1", "coder").capacity(8).skill("java", 1.0).build(),
                AgentAdapter.sync(t -> "ok"))
            .agent(AgentSpec.builder("ok-2", "coder").capacity(8).skill("go", 0.8).build(),
                AgentAdapter.sync(t -> "ok"))
            .agent(AgentSpec.builder("flaky", "coder").capacity(4).skill("java", 0.5).skill("go", 0.5).build(),
                (t, c, tel) ->
                {
                    if (t.task().id() % 5 == 0)
                    {
                        throw new IllegalStateException("flaky on " + t.task().id()); // a retry, some dead letters
                    }
                    c.succeed("ok");
                })
            .agent(AgentSpec.builder("remote", "coder").capacity(16).build(),
                (t, c, tel) -> async.execute(() -> c.succeed("ok", 100, 0.9)))
            .strategy(TestStrategies.leastLoaded())
            .shadow(TestStrategies.roundRobin())
            .deadLetterCapacity(64)
            .retryBackoff(Duration.ofNanos(1_000), Duration.ofNanos(10_000))
            .onResult((task, state, result, reason) -> results.incrementAndGet())
            .build()
            .start();
        try
        {
            final int first = 20_000;
            final int second = 160_000;
            run(d, 1, 0, first);
            Await.until("the first run's results", Duration.ofSeconds(30),
                () -> results.get() == first && d.outstanding() == 0);
            final long afterFirst = liveHeap();
            run(d, 2, first, second);
            Await.until("the second run's results", Duration.ofSeconds(30),
                () -> results.get() == first + second && d.outstanding() == 0);
            final long afterSecond = liveHeap();

            assertThat(afterSecond - afterFirst)
                .as("live heap after %,d tasks (%,d bytes) against after %,d (%,d bytes)", first + second,
                    afterSecond, first, afterFirst)
                .isLessThan(ALLOWED_GROWTH_BYTES);
        }
        finally
        {
            d.shutdownNow();
            d.awaitTermination(Duration.ofSeconds(10));
            async.shutdownNow();
        }
    }

    @Test
    void aBurstFarAboveTheRingsSizeLeavesNoRecordsBehindOnceItIsDone() throws Exception
    {
        final int burst = 150_000;
        final AtomicLong results = new AtomicLong();
        final Dispatcher d = Dispatcher.builder()
            .agent(AgentSpec.builder("a", "coder").capacity(16).build(), AgentAdapter.sync(t -> "ok"))
            .strategy(TestStrategies.leastLoaded())
            .ringSize(1024)
            .queueCapacity(burst)
            .onResult((task, state, result, reason) -> results.incrementAndGet())
            .build()
            .start();
        try
        {
            final long before = liveHeap();
            assertThat(d.pauseType("coder").get(10, TimeUnit.SECONDS)).isZero();
            for (int i = 0; i < burst; i++)
            {
                assertThat(d.submit(Task.builder("coder").id(i + 1L).build(), Duration.ofSeconds(10)))
                    .isEqualTo(SubmitStatus.ACCEPTED);
            }
            // every task of the burst is queued at once, so the dispatcher holds a record for each
            assertThat(d.resumeType("coder").get(10, TimeUnit.SECONDS)).isEqualTo(burst);
            Await.until("the burst's results", Duration.ofSeconds(30),
                () -> results.get() == burst && d.outstanding() == 0);
            final long after = liveHeap();

            assertThat(after - before)
                .as("live heap after a burst of %,d (%,d bytes) against before it (%,d bytes)", burst, after, before)
                .isLessThan(ALLOWED_GROWTH_BYTES);
        }
        finally
        {
            d.shutdownNow();
            d.awaitTermination(Duration.ofSeconds(10));
        }
    }

    /**
     * Tasks of every kind: unique ids and session keys, tenants, skills, priorities, TTLs, timeouts, futures; at most
     * 2,000 outstanding, so that the test measures what is kept per task, not how many were in flight at once.
     */
    private static void run(final Dispatcher d, final long seed, final int firstId, final int count)
        throws InterruptedException
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final Priority[] priorities = Priority.values();
        CompletableFuture<?> last = CompletableFuture.completedFuture(null);
        for (int i = 0; i < count; i++)
        {
            if (d.outstanding() > 2_000)
            {
                Await.until("room for more tasks", Duration.ofSeconds(10), () -> d.outstanding() <= 1_000);
            }
            final Task.Builder b = Task.builder("coder").id(firstId + i + 1L)
                .priority(priorities[random.nextInt(priorities.length)])
                .tenant("tenant-" + random.nextInt(1_000))
                .maxRetries(1);
            switch (random.nextInt(6))
            {
                case 0 -> b.affinityKey("session-" + (firstId + i)); // a key never seen again
                case 1 -> b.requiredSkills("java");
                case 2 -> b.ttl(Duration.ofSeconds(30));
                case 3 -> b.timeout(Duration.ofSeconds(30));
                case 4 -> b.costTokens(1 + random.nextInt(4_000));
                default -> b.payload("payload " + i);
            }
            final Task task = b.build();
            if (random.nextInt(8) == 0)
            {
                last = d.submitAsync(task);
            }
            else
            {
                assertThat(d.submit(task, Duration.ofSeconds(10))).isEqualTo(SubmitStatus.ACCEPTED);
            }
        }
        last.orTimeout(30, TimeUnit.SECONDS).join();
    }

    /** @return the heap in use after two full collections: what is still reachable. */
    private static long liveHeap() throws InterruptedException
    {
        for (int i = 0; i < 2; i++)
        {
            System.gc();
            Thread.sleep(50); // lets reference processing and the collector's own threads settle
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
