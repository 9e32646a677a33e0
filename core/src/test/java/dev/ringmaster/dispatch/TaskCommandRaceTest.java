package dev.ringmaster.dispatch;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Priority;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.testing.Await;
import dev.ringmaster.testing.TestStrategies;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code cancel} and {@code reprioritize} by id racing a task's completion, its timeout, its retry back-off and its
 * placement: each accepted task still ends once, a task reported cancelled ends cancelled and nothing else does.
 * Seeded: a failing seed (in every message) replays the same workload.
 */
class TaskCommandRaceTest
{
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {31, 32, 33})
    void cancelAndReprioritizeRacingCompletionTimeoutAndRetryEndEachTaskOnce(final long seed) throws Exception
    {
        final String at = "seed " + seed;
        final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        final EventLog log = new EventLog();
        final Ledger ledger = new Ledger();
        final Map<Long, CancelOutcome> cancelledOnRequest = new ConcurrentHashMap<>();
        final AtomicLongArray reprioritized = new AtomicLongArray(ReprioritizeOutcome.values().length);
        final Binding binding = Binding.values()[(int)(seed % Binding.values().length)];
        // six slots in all against two producers: a backlog waits, so commands find tasks waiting as well as running
        final Dispatcher.Builder b = Dispatcher.builder().strategy(TestStrategies.leastLoaded()).prefetch(1)
            .binding("t", binding).queueCapacity(100).retryBackoff(Duration.ofMillis(1), Duration.ofMillis(4))
            .watchdogInterval(Duration.ofMillis(1)).listener(log).onResult(ledger).seed(seed);
        for (int i = 0; i < 3; i++)
        {
            b.agent(AgentSpec.builder("a" + i, "t").capacity(1).build(), chaotic(timer));
        }
        final Dispatcher d = b.build().start();
        final AtomicBoolean stopping = new AtomicBoolean();
        final AtomicLongArray recent = new AtomicLongArray(64); // the newest accepted ids, by acceptance count
        final java.util.concurrent.atomic.AtomicLong acceptedSoFar = new java.util.concurrent.atomic.AtomicLong();
        final List<Thread> threads = new ArrayList<>();
        try
        {
            for (int p = 0; p < 2; p++)
            {
                final SplittableRandom random = new SplittableRandom(seed * 17 + p);
                threads.add(new Thread(() ->
                {
                    while (!stopping.get())
                    {
                        final Task task = Task.builder("t").priority(Priority.ofOrdinal(random.nextInt(4)))
                            .maxRetries(random.nextInt(3)).timeout(Duration.ofMillis(2)).build();
                        if (ledger.offered(task.id(), d.submit(task, Duration.ofMillis(20))))
                        {
                            recent.set((int)(acceptedSoFar.getAndIncrement() & 63), task.id());
                        }
                    }
                }, "producer-" + p));
            }
            final SplittableRandom random = new SplittableRandom(seed);
            threads.add(new Thread(() ->
            {
                try
                {
                    while (!stopping.get())
                    {
                        // the newest tasks: waiting, just placed, running, or in their retry back-off
                        final long id = recent.get(random.nextInt(64));
                        if (id == 0)
                        {
                            Thread.onSpinWait();
                            continue;
                        }
                        if (random.nextBoolean())
                        {
                            final CancelOutcome outcome = d.cancel(id).get(5, TimeUnit.SECONDS);
                            if (outcome == CancelOutcome.CANCELLED && cancelledOnRequest.put(id, outcome) != null)
                            {
                                throw new AssertionError("task " + id + " cancelled twice");
                            }
                        }
                        else
                        {
                            final Priority to = Priority.ofOrdinal(random.nextInt(4));
                            reprioritized.incrementAndGet(d.reprioritize(id, to).get(5, TimeUnit.SECONDS).ordinal());
                        }
                    }
                }
                catch (final Exception e)
                {
                    throw new AssertionError(at + ": a command failed", e);
                }
            }, "commander"));
            final List<Throwable> uncaught = new java.util.concurrent.CopyOnWriteArrayList<>();
            for (final Thread t : threads)
            {
                t.setUncaughtExceptionHandler((thread, e) -> uncaught.add(e));
                t.start();
            }
            Await.until(at + ": tasks end, are cancelled and moved", () -> log.completed.get() >= 500 &&
                cancelledOnRequest.size() >= 10 && reprioritized.get(ReprioritizeOutcome.MOVED.ordinal()) >= 10);
            stopping.set(true);
            for (final Thread t : threads)
            {
                Await.joined(t);
            }
            assertThat(uncaught).as(at + ": commands answered in time").isEmpty();
            assertThat(d.drain(Duration.ofSeconds(20))).as(() -> at + ": drained; " + d.describe()).isTrue();
            ledger.assertConserved(d, log, at);
            for (final long id : cancelledOnRequest.keySet())
            {
                assertThat(ledger.byTask.get(id)).as(at + ": task " + id + " reported cancelled").isEqualTo(TerminalState.CANCELLED);
            }
            assertThat(log.cancelled.get()).as(at + ": only the tasks cancelled on request ended cancelled")
                .isEqualTo(cancelledOnRequest.size());
            assertThat(reprioritized.get(ReprioritizeOutcome.MOVED.ordinal())).as(at + ": some tasks moved").isPositive();
            assertThat(d.metrics().timeouts()).as(at + ": some attempts timed out").isPositive();
            assertThat(log.retried.get()).as(at + ": some were retried").isPositive();
        }
        finally
        {
            stopping.set(true);
            d.shutdownNow();
            d.awaitTermination(Duration.ofSeconds(5));
            timer.shutdownNow();
        }
    }

    /** Succeeds at once, later, after its timeout (then also twice), fails, or throws after succeeding. */
    private static AgentAdapter chaotic(final ScheduledExecutorService timer)
    {
        return (task, completion, telemetry) ->
        {
            switch (ThreadLocalRandom.current().nextInt(6))
            {
                case 0 -> completion.succeed("at once");
                case 1 -> timer.schedule(() -> completion.succeed("soon"), 300, TimeUnit.MICROSECONDS);
                case 2 -> timer.schedule(() ->
                {
                    completion.succeed("after the timeout");
                    completion.succeed("and again");
                }, 4, TimeUnit.MILLISECONDS);
                case 3 -> timer.schedule(() -> completion.fail(new IllegalStateException("chaos")), 200, TimeUnit.MICROSECONDS);
                case 4 ->
                {
                    completion.succeed("then throws");
                    throw new IllegalStateException("thrown after completing");
                }
                default -> throw new AssertionError("an Error from the adapter");
            }
        };
    }
}
