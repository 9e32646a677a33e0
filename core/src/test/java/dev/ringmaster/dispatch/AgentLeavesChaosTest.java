package dev.ringmaster.dispatch;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Priority;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.AgentFactory;
import dev.ringmaster.testing.Await;
import dev.ringmaster.testing.TestStrategies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An agent leaves (removed or crashed) while tasks run on it, wait in its inbox, are stolen from it, and are
 * addressed to it: every accepted task still reaches exactly one terminal state, a task addressed to an agent runs
 * there or nowhere, and nothing waits for ever.
 */
class AgentLeavesChaosTest
{
    /** "a" (held by the gate, capacity 1) and "b"; prefetch 1, so of four tasks for "a" one runs, one waits in its inbox. */
    private static Dispatcher.Builder fleet(final Gate gate, final EventLog log, final Ledger ledger)
    {
        return Dispatcher.builder().strategy(TestStrategies.first()).prefetch(1).listener(log).onResult(ledger)
            .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(2))
            .agent(AgentSpec.builder("a", "t").capacity(1).build(), gate)
            .agent(AgentSpec.builder("b", "t").capacity(2).build(), AgentAdapter.sync(t -> "ok"));
    }

    private static void fourAddressedToA(final Dispatcher d, final Gate gate, final Ledger ledger) throws Exception
    {
        for (int i = 0; i < 4; i++)
        {
            final Task task = Task.builder("t").targetAgent("a").maxRetries(1).build();
            assertThat(ledger.offered(task.id(), d.submit(task))).isTrue();
        }
        Await.until("a runs one", () -> gate.held() == 1);
    }

    private static void stop(final Dispatcher d)
    {
        d.shutdownNow();
        d.awaitTermination(Duration.ofSeconds(5));
    }

    @Test
    void tasksAddressedToARemovedAgentAreDeadLetteredInsteadOfWaitingForEver() throws Exception
    {
        final Gate gate = new Gate();
        final EventLog log = new EventLog();
        final Ledger ledger = new Ledger();
        final Dispatcher d = fleet(gate, log, ledger).build().start();
        try
        {
            fourAddressedToA(d, gate, ledger);
            final var removal = d.removeAgent("a");
            Await.routerPass(d); // the removal began: a's inbox went back to the central queue
            gate.releaseAll();
            assertThat(removal.get(10, TimeUnit.SECONDS).id()).isEqualTo("a");
            assertThat(d.drain(Duration.ofSeconds(5))).as(() -> "tasks addressed to the removed agent ended; " +
                d.describe()).isTrue();
            ledger.assertConserved(d, log, "no seed");
            assertThat(log.completed.get()).isEqualTo(1);
            assertThat(log.deadLettered.get()).as("the three that could no longer run").isEqualTo(3);
            assertThat(d.deadLetters()).allSatisfy(l -> assertThat(l.reason()).contains("addressed to agent 'a'"));
        }
        finally
        {
            stop(d);
        }
    }

    /** Submits tasks needing "cuda", which only "gpu" has, and removes "gpu" once it runs the first of them. */
    private static void cudaTasksThenGpuRemoved(final Dispatcher d, final Gate gate, final Ledger ledger, final int tasks)
        throws Exception
    {
        for (int i = 0; i < tasks; i++)
        {
            final Task task = Task.builder("t").requiredSkills("cuda").build();
            assertThat(ledger.offered(task.id(), d.submit(task))).isTrue();
        }
        Await.until("gpu runs one", () -> gate.held() == 1);
        final var removal = d.removeAgent("gpu");
        Await.routerPass(d);
        gate.releaseAll();
        assertThat(removal.get(10, TimeUnit.SECONDS).id()).isEqualTo("gpu");
    }

    @Test
    void tasksNeedingASkillThatLeftWithTheRemovedAgentAreDeadLetteredInsteadOfWaitingForEver() throws Exception
    {
        final Gate gate = new Gate();
        final EventLog log = new EventLog();
        final Ledger ledger = new Ledger();
        final Dispatcher d = Dispatcher.builder().strategy(TestStrategies.first()).prefetch(1).listener(log).onResult(ledger)
            .agent(AgentSpec.builder("gpu", "t").capacity(1).skill("cuda", 1.0).build(), gate)
            .agent(AgentSpec.builder("cpu", "t").capacity(2).build(), AgentAdapter.sync(t -> "ok"))
            .build().start();
        try
        {
            cudaTasksThenGpuRemoved(d, gate, ledger, 4);
            final Task plain = Task.builder("t").build(); // the type goes on for tasks its agents can run
            assertThat(ledger.offered(plain.id(), d.submit(plain))).isTrue();
            assertThat(d.drain(Duration.ofSeconds(5))).as(() -> "tasks needing the gone skill ended; " + d.describe()).isTrue();
            ledger.assertConserved(d, log, "no seed");
            assertThat(log.completed.get()).isEqualTo(2);
            assertThat(log.deadLettered.get()).isEqualTo(3);
            assertThat(d.deadLetters()).allSatisfy(l -> assertThat(l.reason()).contains("cuda"));
        }
        finally
        {
            stop(d);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Binding.class, names = {"EARLY", "LATE"})
    void tasksOfATypeLeftWithNoAgentAtAllWaitForOneToBeAdded(final Binding binding) throws Exception
    {
        final Gate gate = new Gate();
        final EventLog log = new EventLog();
        final Ledger ledger = new Ledger();
        // the lane is placed even with no room (early binding, or late once its last agent left), where a task needing
        // a gone skill would be dead-lettered
        final Dispatcher d = Dispatcher.builder().strategy(TestStrategies.first()).binding("t", binding)
            .listener(log).onResult(ledger)
            .agent(AgentSpec.builder("gpu", "t").capacity(1).skill("cuda", 1.0).build(), gate)
            .agent(AgentSpec.builder("other", "u").build(), AgentAdapter.sync(t -> "ok"))
            .build().start();
        try
        {
            cudaTasksThenGpuRemoved(d, gate, ledger, 3);
            Await.routerPass(d);
            assertThat(log.deadLettered.get()).as("an empty type waits, as an autoscaler's minimum of 0 expects").isZero();
            d.addAgent(AgentSpec.builder("gpu-2", "t").capacity(1).skill("cuda", 1.0).build(), AgentAdapter.sync(t -> "ok"))
                .get(10, TimeUnit.SECONDS);
            assertThat(d.drain(Duration.ofSeconds(5))).as(d::describe).isTrue();
            ledger.assertConserved(d, log, "no seed");
            assertThat(log.completed.get()).isEqualTo(3);
        }
        finally
        {
            stop(d);
        }
    }

    @Test
    void tasksAddressedToACrashedAgentAreDeadLetteredWithoutSupervision() throws Exception
    {
        final Gate gate = new Gate();
        final EventLog log = new EventLog();
        final Ledger ledger = new Ledger();
        final Dispatcher d = fleet(gate, log, ledger).build().start();
        try
        {
            fourAddressedToA(d, gate, ledger);
            assertThat(d.crashAgent("a", "host gone").get(10, TimeUnit.SECONDS)).isTrue();
            gate.releaseAll(); // the running attempt completes after the crash: it stands
            assertThat(d.drain(Duration.ofSeconds(5))).as(() -> "tasks addressed to the crashed agent ended; " +
                d.describe()).isTrue();
            ledger.assertConserved(d, log, "no seed");
            assertThat(log.completed.get()).isEqualTo(1);
            assertThat(log.deadLettered.get()).isEqualTo(3);
        }
        finally
        {
            stop(d);
        }
    }

    /** "a" alone in its type (held by the gate, capacity 1, prefetch 1): once it leaves, its type has no room at all. */
    private static Dispatcher soleAgent(final Gate gate, final EventLog log, final Ledger ledger)
    {
        return Dispatcher.builder().strategy(TestStrategies.first()).prefetch(1).listener(log).onResult(ledger)
            .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(2))
            .agent(AgentSpec.builder("a", "t").capacity(1).build(), gate)
            .build().start();
    }

    @Test
    void tasksAddressedToTheRemovedSoleAgentOfItsTypeAreDeadLetteredInsteadOfWaitingForEver() throws Exception
    {
        final Gate gate = new Gate();
        final EventLog log = new EventLog();
        final Ledger ledger = new Ledger();
        final Dispatcher d = soleAgent(gate, log, ledger);
        try
        {
            fourAddressedToA(d, gate, ledger);
            final var removal = d.removeAgent("a");
            Await.routerPass(d);
            gate.releaseAll();
            assertThat(removal.get(10, TimeUnit.SECONDS).id()).isEqualTo("a");
            assertThat(d.drain(Duration.ofSeconds(5))).as(() -> "tasks addressed to the removed agent ended; " +
                d.describe()).isTrue();
            ledger.assertConserved(d, log, "no seed");
            assertThat(log.completed.get()).isEqualTo(1);
            assertThat(log.deadLettered.get()).as("the three that could no longer run").isEqualTo(3);
            assertThat(d.deadLetters()).allSatisfy(l -> assertThat(l.reason()).contains("addressed to agent 'a'"));
        }
        finally
        {
            stop(d);
        }
    }

    @Test
    void tasksAddressedToTheCrashedSoleAgentOfItsTypeAreDeadLetteredWithoutSupervision() throws Exception
    {
        final Gate gate = new Gate();
        final EventLog log = new EventLog();
        final Ledger ledger = new Ledger();
        final Dispatcher d = soleAgent(gate, log, ledger);
        try
        {
            fourAddressedToA(d, gate, ledger);
            assertThat(d.crashAgent("a", "host gone").get(10, TimeUnit.SECONDS)).isTrue();
            gate.releaseAll(); // the running attempt completes after the crash: it stands
            assertThat(d.drain(Duration.ofSeconds(5))).as(() -> "tasks addressed to the crashed agent ended; " +
                d.describe()).isTrue();
            ledger.assertConserved(d, log, "no seed");
            assertThat(log.completed.get()).isEqualTo(1);
            assertThat(log.deadLettered.get()).isEqualTo(3);
            assertThat(d.deadLetters()).allSatisfy(l -> assertThat(l.reason()).contains("addressed to agent 'a'"));
        }
        finally
        {
            stop(d);
        }
    }

    @Test
    void tasksAddressedToACrashedAgentWaitForItsRestartUnderSupervision() throws Exception
    {
        final Gate gate = new Gate();
        final EventLog log = new EventLog();
        final Ledger ledger = new Ledger();
        final AgentFactory factory = new AgentFactory()
        {
            @Override
            public String type()
            {
                return "t";
            }

            @Override
            public AgentSpec spec(final String id)
            {
                return AgentSpec.builder(id, "t").capacity(1).build();
            }

            @Override
            public AgentAdapter create(final AgentSpec spec)
            {
                return AgentAdapter.sync(t -> "restarted");
            }
        };
        final Dispatcher d = fleet(gate, log, ledger).agentFactory(factory)
            .supervision(new Supervision(3, Duration.ofMillis(20), Duration.ofMillis(100))).build().start();
        try
        {
            fourAddressedToA(d, gate, ledger);
            assertThat(d.crashAgent("a", "host gone").get(10, TimeUnit.SECONDS)).isTrue();
            gate.releaseAll();
            assertThat(d.drain(Duration.ofSeconds(10))).as(() -> "the restarted agent ran its tasks; " + d.describe()).isTrue();
            ledger.assertConserved(d, log, "no seed");
            assertThat(log.completed.get()).as("none dead-lettered while a restart was due").isEqualTo(4);
        }
        finally
        {
            stop(d);
        }
    }

    /**
     * Three producers, a quarter of the tasks addressed to one agent and some avoiding one, asynchronous agents that
     * answer late or fail; meanwhile one agent is removed, one crashed (its late answers still come) and one added.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {21, 22, 23})
    void removingAndCrashingAgentsUnderAddressedLoadLosesNothing(final long seed) throws Exception
    {
        final String at = "seed " + seed;
        final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        final Queue<String> misplaced = new ConcurrentLinkedQueue<>();
        final EventLog log = new EventLog();
        final Ledger ledger = new Ledger();
        final Binding binding = Binding.values()[(int)(seed % Binding.values().length)];
        final Dispatcher.Builder b = Dispatcher.builder().strategy(TestStrategies.leastLoaded()).prefetch(2)
            .binding("t", binding).queueCapacity(2_000).retryBackoff(Duration.ofMillis(1), Duration.ofMillis(3))
            .watchdogInterval(Duration.ofMillis(1)).listener(log).onResult(ledger).seed(seed);
        for (int i = 0; i < 4; i++)
        {
            b.agent(AgentSpec.builder("a" + i, "t").capacity(2).build(), checked("a" + i, timer, misplaced));
        }
        final Dispatcher d = b.build().start();
        final AtomicBoolean stopping = new AtomicBoolean();
        final List<Thread> producers = new ArrayList<>();
        try
        {
            for (int p = 0; p < 3; p++)
            {
                final SplittableRandom random = new SplittableRandom(seed * 13 + p);
                final Thread t = new Thread(() ->
                {
                    while (!stopping.get())
                    {
                        final Task.Builder task = Task.builder("t").priority(Priority.ofOrdinal(random.nextInt(4)))
                            .maxRetries(random.nextInt(3)).timeout(Duration.ofMillis(20));
                        final int kind = random.nextInt(8);
                        if (kind < 2)
                        {
                            task.targetAgent("a" + random.nextInt(5)); // "a4" comes later: refused until then
                        }
                        else if (kind == 2)
                        {
                            task.avoidAgent("a" + random.nextInt(5));
                        }
                        final Task built = task.build();
                        ledger.offered(built.id(), d.submit(built, Duration.ofMillis(20)));
                    }
                }, "producer-" + p);
                producers.add(t);
                t.start();
            }
            Await.until(at + ": tasks flow", () -> log.completed.get() >= 200);
            final var removal = d.removeAgent("a1");
            final var crash = d.crashAgent("a2", "chaos");
            final var added = d.addAgent(AgentSpec.builder("a4", "t").capacity(2).build(), checked("a4", timer, misplaced));
            final long before = log.completed.get();
            Await.until(at + ": tasks flow after the changes", () -> log.completed.get() >= before + 300);
            stopping.set(true);
            for (final Thread t : producers)
            {
                Await.joined(t);
            }
            assertThat(removal.get(10, TimeUnit.SECONDS).id()).isEqualTo("a1");
            assertThat(crash.get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(added.get(10, TimeUnit.SECONDS).id()).isEqualTo("a4");
            assertThat(d.drain(Duration.ofSeconds(20))).as(() -> at + ": drained; " + d.describe()).isTrue();
            ledger.assertConserved(d, log, at);
            assertThat(misplaced).as(at + ": addressed or avoiding tasks that ran where they must not").isEmpty();
        }
        finally
        {
            stopping.set(true);
            stop(d);
            timer.shutdownNow();
        }
    }

    /** Answers on the timer after up to 300 us, one in ten a failure; notes a task run where its addressing forbids. */
    private static AgentAdapter checked(final String id, final ScheduledExecutorService timer, final Queue<String> misplaced)
    {
        return (task, completion, telemetry) ->
        {
            final Task t = task.task();
            if ((t.targetAgent() != null && !t.targetAgent().equals(id)) || id.equals(t.avoidAgent()))
            {
                misplaced.add("task " + t.id() + " (target " + t.targetAgent() + ", avoid " + t.avoidAgent() + ") ran on " + id);
            }
            final boolean fail = ThreadLocalRandom.current().nextInt(10) == 0;
            timer.schedule(() ->
            {
                if (fail)
                {
                    completion.fail(new IllegalStateException("chaos"));
                }
                else
                {
                    completion.succeed("ok");
                }
            }, ThreadLocalRandom.current().nextInt(300), TimeUnit.MICROSECONDS);
        };
    }
}
