package dev.ringmaster.dispatch;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.Completion;
import dev.ringmaster.testing.Await;
import dev.ringmaster.testing.TestStrategies;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link Dispatcher#crashAgent}: an agent known dead (a remote host gone silent) leaves routing at once, without
 * waiting for what it runs; the attempts it held, once failed, are retried on the agents that remain.
 */
class CrashAgentTest
{
    @Test
    void aCrashedAgentLeavesAtOnceAndItsFailedAttemptsAreRetriedElsewhere() throws Exception
    {
        final LinkedBlockingQueue<Completion> onDead = new LinkedBlockingQueue<>();
        final AgentAdapter dead = (task, completion, telemetry) -> onDead.add(completion);
        final Gate alive = new Gate();
        final Dispatcher d = Dispatcher.builder().strategy(TestStrategies.leastLoaded())
            .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(5))
            .agent(AgentSpec.builder("dead", "t").capacity(1).build(), dead)
            .agent(AgentSpec.builder("alive", "t").capacity(1).build(), alive)
            .build().start();
        try
        {
            final CompletableFuture<TaskResult> first = d.submitAsync(Task.builder("t").payload(1).maxRetries(2).build());
            final CompletableFuture<TaskResult> second = d.submitAsync(Task.builder("t").payload(2).maxRetries(2).build());
            final Completion held = onDead.poll(10, TimeUnit.SECONDS);
            assertThat(held).as("an attempt on the dead agent").isNotNull();
            Await.until("the other task on the live agent", () -> alive.held() == 1);

            assertThat(d.crashAgent("dead", "host gone").get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(d.agents()).extracting(AgentView::id).containsExactly("alive");

            held.fail(new IllegalStateException("host gone")); // what the remote link does once the agent is out
            assertThat(alive.releaseOne()).isTrue();
            assertThat(alive.releaseOne()).as("the retried attempt reaches the live agent").isTrue();
            assertThat(first.get(10, TimeUnit.SECONDS).state()).isEqualTo(TerminalState.COMPLETED);
            assertThat(second.get(10, TimeUnit.SECONDS).state()).isEqualTo(TerminalState.COMPLETED);
            assertThat(onDead).isEmpty();

            assertThatThrownBy(() -> d.crashAgent("dead", "again").get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasMessageContaining("dead");
        }
        finally
        {
            alive.releaseAll();
            d.shutdownNow();
            d.awaitTermination(Duration.ofSeconds(5));
        }
    }

    /**
     * An agent being removed can still die (its host crashed, or restarted while it was drained): it is taken out at
     * once and its removal completes, so the same id can register again, and the task it held still ends once.
     */
    @Test
    void crashingAnAgentBeingRemovedTakesItOutAtOnceAndItsIdMayComeBack() throws Exception
    {
        final Gate gate = new Gate();
        final Dispatcher d = Dispatcher.builder().strategy(TestStrategies.leastLoaded())
            .agent(AgentSpec.builder("a", "t").capacity(1).build(), gate)
            .agent(AgentSpec.builder("b", "t").capacity(1).build(), new Gate())
            .build().start();
        try
        {
            final CompletableFuture<TaskResult> held = d.submitAsync(Task.builder("t").targetAgent("a").build());
            Await.until("a holds a task", () -> gate.held() == 1);
            final CompletableFuture<AgentView> removal = d.removeAgent("a"); // waits for the held task
            assertThat(d.crashAgent("a", "its host died").get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(removal.get(10, TimeUnit.SECONDS).id()).isEqualTo("a");

            d.addAgent(AgentSpec.builder("a", "t").capacity(1).build(), AgentAdapter.sync(t -> "back"))
                .get(10, TimeUnit.SECONDS);
            assertThat(d.submitAsync(Task.builder("t").targetAgent("a").build()).get(10, TimeUnit.SECONDS).result())
                .isEqualTo("back");
            gate.releaseAll();
            assertThat(held.get(10, TimeUnit.SECONDS).completed()).as("the old attempt's answer still ends it").isTrue();
            assertThat(d.drain(Duration.ofSeconds(10))).isTrue();
        }
        finally
        {
            d.shutdownNow();
            d.awaitTermination(Duration.ofSeconds(5));
        }
    }
}
