package dev.ringmaster.predict;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.Candidates;
import dev.ringmaster.spi.DispatchListener;
import dev.ringmaster.spi.Provenance;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.RoutingStrategy;
import dev.ringmaster.spi.TaskView;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The provenance of an assignment made with pre-routing on top names the wrapped strategy's decision rule version,
 * the one {@code ringmaster audit --explain} shows, not the SPI's default of 1.
 */
class PredictiveProvenanceTest
{
    /** Always the first candidate, under its third decision rule. */
    private static final RoutingStrategy FIRST_V3 = new RoutingStrategy()
    {
        @Override
        public String name()
        {
            return "first";
        }

        @Override
        public int version()
        {
            return 3;
        }

        @Override
        public int select(final TaskView task, final Candidates candidates, final RoutingDecision decision)
        {
            return 0;
        }
    };

    @Test
    void anAssignmentWithPreRoutingCarriesTheWrappedStrategysRuleVersion() throws Exception
    {
        final List<String> seen = new CopyOnWriteArrayList<>();
        final DispatchListener listener = new DispatchListener()
        {
            @Override
            public void onAcceptedAndAssigned(final TaskView task, final long acceptedNanos, final AgentView agent,
                                              final Provenance why, final long assignedNanos)
            {
                onAssigned(task, agent, why, assignedNanos);
            }

            @Override
            public void onAssigned(final TaskView task, final AgentView agent, final Provenance why, final long nanos)
            {
                seen.add(why.strategy() + " v" + why.strategyVersion());
            }
        };
        try (LivePreRouting pre = new LivePreRouting(new PatternPredictor()))
        {
            final Dispatcher d = Dispatcher.builder()
                .agent(AgentSpec.builder("a", "worker").capacity(2).build(), (task, c, tel) -> c.succeed("ok"))
                .strategy(pre.wrap(FIRST_V3))
                .listener(listener)
                .build()
                .start();
            try
            {
                assertThat(d.submitAsync(Task.builder("worker").affinityKey("repo-1").build())
                    .get(10, TimeUnit.SECONDS).completed()).isTrue();
                assertThat(d.drain(Duration.ofSeconds(10))).isTrue();
            }
            finally
            {
                d.close();
            }
        }
        assertThat(seen).containsExactly("first+predictive v3");
    }
}
