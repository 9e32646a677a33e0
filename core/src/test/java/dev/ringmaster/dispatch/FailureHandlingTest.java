package dev.ringmaster.dispatch;

import dev.ringmaster.testing.TestStrategies;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentAdapter;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** TTL expiry, retries with back-off, timeouts and dead letters with their reasons. */
class FailureHandlingTest
{
    @Test
    void aTaskWhoseTtlPassesWhileQueuedExpiresIntoTheDeadLetters() throws Exception
    {
        final Gate gate = new Gate();
        final EventLog log = new EventLog();
        final Dispatcher d = Dispatcher.builder()
            .agent(AgentSpec.builder("solo", "worker").capacity(1).build(), gate)
            .strategy(TestStrategies.first()).prefetch(0).listener(log).build().start();
        d.submit(Task.builder("worker").build()); // holds the only slot
        final var result = d.submitAsync(Task.builder("worker").ttl(Duration.ofMillis(20)).build());

        final TaskResult r = result.get(5, TimeUnit.SECONDS);
        assertThat(r.state()).isEqualTo(TerminalState.EXPIRED);
        assertThat(r.reason()).contains("time to live");
        assertThat(r.attempts()).isZero();
        assertThat(d.deadLetters()).singleElement().satisfies(dl ->
        {
            assertThat(dl.state()).isEqualTo(TerminalState.EXPIRED);
            assertThat(dl.task().id()).isEqualTo(r.task().id());
        });
        gate.releaseAll();
        assertThat(d.drain(Duration.ofSeconds(5))).isTrue();
        assertThat(log.expired.get()).isEqualTo(1);
        assertThat(log.completed.get()).isEqualTo(1);
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.EnumSource(Binding.class)
    void aTaskWhoseTtlPassesWhileAssignedToABusyAgentExpiresWithoutWaitingForTheAgent(final Binding binding) throws Exception
    {
        // prefetch 1: under late binding the task waits in the busy agent's inbox, under early binding in its own queue
        final Gate gate = new Gate();
        final EventLog log = new EventLog();
        final Dispatcher d = Dispatcher.builder()
            .agent(AgentSpec.builder("solo", "worker").capacity(1).build(), gate)
            .strategy(TestStrategies.first()).prefetch(1).binding("worker", binding).listener(log).build().start();
        d.submit(Task.builder("worker").build()); // holds the only slot for as long as the test wants
        final var result = d.submitAsync(Task.builder("worker").ttl(Duration.ofMillis(20)).build());

        final TaskResult r = result.get(5, TimeUnit.SECONDS);
        assertThat(r.state()).isEqualTo(TerminalState.EXPIRED);
        assertThat(r.reason()).contains("time to live").contains("solo");
        assertThat(r.attempts()).isZero();
        assertThat(gate.startOrder).as("the expired task never started").hasSize(1);
        assertThat(d.metrics().expired()).isEqualTo(1);
        gate.releaseAll();
        final var next = d.submitAsync(Task.builder("worker").build());
        assertThat(gate.releaseOne()).as("the agent's room came back with the expired task").isTrue();
        assertThat(next.get(5, TimeUnit.SECONDS).state()).isEqualTo(TerminalState.COMPLETED);
        assertThat(d.drain(Duration.ofSeconds(5))).isTrue();
        assertThat(log.duplicates).isEmpty();
        assertThat(log.expired.get()).isEqualTo(1);
        assertThat(log.completed.get()).isEqualTo(2);
    }

    @Test
    void aTaskWhoseTtlPassesWhileWaitingOutARetryBackoffExpiresAtItsTtlNotAtTheRetry() throws Exception
    {
        final Dispatcher d = Dispatcher.builder()
            .agent(AgentSpec.builder("broken", "worker").capacity(1).build(), (t, c, tel) -> c.fail(new IllegalStateException("down")))
            .strategy(TestStrategies.first())
            .retryBackoff(Duration.ofSeconds(30), Duration.ofSeconds(30)) // the retry would come 15 to 30 s later
            .build().start();
        final TaskResult r = d.submitAsync(Task.builder("worker").ttl(Duration.ofMillis(100)).maxRetries(3).build())
            .get(5, TimeUnit.SECONDS);
        assertThat(r.state()).isEqualTo(TerminalState.EXPIRED);
        assertThat(r.reason()).contains("time to live passed while waiting to retry").contains("down");
        assertThat(r.attempts()).isEqualTo(1);
        assertThat(d.drain(Duration.ofSeconds(5))).isTrue();
    }

    /**
     * What follows a failure is stamped at or after it: a retry or a dead letter decided in a routing cycle that began
     * before the agent answered was stamped with the cycle's start, before the failure (an audit showed 16 of 394
     * retries so). Many producers and two agents that answer at once, so cycles and answers interleave.
     */
    @Test
    void aRetryOrDeadLetterIsNeverStampedBeforeTheFailureItFollows() throws Exception
    {
        final java.util.Map<Long, Long> failedAt = new java.util.concurrent.ConcurrentHashMap<>();
        final List<String> inversions = new CopyOnWriteArrayList<>();
        final dev.ringmaster.spi.DispatchListener order = new dev.ringmaster.spi.DispatchListener()
        {
            @Override
            public void onFailed(final dev.ringmaster.spi.TaskView task, final dev.ringmaster.spi.AgentView agent,
                                 final String reason, final long nanos)
            {
                failedAt.put(task.task().id(), nanos);
            }

            @Override
            public void onRetried(final dev.ringmaster.spi.TaskView task, final long retryAtNanos, final long nanos)
            {
                check(task, "retried", nanos);
            }

            @Override
            public void onDeadLettered(final dev.ringmaster.spi.TaskView task, final String reason, final long nanos)
            {
                check(task, "dead-lettered", nanos);
            }

            private void check(final dev.ringmaster.spi.TaskView task, final String what, final long nanos)
            {
                final Long failed = failedAt.get(task.task().id());
                if (failed != null && nanos < failed)
                {
                    inversions.add("task " + task.task().id() + " " + what + " " + (failed - nanos) + " ns before its failure");
                }
            }
        };
        final AgentAdapter failing = AgentAdapter.sync(t ->
        {
            throw new IllegalStateException("fails at once (test)");
        });
        final Dispatcher d = Dispatcher.builder()
            .agent(AgentSpec.builder("a", "worker").capacity(4).build(), failing)
            .agent(AgentSpec.builder("b", "worker").capacity(4).build(), failing)
            .strategy(TestStrategies.leastLoaded())
            .retryBackoff(Duration.ofNanos(1_000), Duration.ofNanos(10_000))
            .listener(order)
            .build().start();
        final Thread[] producers = new Thread[3];
        for (int p = 0; p < producers.length; p++)
        {
            producers[p] = new Thread(() ->
            {
                for (int i = 0; i < 300; i++)
                {
                    d.submit(Task.builder("worker").maxRetries(2).build(), Duration.ofSeconds(5));
                }
            });
            producers[p].start();
        }
        for (final Thread t : producers)
        {
            t.join(TimeUnit.SECONDS.toMillis(30));
        }
        assertThat(d.drain(Duration.ofSeconds(30))).isTrue();
        assertThat(d.metrics().deadLettered()).isEqualTo(900);
        assertThat(inversions).as("retries and dead letters stamped before the failure they follow").isEmpty();
    }

    @Test
    void aFailingTaskIsRetriedWithGrowingBackoffThenDeadLettered() throws Exception
    {
        final List<Long> attemptNanos = new CopyOnWriteArrayList<>();
        final Dispatcher d = Dispatcher.builder()
            .agent(AgentSpec.builder("broken", "worker").capacity(1).build(), (t, c, tel) ->
            {
                attemptNanos.add(System.nanoTime());
                throw new IllegalStateException("model endpoint returned garbage");
            })
            .strategy(TestStrategies.first())
            .retryBackoff(Duration.ofMillis(20), Duration.ofMillis(200))
            .build().start();

        final TaskResult r = d.submitAsync(Task.builder("worker").maxRetries(3).build()).get(10, TimeUnit.SECONDS);

        assertThat(r.state()).isEqualTo(TerminalState.DEAD_LETTERED);
        assertThat(r.attempts()).isEqualTo(4);
        assertThat(r.reason()).contains("4 attempt(s)").contains("model endpoint returned garbage").contains("broken");
        assertThat(attemptNanos).hasSize(4);
        // back-off with jitter in [delay/2, delay): 20, 40, 80 ms nominal, so at least 10, 20, 40 ms apart
        final long[] minGapMillis = {10, 20, 40};
        for (int i = 1; i < 4; i++)
        {
            final long gap = TimeUnit.NANOSECONDS.toMillis(attemptNanos.get(i) - attemptNanos.get(i - 1));
            assertThat(gap).as("gap before attempt %d", i + 1).isGreaterThanOrEqualTo(minGapMillis[i - 1]);
        }
        assertThat(d.deadLetters()).singleElement().satisfies(dl ->
        {
            assertThat(dl.state()).isEqualTo(TerminalState.DEAD_LETTERED);
            assertThat(dl.attempts()).isEqualTo(4);
            assertThat(dl.lastAgentId()).isEqualTo("broken");
            assertThat(dl.reason()).contains("model endpoint returned garbage");
        });
        assertThat(d.drain(Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void anAttemptThatOutlivesItsTimeoutFailsAndIsRetriedElsewhere() throws Exception
    {
        final Gate hung = new Gate(); // never released: the agent stops answering
        final EventLog log = new EventLog();
        final Dispatcher d = Dispatcher.builder()
            .agent(AgentSpec.builder("hung", "worker").capacity(1).build(), hung)
            .agent(AgentSpec.builder("healthy", "worker").capacity(1).build(), AgentAdapter.sync(t -> "done"))
            .strategy(TestStrategies.first())
            .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(2))
            .listener(log)
            .build().start();

        final TaskResult r = d.submitAsync(Task.builder("worker").timeout(Duration.ofMillis(30)).maxRetries(1).build())
            .get(10, TimeUnit.SECONDS);

        // the hung agent keeps its slot (it never answered), so the retry can only go to the healthy one
        assertThat(r.state()).isEqualTo(TerminalState.COMPLETED);
        assertThat(r.agentId()).isEqualTo("healthy");
        assertThat(r.attempts()).isEqualTo(2);
        assertThat(d.metrics().timeouts()).isEqualTo(1);
        assertThat(log.failed.get()).isEqualTo(1);
        assertThat(log.retried.get()).isEqualTo(1);
        hung.releaseAll(); // the late answer is ignored, not double-counted
        assertThat(d.drain(Duration.ofSeconds(5))).isTrue();
        assertThat(log.duplicates).isEmpty();
        assertThat(log.completed.get()).isEqualTo(1);
    }

    @Test
    void anAttemptThatTimesOutWithNoRetriesLeftIsDeadLetteredWithTheReason() throws Exception
    {
        final Gate hung = new Gate();
        final Dispatcher d = Dispatcher.builder()
            .agent(AgentSpec.builder("hung", "worker").capacity(1).build(), hung)
            .strategy(TestStrategies.first())
            .build().start();
        final TaskResult r = d.submitAsync(Task.builder("worker").timeout(Duration.ofMillis(20)).maxRetries(0).build())
            .get(10, TimeUnit.SECONDS);
        assertThat(r.state()).isEqualTo(TerminalState.DEAD_LETTERED);
        assertThat(r.reason()).contains("timed out after 20 ms").contains("hung");
        hung.releaseAll();
        assertThat(d.drain(Duration.ofSeconds(5))).isTrue();
    }
}
