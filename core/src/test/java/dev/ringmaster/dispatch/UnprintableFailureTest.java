package dev.ringmaster.dispatch;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.AgentFactory;
import dev.ringmaster.spi.AgentTelemetry;
import dev.ringmaster.spi.Completion;
import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.DispatchListener;
import dev.ringmaster.spi.Provenance;
import dev.ringmaster.spi.TaskView;
import dev.ringmaster.testing.TestStrategies;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A plugin may throw a throwable that cannot even be printed (its message is built lazily and the lookup throws, as
 * some frameworks' exceptions do): it is contained like any other, and every task still reaches its terminal state.
 */
class UnprintableFailureTest
{
    /** Its getMessage(), and so toString() and printStackTrace(), throw. */
    static final class UnprintableFailure extends RuntimeException
    {
        @Override
        public String getMessage()
        {
            throw new IllegalStateException("message lookup failed");
        }
    }

    /** Submits {@code n} tasks of type "worker", each with its own id. */
    private static List<CompletableFuture<TaskResult>> submit(final Dispatcher d, final int maxRetries, final int n)
    {
        final List<CompletableFuture<TaskResult>> results = new ArrayList<>();
        for (int i = 0; i < n; i++)
        {
            results.add(d.submitAsync(Task.builder("worker").maxRetries(maxRetries).build()));
        }
        return results;
    }

    @Test
    void anAdapterFailureWhoseMessageThrowsIsRetriedThenDeadLetteredNamingItsType() throws Exception
    {
        final Dispatcher d = Dispatcher.builder()
            .agent(AgentSpec.builder("thrower", "worker").capacity(1).build(), (t, c, tel) ->
            {
                if (t.task().id() % 2 == 0)
                {
                    throw new UnprintableFailure();
                }
                c.fail(new UnprintableFailure());
            })
            .strategy(TestStrategies.first())
            .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(2))
            .build().start();
        for (final var f : submit(d, 1, 4))
        {
            final TaskResult r = f.get(10, TimeUnit.SECONDS);
            assertThat(r.state()).isEqualTo(TerminalState.DEAD_LETTERED);
            assertThat(r.reason()).contains("2 attempt(s)").contains("thrower").contains(UnprintableFailure.class.getName());
        }
        assertThat(d.drain(Duration.ofSeconds(5))).isTrue();
        assertThat(d.metrics().deadLettered()).isEqualTo(4);
    }

    @Test
    void aResultHandlerThatThrowsOneStillHasEveryFutureCompletedAndDrainFinish() throws Exception
    {
        final Dispatcher d = Dispatcher.builder()
            .agent(AgentSpec.builder("a", "worker").capacity(2).build(), AgentAdapter.sync(t -> "ok"))
            .strategy(TestStrategies.first())
            .onResult((task, state, result, reason) ->
            {
                throw new UnprintableFailure();
            })
            .build().start();
        for (final var f : submit(d, 0, 3))
        {
            assertThat(f.get(5, TimeUnit.SECONDS).state()).isEqualTo(TerminalState.COMPLETED);
        }
        assertThat(d.drain(Duration.ofSeconds(5))).isTrue();
        assertThat(d.metrics().completed()).isEqualTo(3);
        assertThat(d.metrics().faults().callbacks()).isEqualTo(3);
    }

    @Test
    void aListenerThatThrowsOneLosesOnlyItsEventsAndTheTaskCompletes() throws Exception
    {
        final DispatchListener poisoned = new DispatchListener()
        {
            @Override
            public void onAccepted(final TaskView task, final long nanos)
            {
                throw new UnprintableFailure();
            }

            @Override
            public void onAssigned(final TaskView task, final AgentView agent, final Provenance why, final long nanos)
            {
                throw new UnprintableFailure();
            }

            @Override
            public void onAcceptedAndAssigned(final TaskView task, final long acceptedNanos, final AgentView agent,
                                              final Provenance why, final long nanos)
            {
                throw new UnprintableFailure();
            }
        };
        final EventLog log = new EventLog();
        final Dispatcher d = Dispatcher.builder()
            .agent(AgentSpec.builder("a", "worker").capacity(2).build(), AgentAdapter.sync(t -> "ok"))
            .strategy(TestStrategies.first())
            .listener(poisoned).listener(log)
            .build().start();
        for (final var f : submit(d, 0, 3))
        {
            assertThat(f.get(5, TimeUnit.SECONDS).state()).isEqualTo(TerminalState.COMPLETED);
        }
        assertThat(d.drain(Duration.ofSeconds(5))).isTrue();
        assertThat(log.completed.get()).isEqualTo(3);
        assertThat(log.duplicates).isEmpty();
    }

    /** Succeeds every task; its start() or stop() throws an {@link UnprintableFailure} if asked to, and counts stops. */
    private static final class Lifecycle implements AgentAdapter
    {
        final boolean startThrows;
        final boolean stopThrows;
        final AtomicInteger stops = new AtomicInteger();

        Lifecycle(final boolean startThrows, final boolean stopThrows)
        {
            this.startThrows = startThrows;
            this.stopThrows = stopThrows;
        }

        @Override
        public void execute(final TaskView task, final Completion completion, final AgentTelemetry telemetry)
        {
            completion.succeed("ok");
        }

        @Override
        public void start()
        {
            if (startThrows)
            {
                throw new UnprintableFailure();
            }
        }

        @Override
        public void stop()
        {
            stops.incrementAndGet();
            if (stopThrows)
            {
                throw new UnprintableFailure();
            }
        }
    }

    @Test
    void aStopThatThrowsOneStillLetsTheOtherAgentsStopAndTheDrainFinish()
    {
        final Lifecycle first = new Lifecycle(false, true);
        final Lifecycle second = new Lifecycle(false, false);
        final Dispatcher d = Dispatcher.builder().strategy(TestStrategies.first())
            .agent(AgentSpec.builder("first", "worker").build(), first)
            .agent(AgentSpec.builder("second", "worker").build(), second)
            .build().start();
        assertThat(d.drain(Duration.ofSeconds(5))).isTrue();
        assertThat(first.stops.get()).isEqualTo(1);
        assertThat(second.stops.get()).as("the agent after the one whose stop() threw").isEqualTo(1);
    }

    @Test
    void aStartThatThrowsOneIsReportedNamingTheAgent() throws Exception
    {
        final Dispatcher.Builder builder = Dispatcher.builder().strategy(TestStrategies.first())
            .agent(AgentSpec.builder("broken", "worker").build(), new Lifecycle(true, false));
        assertThatThrownBy(() -> builder.build().start()).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("agent 'broken' failed to start").hasMessageContaining(UnprintableFailure.class.getName());

        final Dispatcher d = Dispatcher.builder().strategy(TestStrategies.first())
            .agent(AgentSpec.builder("a", "worker").build(), new Lifecycle(false, false))
            .build().start();
        final CompletableFuture<AgentView> added = d.addAgent(AgentSpec.builder("late", "worker").build(), new Lifecycle(true, false));
        assertThatThrownBy(() -> added.get(5, TimeUnit.SECONDS)).hasMessageContaining("agent 'late' failed to start");
        assertThat(d.drain(Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void supervisionRestartsAnAgentWhoseStartAndFirstRestartThrowOne() throws Exception
    {
        final AtomicInteger creates = new AtomicInteger();
        final AgentFactory factory = new AgentFactory()
        {
            @Override
            public String type()
            {
                return "worker";
            }

            @Override
            public AgentSpec spec(final String id)
            {
                return AgentSpec.builder(id, "worker").build();
            }

            @Override
            public AgentAdapter create(final AgentSpec spec)
            {
                if (creates.incrementAndGet() == 1)
                {
                    throw new UnprintableFailure(); // the first restart fails too: it must be tried again
                }
                return new Lifecycle(false, false);
            }
        };
        final Dispatcher d = Dispatcher.builder().strategy(TestStrategies.first())
            .agent(AgentSpec.builder("flaky", "worker").build(), new Lifecycle(true, false))
            .supervision(new Supervision(3, Duration.ofMillis(10), Duration.ofMillis(50)))
            .agentFactory(factory)
            .build().start();
        assertThat(d.submitAsync(Task.builder("worker").build()).get(10, TimeUnit.SECONDS).state())
            .isEqualTo(TerminalState.COMPLETED);
        assertThat(creates.get()).isEqualTo(2);
        assertThat(d.drain(Duration.ofSeconds(5))).isTrue();
    }
}
