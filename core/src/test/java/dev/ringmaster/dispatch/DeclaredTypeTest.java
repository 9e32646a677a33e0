package dev.ringmaster.dispatch;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.AgentFactory;
import dev.ringmaster.testing.TestStrategies;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A type the embedder gave an agent factory but no agents yet (an autoscaler that starts at 0, serve's
 * {@code agents: 0}) is a known type from the start: its tasks are accepted and wait for its first agent, as they do
 * when a type's last agent left, instead of being refused as an unknown type.
 */
class DeclaredTypeTest
{
    @Test
    void tasksOfATypeWithAFactoryButNoAgentsWaitForItsFirstAgent() throws Exception
    {
        final AgentFactory reviewers = new AgentFactory()
        {
            @Override
            public String type()
            {
                return "reviewer";
            }

            @Override
            public AgentSpec spec(final String id)
            {
                return AgentSpec.builder(id, "reviewer").build();
            }

            @Override
            public AgentAdapter create(final AgentSpec spec)
            {
                return AgentAdapter.sync(t -> "reviewed by " + spec.id());
            }
        };
        final Dispatcher d = Dispatcher.builder()
            .agent(AgentSpec.builder("coder-1", "coder").build(), AgentAdapter.sync(t -> "ok"))
            .agentFactory(reviewers)
            .strategy(TestStrategies.first())
            .build().start();
        try
        {
            assertThat(d.types()).containsKey("reviewer");
            final CompletableFuture<TaskResult> review = d.submitAsync(Task.builder("reviewer").build());
            assertThat(review).as("accepted, waiting for an agent").isNotCompletedExceptionally();
            assertThat(d.submit(Task.builder("reviwer").build())).as("a typo is still unknown")
                .isEqualTo(SubmitStatus.UNKNOWN_AGENT_TYPE);

            d.addAgent(reviewers.spec("reviewer-1"), reviewers.create(reviewers.spec("reviewer-1"))).get(5, TimeUnit.SECONDS);
            assertThat(review.get(5, TimeUnit.SECONDS).result()).isEqualTo("reviewed by reviewer-1");
            assertThat(d.drain(Duration.ofSeconds(5))).isTrue();
        }
        finally
        {
            d.shutdownNow();
        }
    }
}
