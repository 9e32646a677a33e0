package dev.ringmaster.dispatch;

import dev.ringmaster.testing.Await;
import dev.ringmaster.testing.StderrLogs;
import dev.ringmaster.testing.TestAdapters;
import dev.ringmaster.testing.TestStrategies;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.AgentFactory;
import dev.ringmaster.spi.AgentTelemetry;
import dev.ringmaster.spi.Completion;
import dev.ringmaster.spi.TaskView;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Crashed agents (lifecycle throws, or they stop answering) are restarted by their factory; nothing is lost. */
class SupervisionTest
{
    /** An adapter that never answers: the agent has stopped responding. */
    private static final class Hung implements AgentAdapter
    {
        final List<Completion> held = new ArrayList<>();
        final AtomicInteger stops = new AtomicInteger();

        @Override
        public synchronized void execute(final TaskView task, final Completion completion, final AgentTelemetry telemetry)
        {
            held.add(completion);
        }

        @Override
        public void stop()
        {
            stops.incrementAndGet();
        }
    }

    /** Makes working adapters, after failing the first {@code failures} times. */
    private static final class Factory implements AgentFactory
    {
        final AtomicInteger created = new AtomicInteger();
        final AtomicInteger attempts = new AtomicInteger();
        private final int failures;

        Factory(final int failures)
        {
            this.failures = failures;
        }

        @Override
        public String type()
        {
            return "coder";
        }

        @Override
        public AgentSpec spec(final String id)
        {
            return AgentSpec.builder(id, "coder").capacity(2).build();
        }

        @Override
        public AgentAdapter create(final AgentSpec spec)
        {
            if (attempts.incrementAndGet() <= failures)
            {
                throw new IllegalStateException("model server not reachable yet");
            }
            created.incrementAndGet();
            return AgentAdapter.sync(t -> "fresh " + spec.id());
        }
    }

    @Test
    void anAgentThatStopsAnsweringIsRestartedByItsFactoryAndItsTasksRetriedElsewhere() throws Exception
    {
        final Hung hung = new Hung();
        final Factory factory = new Factory(0);
        final EventLog log = new EventLog();
        final Dispatcher d = Dispatcher.builder()
            .agent(AgentSpec.builder("flaky", "coder").capacity(2).build(), hung)
            .agent(AgentSpec.builder("steady", "coder").capacity(1).build(), AgentAdapter.sync(t -> "ok"))
            .strategy(TestStrategies.first())
            .supervision(new Supervision(3, Duration.ofMillis(50), Duration.ofSeconds(1)))
            .agentFactory(factory)
            .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(5))
            .listener(log)
            .build().start();
        final List<CompletableFuture<TaskResult>> results = new ArrayList<>();
        for (int i = 0; i < 40; i++)
        {
            results.add(d.submitAsync(Task.builder("coder").timeout(Duration.ofMillis(30)).maxRetries(5).build()));
        }
        for (final var f : results)
        {
            assertThat(f.get(20, TimeUnit.SECONDS).state()).isEqualTo(TerminalState.COMPLETED);
        }
        Await.until("the hung agent is restarted", () -> d.restarts() > 0);
        assertThat(d.restarts()).isEqualTo(1);
        assertThat(factory.created.get()).isEqualTo(1);
        assertThat(hung.stops.get()).as("the crashed adapter was stopped").isEqualTo(1);
        // the restarted agent, under the same id, takes work again
        for (int i = 0; i < 20; i++)
        {
            final TaskResult r = d.submitAsync(Task.builder("coder").targetAgent("flaky").build()).get(5, TimeUnit.SECONDS);
            assertThat(r.result()).isEqualTo("fresh flaky");
        }
        assertThat(d.metrics().agents()).filteredOn(a -> a.id().equals("flaky")).singleElement()
            .satisfies(a -> assertThat(a.completed()).isPositive());
        hung.held.forEach(c -> c.succeed("far too late")); // late answers of the old adapter change nothing
        assertThat(d.drain(Duration.ofSeconds(10))).isTrue();
        assertThat(log.duplicates).isEmpty();
        assertThat(log.terminalByTask).hasSize(60);
        assertThat(log.completed.get()).isEqualTo(60);
    }

    @Test
    void anAgentWhoseStartThrowsIsRestartedWithBackoffUntilItsFactorySucceeds() throws Exception
    {
        final Factory factory = new Factory(2); // the first two restarts fail too
        final Dispatcher d = Dispatcher.builder()
            .agent(AgentSpec.builder("broken", "coder").capacity(2).build(),
                TestAdapters.failingToStart("cannot load the model"))
            .strategy(TestStrategies.first())
            .supervision(new Supervision(3, Duration.ofMillis(10), Duration.ofMillis(100)))
            .agentFactory(factory)
            .build().start();
        // accepted while the type has no live agent: it waits for the restart
        final TaskResult r = d.submitAsync(Task.builder("coder").build()).get(10, TimeUnit.SECONDS);
        assertThat(r.completed()).isTrue();
        assertThat(r.result()).isEqualTo("fresh broken");
        assertThat(factory.attempts.get()).isEqualTo(3);
        assertThat(d.restarts()).isEqualTo(1);
        assertThat(d.drain(Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void withoutSupervisionAnAgentThatCannotStartFailsTheStartWithItsName()
    {
        final Dispatcher d = Dispatcher.builder()
            .agent(AgentSpec.builder("broken", "coder").build(), new AgentAdapter()
            {
                @Override
                public void execute(final TaskView task, final Completion completion, final AgentTelemetry telemetry)
                {
                    completion.succeed("ok");
                }

                @Override
                public void start()
                {
                    throw new IllegalStateException("cannot load the model");
                }
            })
            .strategy(TestStrategies.first())
            .build();
        assertThatThrownBy(d::start).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("agent 'broken' failed to start").hasMessageContaining("cannot load the model")
            .hasMessageContaining("supervision");
        assertThat(d.state()).isEqualTo(DispatcherState.NEW);
    }

    @Test
    void aCrashedAgentWhoseTypeHasNoFactoryIsNotPromisedARestart() throws Exception
    {
        final Hung hung = new Hung();
        final Dispatcher[] built = new Dispatcher[1];
        final String atBuild = StderrLogs.of(() -> built[0] = Dispatcher.builder()
            .agent(AgentSpec.builder("lonely", "coder").capacity(1).build(), hung)
            .strategy(TestStrategies.first())
            .supervision(new Supervision(1, Duration.ofMillis(20), Duration.ofMillis(100)))
            .build());
        assertThat(atBuild).contains("supervision is configured, but agent type(s) [coder] have no AgentFactory");
        final Dispatcher d = built[0].start();
        try
        {
            final String[] crashed = new String[1];
            final CompletableFuture<TaskResult> waiting = new CompletableFuture<>();
            crashed[0] = StderrLogs.of(() ->
            {
                d.submitAsync(Task.builder("coder").timeout(Duration.ofMillis(30)).maxRetries(1).build())
                    .whenComplete((r, e) -> waiting.complete(r));
                try
                {
                    Await.until("the hung agent is taken out", () -> hung.stops.get() == 1);
                }
                catch (final InterruptedException e)
                {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted", e);
                }
            });
            assertThat(crashed[0]).contains("agent 'lonely' of type 'coder' crashed", "it is not restarted",
                "wait until an agent of type 'coder' is added", "agentFactory(...)").doesNotContain("restarting it in");
            assertThat(d.restarts()).isZero();
            assertThat(waiting).as("its retry waits for an agent of the type: none comes back").isNotDone();
        }
        finally
        {
            d.shutdownNow();
            assertThat(d.awaitTermination(Duration.ofSeconds(5))).isTrue();
        }
    }
}
