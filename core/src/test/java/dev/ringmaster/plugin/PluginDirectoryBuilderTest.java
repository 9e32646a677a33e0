package dev.ringmaster.plugin;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.dispatch.Supervision;
import dev.ringmaster.dispatch.TaskResult;
import dev.ringmaster.dispatch.TerminalState;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.testing.TestAdapters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.ringmaster.plugin.PluginKind.AGENT_FACTORY;
import static dev.ringmaster.plugin.PluginKind.ROUTING_STRATEGY;
import static dev.ringmaster.plugin.TestJars.jar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A plugin directory given to the dispatcher's builder: a strategy and an agent factory found by name in its jars, and
 * the names listed for one it does not hold. Single-threaded test.
 */
class PluginDirectoryBuilderTest
{
    private static final String LAST_FREE = TestProviders.LastFree.class.getName();
    private static final String SECOND = TestProviders.Second.class.getName();

    @TempDir
    Path dir;

    @Test
    void theDispatcherBuilderSelectsAStrategyFromAJar() throws Exception
    {
        Files.write(dir.resolve("broken.jar"), new byte[] {0x50, 0x4b});
        jar().services(ROUTING_STRATEGY, LAST_FREE).writeTo(dir.resolve("good.jar"));

        final Dispatcher dispatcher = Dispatcher.builder()
            .agent(AgentSpec.builder("a1", "coder").capacity(4).build(), AgentAdapter.sync(t -> "a1"))
            .agent(AgentSpec.builder("a2", "coder").capacity(4).build(), AgentAdapter.sync(t -> "a2"))
            .pluginDirectory(dir)
            .strategy("last-free")
            .build()
            .start();
        try
        {
            final TaskResult result = dispatcher.submitAsync(Task.builder("coder").build()).get(10, TimeUnit.SECONDS);
            assertThat(result.state()).isEqualTo(TerminalState.COMPLETED);
            assertThat(result.agentId()).as("last-free picks the last candidate").isEqualTo("a2");
            assertThat(dispatcher.strategy()).isEqualTo("last-free");
        }
        finally
        {
            assertThat(dispatcher.drain(Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void theDispatcherBuilderPicksAnAgentFactoryByNameAndListsTheKnownOnesForAnUnknownName() throws Exception
    {
        jar().services(AGENT_FACTORY, TestProviders.EchoFactory.class.getName()).writeTo(dir.resolve("echo.jar"));

        assertThatThrownBy(() -> Dispatcher.builder()
            .agent(AgentSpec.builder("a1", "coder").build(), AgentAdapter.sync(t -> "a1"))
            .strategy(new TestProviders.LastFree().create())
            .agentFactory("nope", "coder", Map.of())
            .pluginDirectory(dir)
            .build())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("unknown agent factory 'nope'; available: [test-echo]");

        // the crashed agent is restarted through the factory found by name: the echo plugin answers with the payload
        final Dispatcher dispatcher = Dispatcher.builder()
            .agent(AgentSpec.builder("broken", "coder").capacity(2).build(),
                TestAdapters.failingToStart("cannot load the model"))
            .strategy(new TestProviders.LastFree().create())
            .supervision(new Supervision(3, Duration.ofMillis(10), Duration.ofMillis(100)))
            .pluginDirectory(dir)
            .agentFactory("test-echo", "coder", Map.of())
            .build().start();
        try
        {
            final TaskResult result = dispatcher.submitAsync(Task.builder("coder").payload("hello").build())
                .get(10, TimeUnit.SECONDS);
            assertThat(result.state()).isEqualTo(TerminalState.COMPLETED);
            assertThat(result.result()).isEqualTo("hello");
            assertThat(dispatcher.restarts()).isEqualTo(1);
        }
        finally
        {
            assertThat(dispatcher.drain(Duration.ofSeconds(10))).isTrue();
        }
    }
}
