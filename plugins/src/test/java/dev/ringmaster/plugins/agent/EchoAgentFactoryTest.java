package dev.ringmaster.plugins.agent;

import dev.ringmaster.testing.Await;
import dev.ringmaster.autoscale.AgentFactories;
import dev.ringmaster.autoscale.Autoscaler;
import dev.ringmaster.autoscale.ScalingEvent;
import dev.ringmaster.autoscale.ScalingPolicy;
import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.dispatch.TaskResult;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.AgentFactory;
import dev.ringmaster.spi.AgentView;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The echo factory is found by name, checks its options, and its agents join a running dispatcher and answer. */
class EchoAgentFactoryTest
{
    private static final ClassLoader LOADER = EchoAgentFactoryTest.class.getClassLoader();

    @Test
    void isFoundByNameThroughServiceLoader()
    {
        assertThat(AgentFactories.available(LOADER)).containsKey(EchoAgentFactory.NAME);
        final AgentFactory factory = AgentFactories.create("echo", "coder", Map.of("capacity", "3"), LOADER);
        assertThat(factory.type()).isEqualTo("coder");
        final AgentSpec spec = factory.spec("coder-auto-1");
        assertThat(spec.id()).isEqualTo("coder-auto-1");
        assertThat(spec.type()).isEqualTo("coder");
        assertThat(spec.capacity()).isEqualTo(3);
    }

    @Test
    void refusesUnknownFactoriesAndBadOptionsByName()
    {
        assertThatThrownBy(() -> AgentFactories.create("no-such", "coder", Map.of(), LOADER))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no-such").hasMessageContaining("echo");
        assertThatThrownBy(() -> AgentFactories.create("echo", "coder", Map.of("capcity", "2"), LOADER))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("capcity").hasMessageContaining("capacity");
        assertThatThrownBy(() -> AgentFactories.create("echo", "coder", Map.of("capacity", "many"), LOADER))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive integer");
        assertThatThrownBy(() -> AgentFactories.create("echo", "coder", Map.of("capacity", "0"), LOADER))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(">= 1");
    }

    @Test
    void anAutoscalerFillsAPoolWithEchoAgentsThatAnswerWithThePayload() throws Exception
    {
        final Dispatcher dispatcher = Dispatcher.builder().strategy("least-connections")
            .agent(AgentSpec.builder("coder-0", "coder").capacity(1).build(), AgentAdapter.sync(t -> t.task().payload()))
            .build().start();
        try (Autoscaler autoscaler = Autoscaler.builder(dispatcher)
            .scale(ScalingPolicy.builder().min(3).max(4).build(),
                AgentFactories.create("echo", "coder", Map.of("capacity", "2"), LOADER))
            .build())
        {
            autoscaler.evaluate(); // below its minimum: two echo agents are requested at once
            Await.until("the two echo agents join", () -> dispatcher.agents().size() >= 3);
            assertThat(dispatcher.agents()).extracting(AgentView::id)
                .containsExactly("coder-0", "coder-auto-1", "coder-auto-2");
            autoscaler.evaluate();
            assertThat(autoscaler.history()).extracting(ScalingEvent::kind)
                .containsExactly(ScalingEvent.Kind.SCALE_UP, ScalingEvent.Kind.ADDED, ScalingEvent.Kind.ADDED);

            final List<CompletableFuture<TaskResult>> results = new ArrayList<>();
            for (int i = 0; i < 200; i++)
            {
                results.add(dispatcher.submitAsync(Task.builder("coder").payload("p" + i).build()));
            }
            for (int i = 0; i < results.size(); i++)
            {
                assertThat(results.get(i).get(10, TimeUnit.SECONDS).result()).isEqualTo("p" + i);
            }
        }
        finally
        {
            assertThat(dispatcher.drain(Duration.ofSeconds(10))).isTrue();
        }
    }
}
