package dev.ringmaster.dispatch;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.AgentFactory;
import dev.ringmaster.spi.AgentTelemetry;
import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.Completion;
import dev.ringmaster.spi.TaskView;
import dev.ringmaster.testing.Await;
import dev.ringmaster.testing.TestStrategies;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link AgentAdapter#start()} and {@link AgentAdapter#stop()} are called as their javadoc says, once each, for agents
 * registered at build time and agents added or removed while the dispatcher runs, and whatever they throw
 * ({@code Error}s included) is contained where it happens.
 */
class AdapterLifecycleTest
{
    /** Records its lifecycle calls in order; its start throws what {@code onStart} supplies, if anything. */
    private static final class Recording implements AgentAdapter
    {
        final List<String> calls = new CopyOnWriteArrayList<>();
        private final Supplier<Throwable> onStart;
        private final Throwable onStop;

        Recording(final Supplier<Throwable> onStart, final Throwable onStop)
        {
            this.onStart = onStart;
            this.onStop = onStop;
        }

        Recording()
        {
            this(() -> null, null);
        }

        @Override
        public void execute(final TaskView task, final Completion completion, final AgentTelemetry telemetry)
        {
            calls.add("execute");
            completion.succeed("done");
        }

        @Override
        public void start() throws Exception
        {
            calls.add("start");
            final Throwable t = onStart.get();
            if (t instanceof Error e)
            {
                throw e;
            }
            if (t instanceof Exception e)
            {
                throw e;
            }
        }

        @Override
        public void stop()
        {
            calls.add("stop");
            if (onStop instanceof Error e)
            {
                throw e;
            }
            if (onStop instanceof RuntimeException e)
            {
                throw e;
            }
        }
    }

    private static AgentSpec coder(final String id)
    {
        return AgentSpec.builder(id, "coder").capacity(1).build();
    }

    @Test
    void anErrorFromStartIsReportedAsAFailedStartAndTheAgentsStartedBeforeAreStopped()
    {
        final Recording first = new Recording();
        final Recording broken = new Recording(() -> new UnsatisfiedLinkError("no libmodel in java.library.path"), null);
        final Dispatcher d = Dispatcher.builder()
            .agent(coder("c1"), first)
            .agent(coder("c2"), broken)
            .strategy(TestStrategies.first())
            .build();

        assertThatThrownBy(d::start)
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("agent 'c2' failed to start")
            .hasMessageContaining("no libmodel")
            .hasMessageContaining("supervision")
            .hasCauseInstanceOf(UnsatisfiedLinkError.class);
        assertThat(first.calls).containsExactly("start", "stop");
    }

    @Test
    void withSupervisionAnErrorFromStartCrashesTheAgentAndItsFactoryBringsItBack() throws Exception
    {
        final AtomicInteger made = new AtomicInteger();
        final AgentFactory factory = new AgentFactory()
        {
            @Override
            public String type()
            {
                return "coder";
            }

            @Override
            public AgentSpec spec(final String id)
            {
                return coder(id);
            }

            @Override
            public AgentAdapter create(final AgentSpec spec)
            {
                // the first replacement fails to come up too, with an Error: supervision must try again
                return made.incrementAndGet() == 1
                    ? new Recording(() -> new ExceptionInInitializerError("model class failed to load"), null)
                    : new Recording();
            }
        };
        final Dispatcher d = Dispatcher.builder()
            .agent(coder("c1"), new Recording(() -> new AssertionError("bad config"), null))
            .supervision(new Supervision(3, Duration.ofMillis(10), Duration.ofMillis(40)))
            .agentFactory(factory)
            .strategy(TestStrategies.first())
            .build().start();

        final TaskResult result = d.submitAsync(Task.builder("coder").build()).get(10, TimeUnit.SECONDS);

        assertThat(result.state()).isEqualTo(TerminalState.COMPLETED);
        assertThat(made.get()).isEqualTo(2);
        assertThat(d.restarts()).isEqualTo(1);
        assertThat(d.drain(Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void anAgentAddedWhileRunningIsStartedBeforeItsFirstTaskAndStoppedWhenRemoved() throws Exception
    {
        final Recording added = new Recording();
        final Dispatcher d = Dispatcher.builder()
            .agent(coder("c1"), new Recording())
            .strategy(TestStrategies.first())
            .build().start();

        d.addAgent(coder("c2"), added).get(10, TimeUnit.SECONDS);
        final TaskResult result = d.submitAsync(Task.builder("coder").targetAgent("c2").build()).get(10, TimeUnit.SECONDS);
        assertThat(result.agentId()).isEqualTo("c2");
        d.removeAgent("c2").get(10, TimeUnit.SECONDS);

        assertThat(added.calls).containsExactly("start", "execute", "stop");
        assertThat(d.drain(Duration.ofSeconds(10))).isTrue();
        assertThat(added.calls).as("stopped once, not again at the end").containsExactly("start", "execute", "stop");
    }

    @Test
    void anAgentWhoseStartFailsIsNotAddedAndTheFutureSaysWhy() throws Exception
    {
        final Recording broken = new Recording(() -> new NoClassDefFoundError("com/example/ModelClient"), null);
        final Dispatcher d = Dispatcher.builder()
            .agent(coder("c1"), new Recording())
            .strategy(TestStrategies.first())
            .build().start();

        assertThatThrownBy(() -> d.addAgent(coder("c2"), broken).get(10, TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class)
            .cause()
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("agent 'c2' failed to start")
            .hasMessageContaining("ModelClient");
        assertThat(d.agents()).extracting(AgentView::id).containsExactly("c1");
        assertThat(broken.calls).containsExactly("start");
        assertThat(d.drain(Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void anErrorFromStopDoesNotKeepTheOtherAgentsFromStoppingNorFailTheDrain() throws Exception
    {
        final Recording throwing = new Recording(() -> null, new AssertionError("stop failed"));
        final Recording other = new Recording();
        final Dispatcher d = Dispatcher.builder()
            .agent(coder("c1"), throwing)
            .agent(coder("c2"), other)
            .strategy(TestStrategies.first())
            .build().start();

        assertThat(d.drain(Duration.ofSeconds(10))).isTrue();

        assertThat(throwing.calls).containsExactly("start", "stop");
        assertThat(other.calls).containsExactly("start", "stop");
        Await.until("terminated", () -> d.state() == DispatcherState.TERMINATED);
    }

    @Test
    void anAgentCrashedWithoutSupervisionIsStopped() throws Exception
    {
        final Recording crashed = new Recording();
        final Dispatcher d = Dispatcher.builder()
            .agent(coder("c1"), new Recording())
            .agent(coder("c2"), crashed)
            .strategy(TestStrategies.first())
            .build().start();

        assertThat(d.crashAgent("c2", "host gone").get(10, TimeUnit.SECONDS)).isTrue();

        Await.until("the crashed agent's adapter stopped", () -> crashed.calls.contains("stop"));
        assertThat(d.drain(Duration.ofSeconds(10))).isTrue();
        assertThat(crashed.calls).containsExactly("start", "stop");
    }
}
