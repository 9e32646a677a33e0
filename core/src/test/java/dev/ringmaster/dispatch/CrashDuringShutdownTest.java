package dev.ringmaster.dispatch;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.AgentTelemetry;
import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.Completion;
import dev.ringmaster.spi.TaskView;
import dev.ringmaster.testing.Await;
import dev.ringmaster.testing.TestStrategies;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An agent can die while the dispatcher drains or shuts down: {@link Dispatcher#crashAgent} must still take it out, so
 * that its attempts end (retried elsewhere while draining, cancelled while stopping) and the drain or termination
 * completes; only a terminated dispatcher refuses it.
 */
class CrashDuringShutdownTest
{
    /** A remote agent: holds every attempt; its link fails them when it is stopped, or never ({@code failOnStop}). */
    private static final class Remote implements AgentAdapter
    {
        final LinkedBlockingQueue<Completion> held = new LinkedBlockingQueue<>();
        final boolean failOnStop;

        Remote(final boolean failOnStop)
        {
            this.failOnStop = failOnStop;
        }

        @Override
        public void execute(final TaskView task, final Completion completion, final AgentTelemetry telemetry)
        {
            held.add(completion);
        }

        @Override
        public void stop()
        {
            if (failOnStop)
            {
                Completion c;
                while ((c = held.poll()) != null)
                {
                    c.fail(new IllegalStateException("link closed"));
                }
            }
        }
    }

    @Test
    void anAgentThatCrashesDuringADrainHasItsAttemptsRetriedElsewhereAndTheDrainCompletes() throws Exception
    {
        final Remote dies = new Remote(true);
        final Dispatcher d = Dispatcher.builder().strategy(TestStrategies.first())
            .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(5))
            .agent(AgentSpec.builder("dies", "t").capacity(2).build(), dies)
            .agent(AgentSpec.builder("alive", "t").capacity(2).build(), AgentAdapter.sync(t -> "ok"))
            .build().start();
        try
        {
            final List<CompletableFuture<TaskResult>> results = new ArrayList<>();
            for (int i = 0; i < 2; i++)
            {
                results.add(d.submitAsync(Task.builder("t").maxRetries(2).build()));
            }
            Await.until("both attempts held by the agent that dies", () -> dies.held.size() == 2);
            final CompletableFuture<Boolean> drained = CompletableFuture.supplyAsync(() -> d.drain(Duration.ofSeconds(10)));
            Await.until("draining", () -> d.state() == DispatcherState.DRAINING);

            assertThat(d.crashAgent("dies", "host gone").get(10, TimeUnit.SECONDS)).isTrue();

            assertThat(drained.get(15, TimeUnit.SECONDS)).as(d::describe).isTrue();
            for (final CompletableFuture<TaskResult> result : results)
            {
                final TaskResult r = result.get(1, TimeUnit.SECONDS);
                assertThat(r.state()).isEqualTo(TerminalState.COMPLETED);
                assertThat(r.agentId()).isEqualTo("alive");
            }
        }
        finally
        {
            d.shutdownNow();
            d.awaitTermination(Duration.ofSeconds(5));
        }
    }

    @Test
    void anAgentThatCrashesWhileStoppingIsTakenOutAndItsAttemptsEndAtOnce() throws Exception
    {
        final Remote silent = new Remote(false); // its host is gone: nothing will ever answer, stop() included
        final Dispatcher d = Dispatcher.builder().strategy(TestStrategies.first())
            .agent(AgentSpec.builder("silent", "t").capacity(1).build(), silent)
            .agent(AgentSpec.builder("alive", "t").capacity(1).build(), AgentAdapter.sync(t -> "ok"))
            .build().start();
        final CompletableFuture<TaskResult> result = d.submitAsync(Task.builder("t").maxRetries(2).build());
        Await.until("the attempt held by the silent agent", () -> silent.held.size() == 1);
        d.shutdownNow();
        assertThat(d.state()).isEqualTo(DispatcherState.STOPPING);

        assertThat(d.crashAgent("silent", "host gone").get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(d.agents()).extracting(AgentView::id).doesNotContain("silent");
        // the agent is dead and nothing is retried while stopping: its attempt is cancelled by the crash, not after
        // shutdownNow's grace for answers (1 s after the stops)
        final TaskResult r = result.get(800, TimeUnit.MILLISECONDS);
        assertThat(r.state()).isEqualTo(TerminalState.CANCELLED);
        assertThat(r.reason()).contains("silent");
        assertThat(d.awaitTermination(Duration.ofSeconds(5))).isTrue();

        assertThatThrownBy(() -> d.crashAgent("alive", "after termination").get(5, TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class).hasMessageContaining("not running");
    }
}
