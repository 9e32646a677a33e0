package dev.ringmaster.dispatch.internal;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.testing.TestStrategies;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How many worker threads a dispatcher runs as its fleet changes: one per agent up to {@code workers(n)}, for agents
 * added later as for the initial ones, never more, and an agent added later goes to the worker with fewest agents.
 */
class WorkerCountTest
{
    @Test
    void workersAreAddedWithAgentsUpToTheConfiguredNumber() throws Exception
    {
        final Engine engine = engine(3, "a0");
        try
        {
            assertThat(engine.workers).hasSize(1);
            add(engine, "a1");
            assertThat(engine.workers).hasSize(2);
            assertThat(agent(engine, "a1").workerIndex).isEqualTo(1);
            add(engine, "a2");
            add(engine, "a3");
            assertThat(engine.workers).as("at most workers(3)").hasSize(3);
            assertThat(agent(engine, "a3").workerIndex).as("in turn, as the initial fleet").isZero();
            engine.fleet.removeAgent("a2").get(5, TimeUnit.SECONDS);
            add(engine, "a4");
            assertThat(engine.workers).hasSize(3);
            assertThat(agent(engine, "a4").workerIndex).as("the worker whose agent left").isEqualTo(2);
        }
        finally
        {
            assertThat(engine.drain(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void oneWorkerStaysOneAndNoWorkerIsAddedForAnAgentThatReplacesOneThatLeft() throws Exception
    {
        final Engine single = engine(1, "a0");
        try
        {
            add(single, "a1");
            add(single, "a2");
            assertThat(single.workers).hasSize(1);
        }
        finally
        {
            assertThat(single.drain(10, TimeUnit.SECONDS)).isTrue();
        }
        final Engine replaced = engine(4, "a0");
        try
        {
            replaced.fleet.removeAgent("a0").get(5, TimeUnit.SECONDS);
            add(replaced, "b0");
            assertThat(replaced.workers).as("never more workers than agents").hasSize(1);
        }
        finally
        {
            assertThat(replaced.drain(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    private static Engine engine(final int workers, final String agentId)
    {
        final EngineConfig config = new EngineConfig();
        config.workers = workers;
        final Engine engine = new Engine(List.of(AgentSpec.builder(agentId, "coder").build()),
            List.of(AgentAdapter.sync(t -> "ok")), TestStrategies.first(), List.of(), (task, state, result, reason) -> { },
            config);
        engine.start();
        return engine;
    }

    private static void add(final Engine engine, final String agentId) throws Exception
    {
        engine.fleet.addAgent(AgentSpec.builder(agentId, "coder").build(), AgentAdapter.sync(t -> "ok"))
            .get(5, TimeUnit.SECONDS);
    }

    private static AgentState agent(final Engine engine, final String agentId)
    {
        return engine.agents().stream().filter(a -> a.id().equals(agentId)).findFirst().orElseThrow();
    }
}
