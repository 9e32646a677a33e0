package dev.ringmaster.plugins.routing;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.dispatch.RoutingProbe;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.plugins.routing.index.ScoredStrategy;
import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.Candidates;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.TaskView;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A third-party {@link ScoredStrategy} whose score is NaN for some agents (a 0 / 0 in its formula): the index ranks
 * those agents last, as if their score were the lowest, and keeps working through assignments and releases, with heaps
 * and with one bucket per score, instead of losing agents or failing the strategy.
 */
class NaNScoreTest
{
    private static final int AGENTS = 100;
    private static final int CAPACITY = 2;

    /** Least loaded, but NaN for every tenth agent; heaps. */
    static class SometimesNaN extends ScoredStrategy
    {
        @Override
        public String name()
        {
            return "sometimes-nan";
        }

        @Override
        public int select(final TaskView task, final Candidates candidates, final RoutingDecision decision)
        {
            throw new UnsupportedOperationException("routed by the pool (version 2) in this test");
        }

        @Override
        protected boolean skillIndependentScores()
        {
            return true;
        }

        @Override
        protected double indexScore(final AgentView agent, final long requiredSkills)
        {
            return agent.id().endsWith("0") ? Double.NaN : -(double)agent.inFlight();
        }
    }

    /** The same with one bucket per score. */
    static final class SometimesNaNBuckets extends SometimesNaN
    {
        @Override
        protected boolean discreteScores()
        {
            return true;
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void agentsScoredNaNAreRankedLastAndEveryAgentStaysReachable(final boolean buckets)
    {
        final Dispatcher.Builder b = Dispatcher.builder().prefetch(0)
            .strategy(buckets ? new SometimesNaNBuckets() : new SometimesNaN());
        for (int i = 0; i < AGENTS; i++)
        {
            b.agent(AgentSpec.builder("agent-" + i, "coder").capacity(CAPACITY).build(),
                (task, completion, telemetry) -> completion.succeed("never runs"));
        }
        final RoutingProbe probe = RoutingProbe.of(b);
        for (int round = 0; round < 3; round++)
        {
            final List<AgentView> chosen = new ArrayList<>();
            final List<Task> tasks = new ArrayList<>();
            // every slot of the agents with a number first, then the NaN agents' slots, then nobody
            for (int i = 0; i < AGENTS * CAPACITY; i++)
            {
                final Task task = Task.builder("coder").build();
                final AgentView agent = probe.route(task);
                assertThat(agent).as("round %d, task %d of %d slots", round, i, AGENTS * CAPACITY).isNotNull();
                final boolean nanAgent = agent.id().endsWith("0");
                assertThat(nanAgent).as("round %d, task %d went to %s", round, i, agent.id())
                    .isEqualTo(i >= AGENTS * CAPACITY * 9 / 10);
                chosen.add(agent);
                tasks.add(task);
            }
            assertThat(probe.route(Task.builder("coder").build())).as("every slot taken").isNull();
            for (int i = 0; i < chosen.size(); i++)
            {
                probe.release(chosen.get(i), tasks.get(i));
            }
        }
    }
}
