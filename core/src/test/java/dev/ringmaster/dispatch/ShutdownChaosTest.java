package dev.ringmaster.dispatch;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Priority;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.Completion;
import dev.ringmaster.testing.Await;
import dev.ringmaster.testing.TestStrategies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stopping a dispatcher while it is busy: shutdownNow racing producers and asynchronous adapters that answer after it
 * (late, twice), drain against hung adapters, and awaitTermination called on a dispatcher nobody stopped.
 */
class ShutdownChaosTest
{
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {41, 42, 43})
    void shutdownNowRacingProducersAndLateAnswersEndsEveryTaskOnceAndThrowsNothingIntoAdapters(final long seed)
        throws Exception
    {
        final String at = "seed " + seed;
        final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        final Queue<Throwable> thrownIntoAdapters = new ConcurrentLinkedQueue<>();
        final EventLog log = new EventLog();
        final Ledger ledger = new Ledger();
        final Queue<CompletableFuture<TaskResult>> futures = new ConcurrentLinkedQueue<>();
        final Dispatcher.Builder b = Dispatcher.builder().strategy(TestStrategies.leastLoaded()).prefetch(2)
            .binding("t", Binding.values()[(int)(seed % Binding.values().length)]).queueCapacity(1_000)
            .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(3)).listener(log).onResult(ledger).seed(seed);
        for (int i = 0; i < 4; i++)
        {
            b.agent(AgentSpec.builder("a" + i, "t").capacity(4).build(), (task, completion, telemetry) ->
                timer.schedule(() -> answer(completion, thrownIntoAdapters, timer),
                    ThreadLocalRandom.current().nextInt(2_000), TimeUnit.MICROSECONDS));
        }
        final Dispatcher d = b.build().start();
        final AtomicBoolean refused = new AtomicBoolean();
        final List<Thread> producers = new ArrayList<>();
        try
        {
            for (int p = 0; p < 4; p++)
            {
                final SplittableRandom random = new SplittableRandom(seed * 19 + p);
                final Thread t = new Thread(() ->
                {
                    while (true)
                    {
                        final Task task = Task.builder("t").priority(Priority.ofOrdinal(random.nextInt(4)))
                            .maxRetries(random.nextInt(3)).build();
                        final SubmitStatus status;
                        if (random.nextBoolean())
                        {
                            final CompletableFuture<TaskResult> f = d.submitAsync(task);
                            status = f.isCompletedExceptionally() ? SubmitStatus.NOT_RUNNING : SubmitStatus.ACCEPTED;
                            if (status.accepted())
                            {
                                futures.add(f);
                            }
                        }
                        else
                        {
                            status = d.submit(task, Duration.ofMillis(20));
                        }
                        ledger.offered(task.id(), status);
                        if (status == SubmitStatus.NOT_RUNNING)
                        {
                            refused.set(true);
                            return;
                        }
                    }
                }, "producer-" + p);
                producers.add(t);
                t.start();
            }
            Await.until(at + ": tasks flow", () -> log.completed.get() >= 500);
            final List<Task> cancelled = d.shutdownNow();
            for (final Thread t : producers)
            {
                Await.joined(t);
            }
            assertThat(d.awaitTermination(Duration.ofSeconds(20))).as(() -> at + ": terminated; " + d.describe()).isTrue();
            assertThat(refused).isTrue();
            ledger.assertConserved(d, log, at);
            for (final Task t : cancelled)
            {
                assertThat(ledger.byTask.get(t.id())).as(at + ": swept task " + t.id()).isEqualTo(TerminalState.CANCELLED);
            }
            for (final CompletableFuture<TaskResult> f : futures)
            {
                assertThat(f).as(at + ": every accepted task's future").isDone();
            }
            Thread.sleep(5); // the second answers, scheduled 2 ms after the first, come after the termination
            timer.shutdown();
            assertThat(timer.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
            assertThat(thrownIntoAdapters).as(at + ": late and second answers are ignored, never thrown back").isEmpty();
            assertThat(d.metrics().faults().ignoredCompletions()).as(at + ": second answers counted").isPositive();
        }
        finally
        {
            stop(d);
            timer.shutdownNow();
        }
    }

    /** Succeeds or fails (one in five), then answers the same attempt again 2 ms later; records what is thrown back. */
    private static void answer(final Completion completion, final Queue<Throwable> thrown, final ScheduledExecutorService timer)
    {
        try
        {
            if (ThreadLocalRandom.current().nextInt(5) == 0)
            {
                completion.fail(new IllegalStateException("chaos"));
            }
            else
            {
                completion.succeed("ok");
            }
            timer.schedule(() ->
            {
                try
                {
                    completion.succeed("again, late");
                }
                catch (final Throwable e)
                {
                    thrown.add(e);
                }
            }, 2, TimeUnit.MILLISECONDS);
        }
        catch (final Throwable e)
        {
            thrown.add(e);
        }
    }

    @Test
    void drainReturnsFalseAtItsDeadlineWhileAdaptersHangAndShutdownNowThenEndsTheRest() throws Exception
    {
        final Gate hung = new Gate();
        final EventLog log = new EventLog();
        final Ledger ledger = new Ledger();
        final Dispatcher d = Dispatcher.builder().strategy(TestStrategies.leastLoaded()).prefetch(0).listener(log)
            .onResult(ledger)
            .agent(AgentSpec.builder("a", "t").capacity(2).build(), hung)
            .agent(AgentSpec.builder("b", "t").capacity(2).build(), hung)
            .build().start();
        try
        {
            for (int i = 0; i < 10; i++)
            {
                final Task task = Task.builder("t").build(); // no timeout: only the adapter ends an attempt
                assertThat(ledger.offered(task.id(), d.submit(task))).isTrue();
            }
            Await.until("four attempts hang", () -> hung.held() == 4);
            final long start = System.nanoTime();
            assertThat(d.drain(Duration.ofMillis(200))).isFalse();
            final long tookMillis = (System.nanoTime() - start) / 1_000_000;
            assertThat(tookMillis).as("drain returned at its deadline").isBetween(190L, 2_000L);
            assertThat(d.shutdownNow()).as("the six waiting tasks").hasSize(6);
            assertThat(d.awaitTermination(Duration.ofMillis(50))).as("four attempts still hang").isFalse();
            hung.releaseAll();
            assertThat(d.awaitTermination(Duration.ofSeconds(5))).isTrue();
            ledger.assertConserved(d, log, "no seed");
            assertThat(log.completed.get()).isEqualTo(4);
            assertThat(log.cancelled.get()).isEqualTo(6);
        }
        finally
        {
            hung.releaseAll();
            stop(d);
        }
    }

    private static Dispatcher oneSyncAgent()
    {
        return Dispatcher.builder().strategy(TestStrategies.first())
            .agent(AgentSpec.builder("a", "t").capacity(2).build(), AgentAdapter.sync(t -> "ok")).build().start();
    }

    private static void stop(final Dispatcher d)
    {
        d.shutdownNow();
        d.awaitTermination(Duration.ofSeconds(5));
    }

    @Test
    void awaitTerminationOnARunningDispatcherWaitsWithoutStoppingIt() throws Exception
    {
        final Dispatcher d = oneSyncAgent();
        try
        {
            assertThat(d.submitAsync(Task.builder("t").build()).get(5, TimeUnit.SECONDS).state())
                .isEqualTo(TerminalState.COMPLETED);
            assertThat(d.awaitTermination(Duration.ofMillis(50))).as("nobody shut it down").isFalse();
            assertThat(d.state()).isEqualTo(DispatcherState.RUNNING);
            assertThat(d.submitAsync(Task.builder("t").build()).get(5, TimeUnit.SECONDS).state())
                .as("it still runs tasks").isEqualTo(TerminalState.COMPLETED);
            assertThat(d.drain(Duration.ofSeconds(5))).isTrue();
            assertThat(d.awaitTermination(Duration.ZERO)).isTrue();
        }
        finally
        {
            stop(d);
        }
    }

    /**
     * A closed-loop producer keeps the dispatcher idle between its tasks while another thread calls awaitTermination
     * on it: no accepted task may be stranded by threads that stopped under it.
     */
    @Test
    void awaitTerminationRacingSubmitsStrandsNoAcceptedTask() throws Exception
    {
        final Dispatcher d = oneSyncAgent();
        final AtomicBoolean stop = new AtomicBoolean();
        final Thread waiter = new Thread(() ->
        {
            while (!stop.get())
            {
                d.awaitTermination(Duration.ofNanos(ThreadLocalRandom.current().nextInt(20_000)));
            }
        }, "waiter");
        waiter.start();
        try
        {
            for (int i = 0; i < 2_000; i++)
            {
                final CompletableFuture<TaskResult> f = d.submitAsync(Task.builder("t").build());
                if (f.isCompletedExceptionally())
                {
                    break; // refused: the dispatcher stopped (the defect); what was accepted is checked below
                }
                assertThat(f.get(5, TimeUnit.SECONDS).state()).as("accepted task " + i).isEqualTo(TerminalState.COMPLETED);
            }
            assertThat(d.state()).isEqualTo(DispatcherState.RUNNING);
        }
        finally
        {
            stop.set(true);
            Await.joined(waiter);
            stop(d);
        }
    }

    @Test
    void awaitTerminationCalledFromTwoThreadsAndAgainStopsEachAdapterOnce() throws Exception
    {
        final java.util.concurrent.atomic.AtomicInteger stops = new java.util.concurrent.atomic.AtomicInteger();
        final AgentAdapter counted = new AgentAdapter()
        {
            @Override
            public void execute(final dev.ringmaster.spi.TaskView task, final Completion completion,
                                final dev.ringmaster.spi.AgentTelemetry telemetry)
            {
                completion.succeed("ok");
            }

            @Override
            public void stop()
            {
                stops.incrementAndGet();
            }
        };
        final Dispatcher d = Dispatcher.builder().strategy(TestStrategies.first())
            .agent(AgentSpec.builder("a", "t").build(), counted).build().start();
        assertThat(d.submitAsync(Task.builder("t").build()).get(5, TimeUnit.SECONDS).state()).isEqualTo(TerminalState.COMPLETED);
        d.shutdownNow();
        final Thread other = new Thread(() -> d.awaitTermination(Duration.ofSeconds(5)), "other waiter");
        other.start();
        assertThat(d.awaitTermination(Duration.ofSeconds(5))).isTrue();
        Await.joined(other);
        assertThat(d.awaitTermination(Duration.ofSeconds(5))).isTrue();
        d.close();
        assertThat(stops.get()).as("stop() called once, as its javadoc says").isEqualTo(1);
    }

    @Test
    void shutdownNowFromAResultHandlerOnTheRoutingRoleReturnsAtOnceAndStillCancelsWhatWaits() throws Exception
    {
        final Dispatcher[] holder = new Dispatcher[1];
        final CompletableFuture<Long> shutdownMillis = new CompletableFuture<>();
        final Gate gate = new Gate();
        final EventLog log = new EventLog();
        final Ledger ledger = new Ledger();
        final Dispatcher d = Dispatcher.builder().strategy(TestStrategies.first()).prefetch(0).listener(log)
            .agent(AgentSpec.builder("a", "t").capacity(1).build(), gate)
            .onResult((task, state, result, reason) ->
            {
                ledger.onResult(task, state, result, reason);
                if (state == TerminalState.DEAD_LETTERED) // delivered by the routing role's holder
                {
                    final long start = System.nanoTime();
                    holder[0].shutdownNow(); // "a fatal failure: stop everything"
                    shutdownMillis.complete((System.nanoTime() - start) / 1_000_000);
                }
            })
            .build();
        holder[0] = d;
        d.start();
        try
        {
            for (int i = 0; i < 4; i++)
            {
                final Task task = Task.builder("t").maxRetries(0).build();
                assertThat(ledger.offered(task.id(), d.submit(task))).isTrue();
            }
            assertThat(gate.failOne()).isTrue();
            assertThat(shutdownMillis.get(30, TimeUnit.SECONDS)).as("ms shutdownNow took inside the handler")
                .isLessThan(2_000L);
            assertThat(d.awaitTermination(Duration.ofSeconds(5))).as(d::describe).isTrue();
            ledger.assertConserved(d, log, "no seed");
            assertThat(log.deadLettered.get()).isEqualTo(1);
            assertThat(log.cancelled.get()).as("the three waiting tasks").isEqualTo(3);
        }
        finally
        {
            gate.releaseAll();
            stop(d);
        }
    }
}
