package dev.ringmaster.dispatch;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.DispatchListener;
import dev.ringmaster.spi.TaskView;
import dev.ringmaster.testing.Await;
import dev.ringmaster.testing.TestStrategies;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Callbacks that act on the dispatcher from inside a delivery: a result handler that submits follow-up tasks,
 * submits the very Task it was told about again (same id), and cancels other tasks without waiting; a listener that
 * cancels too. Every acceptance, of the same id several times included, ends exactly once. Seeded.
 */
class CallbackReentryTest
{
    private static final int ROOTS = 100;
    private static final int GENERATIONS = 3;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {51, 52, 53})
    void callbacksThatSubmitResubmitAndCancelKeepEveryAcceptanceEndingOnce(final long seed) throws Exception
    {
        final String at = "seed " + seed;
        final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        final Map<Long, AtomicInteger> acceptances = new ConcurrentHashMap<>();
        final Map<Long, AtomicInteger> endings = new ConcurrentHashMap<>();
        final Map<Long, Boolean> resubmitted = new ConcurrentHashMap<>();
        final Queue<String> refused = new ConcurrentLinkedQueue<>();
        final AtomicLong lastAccepted = new AtomicLong();
        final Dispatcher[] holder = new Dispatcher[1];
        final Dispatcher.Builder b = Dispatcher.builder().strategy(TestStrategies.leastLoaded()).prefetch(1)
            .binding("t", Binding.values()[(int)(seed % Binding.values().length)]).seed(seed)
            .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(2))
            .listener(new DispatchListener()
            {
                @Override
                public void onAssigned(final TaskView task, final AgentView agent, final String strategy,
                                       final double score, final double runnerUp, final long nanos)
                {
                    if (task.task().id() % 7 == 0)
                    {
                        holder[0].cancel(lastAccepted.get()); // on the routing role: never wait for the answer here
                    }
                }
            })
            .onResult((task, state, result, reason) ->
            {
                final Task t = task.task();
                endings.computeIfAbsent(t.id(), id -> new AtomicInteger()).incrementAndGet();
                final Dispatcher d = holder[0];
                final int generation = (Integer)t.payload();
                if (generation < GENERATIONS)
                {
                    for (int i = 0; i < 2; i++)
                    {
                        offer(d, Task.builder("t").payload(generation + 1).maxRetries(1).build(), acceptances, refused,
                            lastAccepted);
                    }
                }
                if (resubmitted.putIfAbsent(t.id(), true) == null)
                {
                    offer(d, t, acceptances, refused, lastAccepted); // the same Task, same id: a retry by resubmission
                }
                if (t.id() % 5 == 0)
                {
                    d.cancel(lastAccepted.get());
                }
            });
        for (int i = 0; i < 3; i++)
        {
            b.agent(AgentSpec.builder("a" + i, "t").capacity(2).build(), (task, completion, telemetry) ->
            {
                final int roll = ThreadLocalRandom.current().nextInt(4);
                if (roll == 0)
                {
                    completion.succeed("on the worker");
                }
                else if (roll == 1)
                {
                    completion.fail(new IllegalStateException("chaos"));
                }
                else
                {
                    timer.schedule(() -> completion.succeed("on the timer"), 100, TimeUnit.MICROSECONDS);
                }
            });
        }
        final Dispatcher d = b.build();
        holder[0] = d;
        d.start();
        try
        {
            for (int i = 0; i < ROOTS; i++)
            {
                offer(d, Task.builder("t").payload(0).maxRetries(1).build(), acceptances, refused, lastAccepted);
            }
            // drain would stop the follow-ups' submissions: wait for the work to die out first
            Await.until(at + ": every acceptance ended", Duration.ofSeconds(20), () -> total(endings) == total(acceptances) &&
                d.outstanding() == 0);
            assertThat(d.drain(Duration.ofSeconds(10))).as(() -> at + ": drained; " + d.describe()).isTrue();
            assertThat(refused).as(at + ": submissions refused").isEmpty();
            for (final Map.Entry<Long, AtomicInteger> e : acceptances.entrySet())
            {
                final AtomicInteger ended = endings.get(e.getKey());
                assertThat(ended == null ? 0 : ended.get()).as(at + ": endings of task " + e.getKey())
                    .isEqualTo(e.getValue().get());
            }
            assertThat(endings.keySet()).isEqualTo(acceptances.keySet());
            final var m = d.metrics();
            assertThat(m.accepted()).as(at + ": accepted counter").isEqualTo(total(acceptances));
            assertThat(m.terminal()).as(at + ": terminal counters").isEqualTo(total(acceptances));
            assertThat(m.cancelled()).as(at + ": some tasks were cancelled from callbacks").isPositive();
            assertThat(m.outstanding()).isZero();
        }
        finally
        {
            d.shutdownNow();
            d.awaitTermination(Duration.ofSeconds(5));
            timer.shutdownNow();
        }
    }

    private static void offer(final Dispatcher d, final Task task, final Map<Long, AtomicInteger> acceptances,
                              final Queue<String> refused, final AtomicLong lastAccepted)
    {
        // counted before the submission: the task may end (and be counted) before submit returns
        final AtomicInteger count = acceptances.computeIfAbsent(task.id(), id -> new AtomicInteger());
        count.incrementAndGet();
        final SubmitStatus status = d.submit(task);
        if (status.accepted())
        {
            lastAccepted.set(task.id());
        }
        else
        {
            count.decrementAndGet();
            refused.add("task " + task.id() + ": " + status);
        }
    }

    private static long total(final Map<Long, AtomicInteger> counts)
    {
        long sum = 0;
        for (final AtomicInteger c : counts.values())
        {
            sum += c.get();
        }
        return sum;
    }
}
