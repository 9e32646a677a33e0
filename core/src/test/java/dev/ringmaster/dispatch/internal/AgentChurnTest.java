package dev.ringmaster.dispatch.internal;

import dev.ringmaster.dispatch.TaskResult;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.testing.Await;
import dev.ringmaster.testing.TestStrategies;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Agents that leave (removed, or crashed) leave the dispatcher's agent list, which the watchdog and the sweeps walk on
 * every pass: an autoscaler or a supervisor replacing agents for months must not make each pass longer, nor keep every
 * replaced adapter reachable. Indexes are never reused.
 */
class AgentChurnTest
{
    @Test
    void removedAgentsLeaveTheAgentListAndTheirIndexesAreNotReused() throws Exception
    {
        final Engine engine = engine();
        try
        {
            int lastIndex = 0;
            for (int i = 0; i < 200; i++)
            {
                engine.fleet.addAgent(AgentSpec.builder("tmp-" + i, "coder").build(), AgentAdapter.sync(t -> "ok"))
                    .get(5, TimeUnit.SECONDS);
                final CompletableFuture<TaskResult> done = new CompletableFuture<>();
                engine.submit(Task.builder("coder").targetAgent("tmp-" + i).build(), done);
                assertThat(done.get(5, TimeUnit.SECONDS).completed()).isTrue();
                final int index = engine.fleet.removeAgent("tmp-" + i).get(5, TimeUnit.SECONDS).index();
                assertThat(index).as("a new agent's index is new").isGreaterThan(lastIndex);
                lastIndex = index;
            }
            assertThat(engine.agents).as("only the agent that stayed").hasSize(1);
            assertThat(engine.fleet.describe()).doesNotContain("tmp-");
        }
        finally
        {
            assertThat(engine.drain(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aCrashedAgentLeavesTheListOnceItsHungAttemptTimedOut() throws Exception
    {
        final Engine engine = engine();
        try
        {
            // never answers: the crash leaves its attempt running until the watchdog times it out
            engine.fleet.addAgent(AgentSpec.builder("hangs", "coder").build(), (task, completion, telemetry) -> { })
                .get(5, TimeUnit.SECONDS);
            final CompletableFuture<TaskResult> hung = new CompletableFuture<>();
            engine.submit(Task.builder("coder").targetAgent("hangs").timeout(Duration.ofMillis(300)).maxRetries(0)
                .build(), hung);
            Await.until("the attempt started", () -> engine.fleet.describe().contains("running=1"));
            assertThat(engine.fleet.crashAgent("hangs", "test").get(5, TimeUnit.SECONDS)).isTrue();
            assertThat(engine.agents).as("its attempt is still live: the watchdog needs it listed").hasSize(2);

            assertThat(hung.get(5, TimeUnit.SECONDS).completed()).isFalse();
            Await.until("the crashed agent left the list", () -> engine.agents.length == 1);
        }
        finally
        {
            assertThat(engine.drain(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    private static Engine engine()
    {
        final EngineConfig config = new EngineConfig();
        config.workers = 2;
        final Engine engine = new Engine(List.of(AgentSpec.builder("stays", "coder").build()),
            List.of(AgentAdapter.sync(t -> "ok")), TestStrategies.first(), List.of(), (task, state, result, reason) -> { },
            config);
        engine.start();
        return engine;
    }
}
