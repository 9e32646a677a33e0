package com.example.ringmaster;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.dispatch.SubmitStatus;
import dev.ringmaster.dispatch.TaskResult;
import dev.ringmaster.dispatch.TerminalState;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.plugin.LoadedPlugin;
import dev.ringmaster.plugin.PluginKind;
import dev.ringmaster.plugin.PluginProblem;
import dev.ringmaster.plugin.PluginRegistry;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.DispatchListener;
import dev.ringmaster.spi.RoutingStrategy;
import dev.ringmaster.spi.TaskView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The example plugin as a host sees it: a jar, built here from target/classes (the module's own jar only exists after
 * the test phase), dropped in a plugins directory, found by name and dispatched through; next to it, every kind of bad
 * jar, each reported by jar and name while the good one still loads.
 *
 * <p>The module's classes are kept off the test class path (see the pom), so the only way to the strategy is the jar.
 */
class ExamplePluginJarTest
{
    private static final String STRATEGY = "budget-first";
    private static final String PROVIDER = "com.example.ringmaster.BudgetFirstStrategy$Provider";
    private static final String SERVICES = PluginKind.ROUTING_STRATEGY.servicesFile();
    private static final ClassLoader HOST = Dispatcher.class.getClassLoader();

    @TempDir
    Path plugins;

    @Test
    void theStrategyIsOnlyReachableThroughTheJar() throws Exception
    {
        assertThatThrownBy(() -> Class.forName(PROVIDER, false, HOST))
            .as("the host's class path does not see the plugin").isInstanceOf(ClassNotFoundException.class);
        final Path jar = PluginJars.exampleJar(plugins.resolve("ringmaster-example-plugin.jar"));

        try (PluginRegistry registry = PluginRegistry.load(plugins, HOST))
        {
            assertThat(registry.report().problems()).isEmpty();
            final LoadedPlugin plugin = registry.report().loaded(PluginKind.ROUTING_STRATEGY).stream()
                .filter(p -> p.name().equals(STRATEGY)).findFirst().orElseThrow();
            assertThat(plugin.origin()).isEqualTo(jar.toString());
            assertThat(plugin.description()).contains("O(n)");
            final RoutingStrategy strategy = registry.createStrategy(STRATEGY);
            assertThat(strategy.getClass().getClassLoader()).as("defined by the jar's own loader").isNotSameAs(HOST);
            assertThat(strategy.getClass().getClassLoader().getParent()).isSameAs(HOST);
            assertThat(registry.strategies()).as("the built-ins still load from the class path")
                .containsKeys("round-robin", "least-connections", STRATEGY);
        }
    }

    @Test
    void aDispatcherRoutesThroughTheStrategyByName() throws Exception
    {
        PluginJars.exampleJar(plugins.resolve("ringmaster-example-plugin.jar"));
        final Terminals terminals = new Terminals();
        final Dispatcher dispatcher = Dispatcher.builder()
            .agent(AgentSpec.builder("thrifty", "llm").capacity(4).tokenBudget(1_000).build(), spend(10))
            .agent(AgentSpec.builder("rich", "llm").capacity(4).tokenBudget(1_000_000).build(), spend(10))
            .agent(AgentSpec.builder("middle", "llm").capacity(4).tokenBudget(50_000).build(), spend(10))
            .pluginDirectory(plugins)
            .strategy(STRATEGY)
            .listener(terminals)
            .build()
            .start();
        try
        {
            assertThat(dispatcher.strategy()).isEqualTo(STRATEGY);
            // one at a time, nothing is ever full or stolen, so every placement is the strategy's own choice
            for (int i = 0; i < 20; i++)
            {
                final TaskResult one = dispatcher.submitAsync(Task.builder("llm").costTokens(100).build())
                    .get(10, TimeUnit.SECONDS);
                assertThat(one.state()).isEqualTo(TerminalState.COMPLETED);
                assertThat(one.agentId()).as("the agent with the most budget left").isEqualTo("rich");
            }

            // under load, full agents are skipped and idle ones steal: what matters here is that nothing is lost
            final int tasks = 5_000;
            for (int i = 0; i < tasks; i++)
            {
                assertThat(dispatcher.submit(Task.builder("llm").costTokens(100).build(), Duration.ofSeconds(10)))
                    .isEqualTo(SubmitStatus.ACCEPTED);
            }
            assertThat(dispatcher.drain(Duration.ofSeconds(60))).as("drained; %s", dispatcher.describe()).isTrue();
            assertThat(terminals.byTask).hasSize(tasks + 20);
            assertThat(terminals.byTask.values()).allMatch(n -> n.get() == 1);
            assertThat(terminals.completed.get()).as("nothing lost").isEqualTo(tasks + 20);
            assertThat(dispatcher.outstanding()).isZero();
        }
        finally
        {
            dispatcher.close();
        }
    }

    @Test
    void badJarsAreReportedByJarAndNameAndTheGoodOneStillLoads() throws Exception
    {
        final Path good = PluginJars.exampleJar(plugins.resolve("ringmaster-example-plugin.jar"));
        Files.write(plugins.resolve("x.jar"), "definitely not a zip".getBytes(StandardCharsets.UTF_8));
        PluginJars.jar(plugins.resolve("missing-class.jar"), Map.of(SERVICES, "com.acme.GoneProvider\n"));
        PluginJars.jar(plugins.resolve("no-provider.jar"), Map.of("README.txt", "a library, not a plugin"));
        PluginJars.jar(plugins.resolve("impostor.jar"), SERVICES, List.of(RoundRobinImpostor.class));
        Files.copy(good, plugins.resolve("zz-second-copy.jar"));

        try (PluginRegistry registry = PluginRegistry.load(plugins, HOST))
        {
            final List<PluginProblem> problems = registry.report().problems();
            assertThat(problems).extracting(PluginProblem::jar)
                .containsExactlyInAnyOrder("x.jar", "missing-class.jar", "no-provider.jar", "impostor.jar",
                    "zz-second-copy.jar");
            assertThat(registry.report().problemsOf("x.jar")).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("not a readable jar"));
            assertThat(registry.report().problemsOf("missing-class.jar")).singleElement().satisfies(p ->
            {
                assertThat(p.name()).isEqualTo("com.acme.GoneProvider");
                assertThat(p.message()).contains("neither in the jar nor on the classpath");
            });
            assertThat(registry.report().problemsOf("no-provider.jar")).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("no plugin in it"));
            assertThat(registry.report().problemsOf("impostor.jar")).singleElement().satisfies(p ->
            {
                assertThat(p.name()).isEqualTo("round-robin");
                assertThat(p.message()).contains("already taken by").contains("from classpath");
            });
            assertThat(registry.report().problemsOf("zz-second-copy.jar")).singleElement().satisfies(p ->
            {
                assertThat(p.name()).isEqualTo(STRATEGY);
                assertThat(p.message()).contains("from " + good);
            });

            assertThat(registry.report().loaded()).filteredOn(p -> p.name().equals(STRATEGY)).singleElement()
                .extracting(LoadedPlugin::origin).isEqualTo(good.toString());
            assertThat(registry.report().loaded()).filteredOn(p -> p.name().equals("round-robin")).singleElement()
                .extracting(LoadedPlugin::origin).isEqualTo(LoadedPlugin.CLASSPATH);
            assertThat(registry.createStrategy(STRATEGY).name()).isEqualTo(STRATEGY);
        }
    }

    private static AgentAdapter spend(final long tokens)
    {
        return (task, completion, telemetry) -> completion.succeed(task.task().id(), tokens, Double.NaN);
    }

    /** Counts terminal events per task on the router thread. */
    private static final class Terminals implements DispatchListener
    {
        final Map<Long, AtomicInteger> byTask = new ConcurrentHashMap<>();
        final AtomicInteger completed = new AtomicInteger();

        private void terminal(final TaskView task)
        {
            byTask.computeIfAbsent(task.task().id(), k -> new AtomicInteger()).incrementAndGet();
        }

        @Override
        public void onCompleted(final TaskView task, final AgentView agent, final long tokensUsed, final long nanos)
        {
            completed.incrementAndGet();
            terminal(task);
        }

        @Override
        public void onExpired(final TaskView task, final long nanos)
        {
            terminal(task);
        }

        @Override
        public void onDeadLettered(final TaskView task, final String reason, final long nanos)
        {
            terminal(task);
        }

        @Override
        public void onCancelled(final TaskView task, final long nanos)
        {
            terminal(task);
        }
    }
}
