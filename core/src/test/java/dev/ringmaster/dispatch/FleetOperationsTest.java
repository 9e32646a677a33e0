package dev.ringmaster.dispatch;

import dev.ringmaster.metrics.AgentStats;
import dev.ringmaster.testing.Await;
import dev.ringmaster.testing.TestStrategies;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Priority;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.AgentView;
import org.junit.jupiter.api.Test;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Adding, removing and pausing agents while tasks flow loses nothing and runs nothing twice. */
class FleetOperationsTest
{
    private static AgentAdapter delayed(final ScheduledExecutorService timer, final long micros)
    {
        return (t, c, tel) -> timer.schedule(() -> c.succeed("ok"), micros, TimeUnit.MICROSECONDS);
    }

    private static long completed(final Dispatcher d, final String agentId)
    {
        return d.metrics().agents().stream().filter(a -> a.id().equals(agentId)).mapToLong(AgentStats::completed).sum();
    }

    private static long waiting(final Dispatcher d, final String type)
    {
        return d.queueDepthByType().get(type).values().stream().mapToLong(Long::longValue).sum();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 12, 13})
    void removingAddingAndPausingUnderLoadLoseNothingAndRunNothingTwice(final long seed) throws Exception
    {
        final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try
        {
            final EventLog log = new EventLog();
            final Dispatcher.Builder b = Dispatcher.builder()
                .strategy(TestStrategies.leastLoaded()).prefetch(2).queueCapacity(2_000).listener(log).seed(seed);
            for (int i = 0; i < 4; i++)
            {
                b.agent(AgentSpec.builder("coder-" + i, "coder").capacity(4).build(), delayed(timer, 300));
                b.agent(AgentSpec.builder("reviewer-" + i, "reviewer").capacity(2).build(), delayed(timer, 200));
            }
            final Dispatcher d = b.build().start();
            final Set<Long> accepted = ConcurrentHashMap.newKeySet();
            final AtomicBoolean stop = new AtomicBoolean();
            final List<Thread> producers = new ArrayList<>();
            for (int p = 0; p < 3; p++)
            {
                final SplittableRandom random = new SplittableRandom(seed * 7 + p);
                final Thread t = new Thread(() ->
                {
                    while (!stop.get())
                    {
                        final Task task = Task.builder(random.nextBoolean() ? "coder" : "reviewer")
                            .priority(Priority.ofOrdinal(random.nextInt(4))).maxRetries(0).build();
                        if (d.submit(task, Duration.ofMillis(50)).accepted())
                        {
                            accepted.add(task.id());
                        }
                    }
                });
                producers.add(t);
                t.start();
            }
            Await.until("tasks flow", () -> log.completed.get() >= 100);
            final var removed1 = d.removeAgent("coder-1");
            final var removed2 = d.removeAgent("reviewer-3");
            final var added = d.addAgent(AgentSpec.builder("coder-9", "coder").capacity(4).build(), delayed(timer, 100));
            final var newType = d.addAgent(AgentSpec.builder("tester-1", "tester").capacity(2).build(), delayed(timer, 100));
            assertThat(d.pauseType("reviewer").get(5, TimeUnit.SECONDS)).isNotNegative();
            Await.until("reviewer tasks wait while the type is paused", () -> waiting(d, "reviewer") > 0);
            assertThat(d.types()).containsEntry("reviewer", true).containsEntry("tester", false);
            assertThat(d.resumeType("reviewer").get(5, TimeUnit.SECONDS)).isNotNegative();
            assertThat(d.submit(Task.builder("tester").build(), Duration.ofSeconds(1))).isEqualTo(SubmitStatus.ACCEPTED);
            final long resumedAt = log.completed.get();
            Await.until("the added agent, and the resumed type, run tasks under load", () ->
                log.completed.get() >= resumedAt + 100 && completed(d, "coder-9") > 0);
            stop.set(true);
            for (final Thread t : producers)
            {
                Await.joined(t);
            }

            assertThat(removed1.get(10, TimeUnit.SECONDS).id()).isEqualTo("coder-1");
            assertThat(removed2.get(10, TimeUnit.SECONDS).id()).isEqualTo("reviewer-3");
            assertThat(added.get(5, TimeUnit.SECONDS).id()).isEqualTo("coder-9");
            assertThat(newType.get(5, TimeUnit.SECONDS).id()).isEqualTo("tester-1");
            assertThat(d.drain(Duration.ofSeconds(60))).as(d::describe).isTrue();

            assertThat(log.duplicates).isEmpty();
            assertThat(log.terminalByTask).hasSize((int)log.accepted.get());
            assertThat(log.completed.get()).isEqualTo(log.accepted.get()); // no failures here: every task completes
            assertThat(log.startsByTask.values()).as("no task ran twice").allMatch(n -> n == 1);
            assertThat(d.agents()).extracting(AgentView::id).doesNotContain("coder-1", "reviewer-3").contains("coder-9", "tester-1");
            assertThat(completed(d, "coder-9")).isPositive();
        }
        finally
        {
            timer.shutdownNow();
        }
    }

    @Test
    void removingAnAgentSendsItsInboxElsewhereAndWaitsForWhatItRuns() throws Exception
    {
        final Gate held = new Gate();
        final EventLog log = new EventLog();
        final Dispatcher d = Dispatcher.builder()
            .agent(AgentSpec.builder("leaving", "coder").capacity(1).build(), held)
            .strategy(TestStrategies.first()).prefetch(4).listener(log).build().start();
        for (int i = 0; i < 5; i++)
        {
            d.submit(Task.builder("coder").build()); // 1 running + 4 in the inbox of "leaving"
        }
        Await.until("the first task starts", () -> !held.startOrder.isEmpty());
        final var stayer = d.addAgent(AgentSpec.builder("staying", "coder").capacity(4).build(), AgentAdapter.sync(t -> "ok"));
        stayer.get(5, TimeUnit.SECONDS);
        final var removal = d.removeAgent("leaving");
        Await.until("the four tasks of the inbox complete", () -> log.completed.get() >= 4);
        assertThat(log.completed.get()).as("the inbox went to the other agent").isEqualTo(4);
        assertThat(removal).as("still running one task").isNotDone();
        held.releaseAll();
        assertThat(removal.get(5, TimeUnit.SECONDS).id()).isEqualTo("leaving");
        assertThat(d.drain(Duration.ofSeconds(5))).isTrue();
        assertThat(held.startOrder).hasSize(1);
        assertThat(log.completed.get()).isEqualTo(5);
        assertThat(log.startsByTask.values()).allMatch(n -> n == 1);
    }

    @Test
    void pausedTypeKeepsItsTasksQueuedAndResumesInOrder() throws Exception
    {
        final Gate gate = new Gate();
        final Dispatcher d = Dispatcher.builder()
            .agent(AgentSpec.builder("a", "coder").capacity(1).build(), gate)
            .strategy(TestStrategies.first()).prefetch(0).build().start();
        assertThat(d.pauseType("coder").get(5, TimeUnit.SECONDS)).isZero();
        final List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++)
        {
            final Task t = Task.builder("coder").build();
            ids.add(t.id());
            d.submit(t);
        }
        Await.until("the five tasks are queued", () -> waiting(d, "coder") == 5);
        Await.routerPass(d);
        assertThat(gate.startOrder).as("nothing starts while paused").isEmpty();
        assertThat(d.queueDepthByType().get("coder").get(Priority.MEDIUM)).isEqualTo(5);
        assertThat(d.resumeType("coder").get(5, TimeUnit.SECONDS)).isEqualTo(5);
        for (int i = 0; i < 5; i++)
        {
            assertThat(gate.releaseOne()).isTrue();
        }
        assertThat(d.drain(Duration.ofSeconds(5))).isTrue();
        assertThat(gate.startOrder).containsExactlyElementsOf(ids);
    }

    @Test
    void reprioritizeMovesAWaitingTaskAndRefusesOneAlreadyRunning() throws Exception
    {
        final Gate gate = new Gate();
        final Dispatcher d = Dispatcher.builder()
            .agent(AgentSpec.builder("a", "coder").capacity(1).build(), gate)
            .strategy(TestStrategies.first()).prefetch(0).build().start();
        final Task running = Task.builder("coder").priority(Priority.LOW).build();
        d.submit(running);
        Await.until("the first task starts", () -> !gate.startOrder.isEmpty());
        final List<Task> low = new ArrayList<>();
        for (int i = 0; i < 5; i++)
        {
            final Task t = Task.builder("coder").priority(Priority.LOW).build();
            low.add(t);
            d.submit(t);
        }
        final Task last = low.get(4);
        Await.until("the five tasks are queued", () -> waiting(d, "coder") == 5);
        assertThat(d.reprioritize(last.id(), Priority.CRITICAL).get(5, TimeUnit.SECONDS)).isEqualTo(ReprioritizeOutcome.MOVED);
        assertThat(d.reprioritize(running.id(), Priority.CRITICAL).get(5, TimeUnit.SECONDS))
            .isEqualTo(ReprioritizeOutcome.ALREADY_RUNNING);
        assertThat(ReprioritizeOutcome.ALREADY_RUNNING.reason()).contains("already running");
        assertThat(d.reprioritize(123_456_789L, Priority.HIGH).get(5, TimeUnit.SECONDS)).isEqualTo(ReprioritizeOutcome.NOT_FOUND);
        assertThat(d.queueDepthByType().get("coder")).containsEntry(Priority.CRITICAL, 1L).containsEntry(Priority.LOW, 4L);
        for (int i = 0; i < 6; i++)
        {
            assertThat(gate.releaseOne()).isTrue();
        }
        assertThat(d.drain(Duration.ofSeconds(5))).isTrue();
        assertThat(gate.startOrder.get(1)).as("the re-prioritized task jumps the queue").isEqualTo(last.id());
    }

    @Test
    void unknownAgentOrTypeAndDuplicateIdsAreClearErrors()
    {
        final Dispatcher d = Dispatcher.builder()
            .agent(AgentSpec.builder("a", "coder").build(), AgentAdapter.sync(t -> "ok"))
            .strategy(TestStrategies.first()).build().start();
        assertThatThrownBy(() -> d.removeAgent("ghost").get(5, TimeUnit.SECONDS))
            .hasCauseInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown agent 'ghost'").hasMessageContaining("[a]");
        assertThatThrownBy(() -> d.pauseType("painter").get(5, TimeUnit.SECONDS))
            .hasMessageContaining("unknown agent type 'painter'");
        assertThatThrownBy(() -> d.addAgent(AgentSpec.builder("a", "coder").build(), AgentAdapter.sync(t -> "ok")).get(5, TimeUnit.SECONDS))
            .hasMessageContaining("duplicate agent id 'a'");
        d.close();
        assertThatThrownBy(() -> d.pauseType("coder").get(5, TimeUnit.SECONDS))
            .hasMessageContaining("the dispatcher is not running (it is terminated)").hasMessageContaining("build a new one");
        final Dispatcher unstarted = Dispatcher.builder()
            .agent(AgentSpec.builder("a", "coder").build(), AgentAdapter.sync(t -> "ok"))
            .strategy(TestStrategies.first()).build();
        assertThatThrownBy(() -> unstarted.pauseType("coder").get(5, TimeUnit.SECONDS))
            .hasMessageContaining("the dispatcher is not running (it is not started)").hasMessageContaining("call start() first");
    }

    @Test
    void questionsAboutATaskBeforeStartOrAfterTerminationAnswerThatNoTaskIsLive() throws Exception
    {
        final Dispatcher d = Dispatcher.builder()
            .agent(AgentSpec.builder("a", "coder").build(), AgentAdapter.sync(t -> "ok"))
            .strategy(TestStrategies.first()).build();
        // before start: nothing was accepted, so no task is live (a failure here would read as a broken dispatcher)
        assertThat(d.cancel(1).get(5, TimeUnit.SECONDS)).isEqualTo(CancelOutcome.NOT_FOUND);
        d.start();
        final Task task = Task.builder("coder").build();
        assertThat(d.submitAsync(task).get(5, TimeUnit.SECONDS).state()).isEqualTo(TerminalState.COMPLETED);
        d.close();
        assertThat(d.state()).isEqualTo(DispatcherState.TERMINATED);
        // a timeout handler cancelling its task as the dispatcher closes gets "not found", not an exception to catch
        assertThat(d.cancel(task.id()).get(5, TimeUnit.SECONDS)).isEqualTo(CancelOutcome.NOT_FOUND);
        assertThat(d.whereIs(task.id()).get(5, TimeUnit.SECONDS)).isNull();
        assertThat(d.reprioritize(task.id(), Priority.HIGH).get(5, TimeUnit.SECONDS)).isEqualTo(ReprioritizeOutcome.NOT_FOUND);
    }
}
