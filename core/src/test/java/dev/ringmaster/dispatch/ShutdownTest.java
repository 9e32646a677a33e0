package dev.ringmaster.dispatch;

import dev.ringmaster.testing.Await;
import dev.ringmaster.testing.TestStrategies;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Priority;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.DispatchListener;
import dev.ringmaster.spi.TaskView;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Drain and shutdown-now while producers are still submitting: nothing accepted is lost or finished twice. */
class ShutdownTest
{
    private static Dispatcher slowFleet(final ScheduledExecutorService timer, final EventLog log)
    {
        final Dispatcher.Builder b = Dispatcher.builder()
            .strategy(TestStrategies.leastLoaded())
            .queueCapacity(1_000) // a bounded backlog keeps the drain short; producers see QUEUE_FULL and wait
            .listener(log);
        for (int i = 0; i < 4; i++)
        {
            b.agent(AgentSpec.builder("agent-" + i, "worker").capacity(8).build(), (t, c, tel) ->
                timer.schedule(() -> c.succeed("ok"), 200, TimeUnit.MICROSECONDS));
        }
        return b.build().start();
    }

    private static List<Thread> producers(final Dispatcher d, final Set<Long> accepted, final AtomicBoolean stop,
                                          final AtomicLong refused)
    {
        final List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < 4; p++)
        {
            final int producer = p;
            final Thread t = new Thread(() ->
            {
                int i = 0;
                while (!stop.get())
                {
                    final Task task = Task.builder("worker").priority(Priority.ofOrdinal((producer + i++) % 4)).build();
                    final SubmitStatus s = d.submit(task, Duration.ofMillis(100));
                    if (s.accepted())
                    {
                        accepted.add(task.id());
                    }
                    else if (s == SubmitStatus.NOT_RUNNING)
                    {
                        refused.incrementAndGet();
                        return;
                    }
                }
            });
            threads.add(t);
            t.start();
        }
        return threads;
    }

    /** Under load: tasks complete, and a backlog waits behind them. */
    private static void awaitLoad(final Dispatcher d, final EventLog log) throws InterruptedException
    {
        Await.until("tasks complete and a backlog waits", () -> log.completed.get() >= 100 &&
            d.metrics().queueDepth().values().stream().mapToLong(Long::longValue).sum() >= 100);
    }

    @Test
    void drainUnderLoadCompletesEverythingAccepted() throws Exception
    {
        final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try
        {
            final EventLog log = new EventLog();
            final Dispatcher d = slowFleet(timer, log);
            final Set<Long> accepted = ConcurrentHashMap.newKeySet();
            final AtomicBoolean stop = new AtomicBoolean();
            final AtomicLong refused = new AtomicLong();
            final List<Thread> producers = producers(d, accepted, stop, refused);
            awaitLoad(d, log);

            assertThat(d.drain(Duration.ofSeconds(60))).isTrue(); // producers are still submitting meanwhile

            stop.set(true);
            for (final Thread t : producers)
            {
                Await.joined(t);
            }
            assertThat(refused.get()).as("producers saw the dispatcher stop accepting").isPositive();
            assertThat(accepted).isNotEmpty();
            assertThat(log.duplicates).isEmpty();
            assertThat(log.terminalByTask.keySet()).isEqualTo(accepted);
            assertThat(log.completed.get()).isEqualTo(accepted.size());
            assertThat(log.cancelled.get()).isZero();
            assertThat(d.submit(Task.builder("worker").build())).isEqualTo(SubmitStatus.NOT_RUNNING);
        }
        finally
        {
            timer.shutdownNow();
        }
    }

    @Test
    void shutdownNowUnderLoadCancelsWhatHasNotStartedAndLosesNothing() throws Exception
    {
        final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try
        {
            final EventLog log = new EventLog();
            final Dispatcher d = slowFleet(timer, log);
            final Set<Long> accepted = ConcurrentHashMap.newKeySet();
            final AtomicBoolean stop = new AtomicBoolean();
            final AtomicLong refused = new AtomicLong();
            final List<Thread> producers = producers(d, accepted, stop, refused);
            awaitLoad(d, log);

            final List<Task> cancelled = d.shutdownNow();

            stop.set(true);
            for (final Thread t : producers)
            {
                Await.joined(t);
            }
            assertThat(d.awaitTermination(Duration.ofSeconds(30))).isTrue();
            assertThat(cancelled).as("a backlog was waiting when we stopped").isNotEmpty();
            final Set<Long> cancelledIds = new HashSet<>();
            cancelled.forEach(t -> cancelledIds.add(t.id()));
            assertThat(cancelledIds).hasSameSizeAs(cancelled);
            assertThat(new HashSet<>(log.cancelledIds)).containsAll(cancelledIds);
            assertThat(log.duplicates).isEmpty();
            assertThat(log.terminalByTask.keySet()).isEqualTo(accepted);
            assertThat(log.completed.get() + log.cancelled.get()).isEqualTo(accepted.size());
            // nothing cancelled had started, nothing completed was cancelled
            for (final Long id : cancelledIds)
            {
                assertThat(log.terminalByTask.get(id)).isEqualTo("CANCELLED");
            }
            assertThat(d.metrics().outstanding()).isZero();
        }
        finally
        {
            timer.shutdownNow();
        }
    }

    @Test
    void shutdownNowListsEveryTaskItCancelsAlsoThoseStillInTheRing() throws Exception
    {
        // the role's holder is held in a listener while the rest of a burst waits in the ring: the sweep then finds a
        // few tasks in the lanes and thousands in the ring, which it cancelled as they came in, after it had handed
        // over the list (a user's trial: 3,949 of 19,994 cancelled tasks listed)
        final CountDownLatch holding = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final EventLog log = new EventLog();
        final Dispatcher d = Dispatcher.builder().strategy(TestStrategies.leastLoaded())
            .agent(AgentSpec.builder("only", "worker").capacity(1).build(), AgentAdapter.sync(t -> "ok"))
            .listener(log)
            .listener(new DispatchListener()
            {
                @Override
                public void onAccepted(final TaskView task, final long nanos)
                {
                    if (holding.getCount() > 0)
                    {
                        holding.countDown();
                        try
                        {
                            release.await(10, TimeUnit.SECONDS);
                        }
                        catch (final InterruptedException e)
                        {
                            Thread.currentThread().interrupt();
                        }
                    }
                }
            })
            .build().start();
        final Thread first = new Thread(() -> d.submitOrThrow(Task.builder("worker").build()), "first-submitter");
        first.start();
        assertThat(holding.await(10, TimeUnit.SECONDS)).as("the first submitter routes, held in the listener").isTrue();
        final int burst = 5_000;
        for (int i = 0; i < burst; i++)
        {
            d.submitOrThrow(Task.builder("worker").build());
        }
        final CompletableFuture<List<Task>> listed = CompletableFuture.supplyAsync(d::shutdownNow);
        Await.until("shutdownNow stops accepting", () -> d.state() == DispatcherState.STOPPING);
        release.countDown();

        final List<Task> cancelled = listed.get(20, TimeUnit.SECONDS);
        Await.joined(first);
        assertThat(d.awaitTermination(Duration.ofSeconds(20))).isTrue();
        final Set<Long> listedIds = new HashSet<>();
        cancelled.forEach(t -> listedIds.add(t.id()));
        assertThat(listedIds).as("listed once each").hasSameSizeAs(cancelled);
        assertThat(listedIds).as("every task the shutdown cancelled is listed").isEqualTo(new HashSet<>(log.cancelledIds));
        assertThat(cancelled).as("the burst waited in the ring, behind at most the agent's slot and prefetch")
            .hasSizeGreaterThanOrEqualTo(burst - 2);
        assertThat(log.terminalByTask).hasSize(burst + 1);
    }
}
