package dev.ringmaster.dispatch.internal;

import dev.ringmaster.dispatch.TaskResult;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.testing.TestStrategies;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An idle dispatcher's workers and router thread doze instead of waking every millisecond (about 800 wake-ups a
 * second per worker before) and every 50 ms, and the first task accepted afterwards wakes them all back to their usual
 * back-stop, which stealing, lent agents, stuck peers and the router's safety net rely on. The doze's own back-stop is off here, so a wake-up that went astray shows as a
 * task that never runs rather than one that runs a second late.
 */
class IdleWorkersTest
{
    private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(10);

    @Test
    void theWorkersOfAnIdleDispatcherDozeAndAnAcceptedTaskWakesThemToStealAgain() throws Exception
    {
        final CountDownLatch firstCallInside = new CountDownLatch(1);
        final CompletableFuture<Object> heldAnswer = new CompletableFuture<>();
        final EngineConfig config = new EngineConfig();
        config.workers = 2;
        config.prefetch = 4;
        config.dozeAfterNanos = TimeUnit.MILLISECONDS.toNanos(20);
        config.dozeNanos = Long.MAX_VALUE;
        final Engine engine = new Engine(
            List.of(AgentSpec.builder("a0", "coder").capacity(1).build(), AgentSpec.builder("a1", "coder").capacity(1).build()),
            List.of(AgentAdapter.async(t ->
            {
                if ("blocks".equals(t.task().payload()))
                {
                    firstCallInside.countDown();
                    return heldAnswer; // answered on another thread, later: a0's worker stays free
                }
                return CompletableFuture.completedFuture("a0");
            }), AgentAdapter.sync(t -> "a1")),
            TestStrategies.first(), List.of(), (task, state, result, reason) -> { }, config);
        engine.start();
        try
        {
            final List<CompletableFuture<TaskResult>> warmUp = submit(engine, 100, "warm-up");
            for (final CompletableFuture<TaskResult> f : warmUp)
            {
                assertThat(f.get(10, TimeUnit.SECONDS).completed()).isTrue();
            }
            awaitAllDozing(engine);

            // a0's one slot is held by an answer that has not come, and the strategy fills its prefetch: only a1, by
            // stealing, can run these; nobody wakes a thief for a task placed on another agent: it must be awake
            final CompletableFuture<TaskResult> blocking = new CompletableFuture<>();
            engine.submit(Task.builder("coder").targetAgent("a0").payload("blocks").build(), blocking);
            assertThat(firstCallInside.await(10, TimeUnit.SECONDS)).isTrue();
            final List<CompletableFuture<TaskResult>> stealable = submit(engine, 4, "stealable");
            for (final CompletableFuture<TaskResult> f : stealable)
            {
                final TaskResult result = f.get(10, TimeUnit.SECONDS);
                assertThat(result.completed()).as("stolen by a1 while a0 waits for its answer").isTrue();
                assertThat(result.agentId()).isEqualTo("a1");
            }
            assertThat(blocking).as("a0 still waits for its answer").isNotDone();
        }
        finally
        {
            heldAnswer.complete("a0");
            assertThat(engine.drain(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void theFirstTaskAfterAnIdleSpellWakesTheRouterThreadWhoseAlarmPlacesATaskTheStrategyDeclined() throws Exception
    {
        final java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicLong firstAsked = new java.util.concurrent.atomic.AtomicLong();
        final EngineConfig config = new EngineConfig();
        config.workers = 1;
        config.dozeAfterNanos = TimeUnit.MILLISECONDS.toNanos(20);
        config.dozeNanos = Long.MAX_VALUE;
        // declines the task for 100 ms after it is first asked, as a bidder out of capacity would: the submitter's own
        // cycles are over long before, and only the router thread's safety-net alarm asks again (nothing else happens)
        final dev.ringmaster.spi.RoutingStrategy declinesOnce = new dev.ringmaster.spi.RoutingStrategy()
        {
            @Override
            public String name()
            {
                return "declines-once";
            }

            @Override
            public int select(final dev.ringmaster.spi.TaskView task, final dev.ringmaster.spi.Candidates c,
                              final dev.ringmaster.spi.RoutingDecision decision)
            {
                if (!"late".equals(task.task().payload()))
                {
                    return 0;
                }
                asked.incrementAndGet();
                firstAsked.compareAndSet(0, System.nanoTime());
                return System.nanoTime() - firstAsked.get() < TimeUnit.MILLISECONDS.toNanos(100) ? DECLINE : 0;
            }
        };
        final Engine engine = new Engine(List.of(AgentSpec.builder("a0", "coder").build()),
            List.of(AgentAdapter.sync(t -> "a0")), declinesOnce, List.of(), (task, state, result, reason) -> { }, config);
        engine.start();
        try
        {
            final CompletableFuture<TaskResult> warm = new CompletableFuture<>();
            engine.submit(Task.builder("coder").build(), warm);
            assertThat(warm.get(10, TimeUnit.SECONDS).completed()).isTrue();
            awaitAllDozing(engine);

            final CompletableFuture<TaskResult> declined = new CompletableFuture<>();
            engine.submit(Task.builder("coder").payload("late").build(), declined);
            assertThat(declined.get(10, TimeUnit.SECONDS).completed()).as("placed when the strategy is asked again").isTrue();
            assertThat(asked.get()).isGreaterThanOrEqualTo(2);
        }
        finally
        {
            assertThat(engine.drain(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aWorkerDozesOnlyOnceTheDispatcherHasAcceptedNothingForTheDozeDelay() throws Exception
    {
        final EngineConfig config = new EngineConfig();
        config.workers = 2;
        config.dozeAfterNanos = TimeUnit.MILLISECONDS.toNanos(200);
        final Engine engine = new Engine(
            List.of(AgentSpec.builder("a0", "coder").build(), AgentSpec.builder("a1", "coder").build()),
            List.of(AgentAdapter.sync(t -> "a0"), AgentAdapter.sync(t -> "a1")),
            TestStrategies.first(), List.of(), (task, state, result, reason) -> { }, config);
        engine.start();
        try
        {
            awaitAllDozing(engine);
            // a trickle of a task every 20 ms keeps the count moving: nobody dozes for longer than one gap. A sample
            // counts only if this gap and the one before it were well under the doze delay: on a loaded machine a
            // park or a task may take longer, and a thread may then doze rightly, between two tasks, with the next
            // task's wake-up still under way
            final long shortGap = TimeUnit.MILLISECONDS.toNanos(100);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            int samples = 0;
            int dozingSeen = 0;
            boolean lastGapShort = false;
            while (samples < 20 && System.nanoTime() - deadline < 0)
            {
                final long submitted = System.nanoTime();
                final CompletableFuture<TaskResult> f = new CompletableFuture<>();
                engine.submit(Task.builder("coder").build(), f);
                assertThat(f.get(10, TimeUnit.SECONDS).completed()).isTrue();
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                int dozing = engine.slumber.routerDozing() ? 1 : 0;
                for (final Worker w : engine.workers)
                {
                    dozing += w.doze.dozing() ? 1 : 0;
                }
                final boolean gapShort = System.nanoTime() - submitted < shortGap;
                if (gapShort && lastGapShort)
                {
                    samples++;
                    dozingSeen += dozing;
                }
                lastGapShort = gapShort;
            }
            assertThat(samples).as("samples taken with the trickle unbroken, within 30 s").isEqualTo(20);
            assertThat(dozingSeen).as("samples in which a worker dozed during the trickle").isZero();
        }
        finally
        {
            assertThat(engine.drain(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    private static List<CompletableFuture<TaskResult>> submit(final Engine engine, final int n, final String payload)
    {
        final List<CompletableFuture<TaskResult>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++)
        {
            final CompletableFuture<TaskResult> f = new CompletableFuture<>();
            assertThat(engine.submit(Task.builder("coder").payload(payload).build(), f).name()).isEqualTo("ACCEPTED");
            futures.add(f);
        }
        return futures;
    }

    private static void awaitAllDozing(final Engine engine)
    {
        final long deadline = System.nanoTime() + DEADLINE_NANOS;
        while (!allDozing(engine))
        {
            assertThat(System.nanoTime() - deadline).as("every worker and the router thread dozing within 10 s of the last task").isNegative();
            LockSupport.parkNanos(1_000_000L);
        }
    }

    private static boolean allDozing(final Engine engine)
    {
        if (!engine.slumber.routerDozing())
        {
            return false;
        }
        for (final Worker w : engine.workers)
        {
            if (!w.doze.dozing())
            {
                return false;
            }
        }
        return true;
    }
}
