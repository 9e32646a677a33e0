package dev.ringmaster.dispatch;

import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.Candidates;
import dev.ringmaster.spi.DispatchListener;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.RoutingStrategy;
import dev.ringmaster.spi.TaskView;
import dev.ringmaster.testing.Await;
import dev.ringmaster.testing.TestStrategies;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Priority;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentAdapter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every accepted task reaches exactly one terminal state, with four producers and agents that succeed, throw, throw
 * {@code Error}s, hang past their timeout, complete late, complete twice, or are slow; a routing strategy, a listener
 * and a result handler that throw {@code Error}s now and then. Seeded: a failing seed replays the same workload.
 */
class ConservationTest
{
    private static final int PRODUCERS = 4;
    private static final int TASKS_PER_PRODUCER = 30_000;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void everyAcceptedTaskReachesExactlyOneTerminalState(final long seed) throws Exception
    {
        final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        final EventLog log = new EventLog();
        final Set<Long> acceptedIds = ConcurrentHashMap.newKeySet();
        final AtomicLong lateCompletions = new AtomicLong();
        try
        {
            // each seed binds differently, so the chaos also runs through agents' own queues and their stealing
            final Binding binding = Binding.values()[(int)(seed % Binding.values().length)];
            final Dispatcher d = Dispatcher.builder()
                .binding("worker", binding)
                .agent(AgentSpec.builder("ok-1", "worker").capacity(4).build(), AgentAdapter.sync(t -> "ok"))
                .agent(AgentSpec.builder("ok-2", "worker").capacity(2).skill("gpu", 1.0).build(), AgentAdapter.sync(t -> "ok"))
                .agent(AgentSpec.builder("thrower", "worker").capacity(4).build(), (t, c, tel) ->
                {
                    if (ThreadLocalRandom.current().nextInt(3) == 0)
                    {
                        throw new IllegalStateException("agent crashed on task " + t.task().id());
                    }
                    c.succeed("ok");
                })
                .agent(AgentSpec.builder("hanger", "worker").capacity(4).build(), (t, c, tel) ->
                {
                    if (ThreadLocalRandom.current().nextInt(10) == 0)
                    {
                        // answers long after the timeout: the late completion must be ignored, not double-counted
                        timer.schedule(() ->
                        {
                            lateCompletions.incrementAndGet();
                            c.succeed("too late");
                        }, 30, TimeUnit.MILLISECONDS);
                    }
                    else
                    {
                        c.succeed("ok");
                    }
                })
                .agent(AgentSpec.builder("dier", "worker").capacity(2).build(), (t, c, tel) ->
                {
                    if (ThreadLocalRandom.current().nextInt(4) == 0)
                    {
                        throw new AgentDied("agent died on task " + t.task().id());
                    }
                    c.succeed("ok");
                    if (ThreadLocalRandom.current().nextInt(4) == 0)
                    {
                        c.succeed("twice"); // a second completion must be ignored, not thrown back or counted
                    }
                })
                .agent(AgentSpec.builder("slow", "worker").capacity(8).build(), (t, c, tel) ->
                    timer.schedule(() -> c.fail(new RuntimeException("slow agent gave up")), 1, TimeUnit.MILLISECONDS))
                .strategy(sometimesFailing(TestStrategies.leastLoaded(), seed))
                .listener(new DispatchListener()
                {
                    private final SplittableRandom random = new SplittableRandom(seed);

                    @Override
                    public void onAssigned(final TaskView task, final AgentView agent, final String strategy,
                                           final double score, final double runnerUp, final long nanos)
                    {
                        if (random.nextInt(100) == 0)
                        {
                            throw new AgentDied("listener bug");
                        }
                    }

                    @Override
                    public void onAccepted(final TaskView task, final long nanos)
                    {
                        if (random.nextInt(100) == 0)
                        {
                            throw new AgentDied("listener bug on accept");
                        }
                    }
                })
                .onResult((task, state, result, reason) ->
                {
                    if (task.task().id() % 97 == 0)
                    {
                        throw new AgentDied("result handler bug");
                    }
                })
                .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(5))
                .watchdogInterval(Duration.ofMillis(1))
                .listener(log)
                .seed(seed)
                .build()
                .start();

            final List<Thread> producers = new ArrayList<>();
            final AtomicLong rejected = new AtomicLong();
            for (int p = 0; p < PRODUCERS; p++)
            {
                final SplittableRandom random = new SplittableRandom(seed * 31 + p);
                final Thread producer = new Thread(() ->
                {
                    for (int i = 0; i < TASKS_PER_PRODUCER; i++)
                    {
                        final Task.Builder b = Task.builder("worker")
                            .priority(Priority.ofOrdinal(random.nextInt(Priority.COUNT)))
                            .maxRetries(random.nextInt(3))
                            .timeout(Duration.ofMillis(5));
                        if (random.nextInt(20) == 0)
                        {
                            b.requiredSkills("gpu");
                        }
                        if (random.nextInt(50) == 0)
                        {
                            b.ttl(Duration.ofNanos(1 + random.nextInt(2_000_000)));
                        }
                        final Task task = b.build();
                        final SubmitStatus status = d.submit(task, Duration.ofSeconds(10));
                        if (status.accepted())
                        {
                            acceptedIds.add(task.id());
                        }
                        else
                        {
                            rejected.incrementAndGet();
                        }
                    }
                }, "producer-" + p);
                producers.add(producer);
                producer.start();
            }
            for (final Thread producer : producers)
            {
                Await.joined(producer, Duration.ofSeconds(45));
            }
            final boolean drained = d.drain(Duration.ofSeconds(120));
            assertThat(drained).as(() -> "drain finished; state:\n" + d.describe()).isTrue();

            assertThat(rejected.get()).isZero();
            assertThat(log.duplicates).as("tasks with two terminal states").isEmpty();
            assertThat(log.terminalByTask.keySet()).as("tasks with a terminal state").isEqualTo(acceptedIds);
            assertThat(log.accepted.get()).isEqualTo(acceptedIds.size());
            assertThat(log.terminalCount()).isEqualTo(acceptedIds.size());
            assertThat(log.completed.get()).as("most tasks complete").isGreaterThan(acceptedIds.size() / 2);
            assertThat(log.retried.get()).as("failures were retried").isPositive();
            assertThat(log.deadLettered.get()).as("some exhausted their retries").isPositive();
            assertThat(d.metrics().timeouts()).as("hung attempts were timed out").isPositive();

            final var m = d.metrics();
            assertThat(m.accepted()).isEqualTo(acceptedIds.size());
            assertThat(m.terminal()).isEqualTo(acceptedIds.size());
            assertThat(m.outstanding()).isZero();
            assertThat(d.deadLetters()).allSatisfy(dl -> assertThat(dl.reason()).isNotBlank());
            assertThat(m.strategyFaults()).as("the strategy's Errors were caught and counted").isPositive();
        }
        finally
        {
            timer.shutdownNow();
        }
    }

    /** An Error, as a plugin with a bug might throw (NoClassDefFoundError, AssertionError, StackOverflowError...). */
    private static final class AgentDied extends Error
    {
        AgentDied(final String message)
        {
            super(message, null, false, false); // no stack trace: thousands are thrown
        }
    }

    /** Throws an Error from about one decision in 50, seeded; called by one routing thread at a time. */
    private static RoutingStrategy sometimesFailing(final RoutingStrategy inner, final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        return new RoutingStrategy()
        {
            @Override
            public String name()
            {
                return "sometimes-failing";
            }

            @Override
            public int select(final TaskView task, final Candidates candidates, final RoutingDecision decision)
            {
                if (random.nextInt(50) == 0)
                {
                    throw new AgentDied("strategy bug");
                }
                return inner.select(task, candidates, decision);
            }
        };
    }
}
