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

    @Test
    void anAgentAddedAfterARemovalDoesNotWaitBehindTheWorkerStillInsideTheRemovedAgentsHungCall() throws Exception
    {
        final java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
        final java.util.concurrent.CountDownLatch a0Inside = new java.util.concurrent.CountDownLatch(1);
        final java.util.concurrent.CountDownLatch a0Release = new java.util.concurrent.CountDownLatch(1);
        final EngineConfig config = new EngineConfig();
        config.workers = 4;
        final Engine engine = new Engine(List.of(AgentSpec.builder("a0", "coder").build()),
            List.of(AgentAdapter.sync(t ->
            {
                a0Inside.countDown();
                awaitQuietly(a0Release); // a long call of the agent that stays
                return "a0";
            })), TestStrategies.first(), List.of(), (task, state, result, reason) -> { }, config);
        engine.start();
        try
        {
            // a call that outlives its timeout and ignores stop(): the removal does not wait for it, its worker does
            engine.fleet.addAgent(AgentSpec.builder("hangs", "coder").build(), AgentAdapter.sync(t ->
            {
                while (never.getCount() > 0)
                {
                    java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L); // deaf to interrupts and stop()
                }
                return "late";
            })).get(5, TimeUnit.SECONDS);
            final java.util.concurrent.CompletableFuture<dev.ringmaster.dispatch.TaskResult> hung =
                new java.util.concurrent.CompletableFuture<>();
            engine.submit(dev.ringmaster.model.Task.builder("coder").targetAgent("hangs")
                .timeout(java.time.Duration.ofMillis(50)).maxRetries(0).build(), hung);
            assertThat(hung.get(5, TimeUnit.SECONDS).completed()).isFalse();
            engine.fleet.removeAgent("hangs").get(5, TimeUnit.SECONDS);

            engine.submit(dev.ringmaster.model.Task.builder("coder").targetAgent("a0").build(),
                new java.util.concurrent.CompletableFuture<>());
            assertThat(a0Inside.await(5, TimeUnit.SECONDS)).isTrue();
            add(engine, "a2");
            final java.util.concurrent.CompletableFuture<dev.ringmaster.dispatch.TaskResult> onA2 =
                new java.util.concurrent.CompletableFuture<>();
            engine.submit(dev.ringmaster.model.Task.builder("coder").targetAgent("a2").build(), onA2);
            assertThat(onA2.get(5, TimeUnit.SECONDS).completed())
                .as("a2 runs while one worker is inside the hung call and the other inside a0's").isTrue();
        }
        finally
        {
            never.countDown();
            a0Release.countDown();
            assertThat(engine.drain(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    private static void awaitQuietly(final java.util.concurrent.CountDownLatch latch)
    {
        try
        {
            latch.await(30, TimeUnit.SECONDS);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
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
