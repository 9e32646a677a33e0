package dev.ringmaster.autoscale;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.testing.NumberedFactory;
import dev.ringmaster.testing.StderrLogs;
import dev.ringmaster.testing.TestStrategies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scaling a type the dispatcher does not know (no agent, no factory of it): its tasks are refused as
 * UNKNOWN_AGENT_TYPE, so with a minimum of 0 the autoscaler never sees demand and never adds an agent. The builder
 * says so, and how to fix it; with the factory registered on the dispatcher too, it says nothing.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AutoscalerUnknownTypeTest
{
    @Test
    void aTypeTheDispatcherRefusesIsNamedWithTheFix()
    {
        final NumberedFactory coders = NumberedFactory.holding(0);
        final ScalingPolicy fromZero = ScalingPolicy.builder().min(0).max(2).build();

        try (Dispatcher unknown = reviewers().build().start())
        {
            final String warned = StderrLogs.of(() -> Autoscaler.builder(unknown).scale(fromZero, coders).build().close());
            assertThat(warned).contains("knows no agent type 'coder'", "UNKNOWN_AGENT_TYPE",
                "with a minimum of 0 no agent is ever added", "Dispatcher.builder().agentFactory(...)");
        }
        try (Dispatcher known = reviewers().agentFactory(coders).build().start())
        {
            assertThat(known.types()).containsKey("coder");
            final String quiet = StderrLogs.of(() -> Autoscaler.builder(known).scale(fromZero, coders).build().close());
            assertThat(quiet).doesNotContain("knows no agent type");
        }
    }

    private static Dispatcher.Builder reviewers()
    {
        return Dispatcher.builder().strategy(TestStrategies.leastLoaded())
            .agent(AgentSpec.builder("reviewer-0", "reviewer").build(), AgentAdapter.sync(t -> "reviewed"));
    }
}
