package dev.ringmaster.plugin;

import dev.ringmaster.autoscale.AgentFactories;
import dev.ringmaster.delegation.TaskClassifiers;
import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.routing.RoutingStrategies;
import dev.ringmaster.testing.StderrLogs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static dev.ringmaster.plugin.PluginKind.AGENT_FACTORY;
import static dev.ringmaster.plugin.PluginKind.ROUTING_STRATEGY;
import static dev.ringmaster.plugin.TestJars.jar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Plugins from a directory: each jar loads in its own class loader, and every kind of bad jar is reported by jar and
 * name while the others load. The provider classes are also on the test classpath (the jar loaders' parent), so these
 * tests check the registry's bookkeeping; example-plugin's test checks true isolation with a jar nothing else sees.
 */
class PluginRegistryTest
{
    private static final String LAST_FREE = TestProviders.LastFree.class.getName();
    private static final String SECOND = TestProviders.Second.class.getName();

    @TempDir
    Path dir;

    @Test
    void loadsEveryKindFromAJarWithTheJarAsOrigin() throws IOException
    {
        final Path good = jar().services(ROUTING_STRATEGY, LAST_FREE).services(AGENT_FACTORY,
            TestProviders.EchoFactory.class.getName()).classes(TestProviders.LastFree.class,
            TestProviders.EchoFactory.class).writeTo(dir.resolve("good.jar"));

        try (PluginRegistry registry = PluginRegistry.load(dir))
        {
            assertThat(registry.report().problems()).isEmpty();
            assertThat(registry.report().loaded(ROUTING_STRATEGY)).singleElement().satisfies(p ->
            {
                assertThat(p.name()).isEqualTo("last-free");
                assertThat(p.origin()).isEqualTo(good.toString());
                assertThat(p.fromJar()).isTrue();
                assertThat(p.providerClass()).isEqualTo(LAST_FREE);
            });
            assertThat(registry.strategies()).containsOnlyKeys("last-free");
            assertThat(registry.agentFactories()).containsOnlyKeys("test-echo");
            assertThat(registry.createStrategy("last-free").name()).isEqualTo("last-free");
            assertThat(registry.openJarLoaders()).isEqualTo(1);

            // the view serves the existing lookups by name
            assertThat(RoutingStrategies.names(registry.classLoader())).containsExactly("last-free");
            assertThat(AgentFactories.create("test-echo", "coder", Map.of(), registry.classLoader()).type())
                .isEqualTo("coder");
        }
    }

    @Test
    void classpathPluginsComeFirstAndSayClasspath() throws IOException
    {
        try (URLClassLoader classpath = classpathWith(LAST_FREE); PluginRegistry registry = PluginRegistry.load(dir, classpath))
        {
            assertThat(registry.report().loaded(ROUTING_STRATEGY)).singleElement().satisfies(p ->
            {
                assertThat(p.origin()).isEqualTo(LoadedPlugin.CLASSPATH);
                assertThat(p.fromJar()).isFalse();
            });
            assertThat(registry.report().problems()).isEmpty();
            assertThat(registry.openJarLoaders()).isZero();
        }
    }

    @Test
    void garbageBytesAreReportedAndTheGoodJarStillLoads() throws IOException
    {
        Files.write(dir.resolve("x.jar"), "this is not a zip".getBytes(StandardCharsets.UTF_8));
        jar().services(ROUTING_STRATEGY, LAST_FREE).writeTo(dir.resolve("y.jar"));

        try (PluginRegistry registry = PluginRegistry.load(dir))
        {
            assertThat(registry.report().problems()).singleElement().satisfies(p ->
            {
                assertThat(p.jar()).isEqualTo("x.jar");
                assertThat(p.name()).isEmpty();
                assertThat(p.message()).contains("not a readable jar").contains("remove it from " + dir);
            });
            assertThat(registry.strategies()).containsOnlyKeys("last-free");
        }
    }

    @Test
    void aMissingProviderClassIsReportedByClassName() throws IOException
    {
        jar().services(ROUTING_STRATEGY, "com.acme.Missing", SECOND).writeTo(dir.resolve("half.jar"));

        try (PluginRegistry registry = PluginRegistry.load(dir))
        {
            assertThat(registry.report().problems()).singleElement().satisfies(p ->
            {
                assertThat(p.jar()).isEqualTo("half.jar");
                assertThat(p.name()).isEqualTo("com.acme.Missing");
                assertThat(p.message()).contains("neither in the jar nor on the classpath").contains("remove the line");
            });
            assertThat(registry.strategies()).as("the jar's other provider still loads").containsOnlyKeys("second");
        }
    }

    @Test
    void aJarWithoutProvidersIsReportedAndItsLoaderClosed() throws IOException
    {
        jar().entry("README.txt", "nothing to see").writeTo(dir.resolve("empty.jar"));

        try (PluginRegistry registry = PluginRegistry.load(dir))
        {
            assertThat(registry.report().problems()).singleElement().satisfies(p ->
            {
                assertThat(p.jar()).isEqualTo("empty.jar");
                assertThat(p.message()).contains("no plugin in it").contains(ROUTING_STRATEGY.servicesFile());
            });
            assertThat(registry.openJarLoaders()).isZero();
        }
    }

    @Test
    void providersThatFailToInstantiateOrAreMisdeclaredAreReported() throws IOException
    {
        jar().services(ROUTING_STRATEGY, TestProviders.Exploding.class.getName(),
            TestProviders.BlankName.class.getName(), TestProviders.NotAProvider.class.getName(),
            TestProviders.StaticInitFails.class.getName())
            .writeTo(dir.resolve("bad.jar"));
        jar().services(ROUTING_STRATEGY, LAST_FREE).writeTo(dir.resolve("good.jar"));

        try (PluginRegistry registry = PluginRegistry.load(dir))
        {
            assertThat(registry.report().problemsOf("bad.jar")).extracting(PluginProblem::message).satisfiesExactly(
                m -> assertThat(m).contains("failed to instantiate").contains("boom in the constructor"),
                m -> assertThat(m).contains("name() returned ' '"),
                m -> assertThat(m).contains("does not implement " + ROUTING_STRATEGY.service().getName()),
                m -> assertThat(m).contains("failed to instantiate").contains("boom in the static initializer"));
            assertThat(registry.strategies()).containsOnlyKeys("last-free");
            assertThat(registry.openJarLoaders()).as("bad.jar contributed nothing").isEqualTo(1);
        }
    }

    @Test
    void aProviderThatThrowsAnErrorIsReportedOrBrokenAndTheOthersStillLoad() throws IOException
    {
        final Path jar = jar().services(ROUTING_STRATEGY, TestProviders.NameAsserts.class.getName(),
            TestProviders.CreateAsserts.class.getName(), LAST_FREE).writeTo(dir.resolve("asserts.jar"));

        try (PluginRegistry registry = PluginRegistry.load(dir))
        {
            assertThat(registry.report().problemsOf("asserts.jar")).extracting(PluginProblem::message)
                .singleElement().satisfies(m -> assertThat(m).contains("name() or description() threw")
                    .contains("assert in name"));
            assertThat(registry.strategies()).containsOnlyKeys("create-asserts", "last-free");
            assertThatThrownBy(() -> registry.createStrategy("create-asserts"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the routing strategy 'create-asserts'").hasMessageContaining("assert in create")
                .hasMessageContaining("rebuild " + jar);
            final LoadedPlugin broken = registry.report().loaded(ROUTING_STRATEGY).stream()
                .filter(p -> p.name().equals("create-asserts")).findFirst().orElseThrow();
            assertThat(registry.tryCreating(broken)).hasValueSatisfying(why -> assertThat(why).contains("assert in create"));
        }
        try (URLClassLoader loader = classpathWith(TestProviders.NameAsserts.class.getName(), LAST_FREE))
        {
            final Map<String, ?>[] found = new Map[1];
            final String logs = StderrLogs.of(() -> found[0] = RoutingStrategies.available(loader));
            assertThat(found[0]).containsOnlyKeys("last-free");
            assertThat(logs).contains(TestProviders.NameAsserts.class.getName()).contains("assert in name");
        }
    }

    @Test
    void aStrategyWhoseStaticInitializerThrowsIsBrokenWithTheCause() throws IOException
    {
        // a user's trial: "its create() threw java.lang.ExceptionInInitializerError; fix its create()", no cause
        final Path jar = jar().services(ROUTING_STRATEGY, TestProviders.CreateStaticInitFails.class.getName())
            .writeTo(dir.resolve("static.jar"));
        try (PluginRegistry registry = PluginRegistry.load(dir))
        {
            assertThatThrownBy(() -> registry.createStrategy("create-static-init-fails"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("threw java.lang.ExceptionInInitializerError from a static initializer: " +
                    "java.lang.NumberFormatException: For input string: \"ten\"")
                .hasMessageContaining("fix the static initializer of the classes create() loads and rebuild " + jar);
        }
    }

    /** Kotlin, Scala or Groovy providers (or a sneaky throw) can throw checked exceptions javac never sees. */
    @Test
    void aProviderThatThrowsACheckedExceptionIsReportedOrBrokenAndTheOthersStillLoad() throws IOException
    {
        final Path jar = jar().services(ROUTING_STRATEGY, TestProviders.NameThrowsChecked.class.getName(),
            TestProviders.CreateThrowsChecked.class.getName(), LAST_FREE).writeTo(dir.resolve("checked.jar"));
        jar().services(ROUTING_STRATEGY, SECOND).writeTo(dir.resolve("other.jar"));

        try (PluginRegistry registry = PluginRegistry.load(dir))
        {
            assertThat(registry.report().problemsOf("checked.jar")).extracting(PluginProblem::message)
                .singleElement().satisfies(m -> assertThat(m).contains(TestProviders.NameThrowsChecked.class.getName())
                    .contains("name() or description() threw java.io.IOException: checked in name")
                    .contains("make them return constants"));
            assertThat(registry.strategies()).containsOnlyKeys("create-throws-checked", "last-free", "second");
            assertThatThrownBy(() -> registry.createStrategy("create-throws-checked"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the routing strategy 'create-throws-checked'")
                .hasMessageContaining("threw java.io.IOException: checked in create")
                .hasMessageContaining("fix its create() and rebuild " + jar);
            final LoadedPlugin broken = registry.report().loaded(ROUTING_STRATEGY).stream()
                .filter(p -> p.name().equals("create-throws-checked")).findFirst().orElseThrow();
            assertThat(registry.tryCreating(broken)).hasValueSatisfying(why -> assertThat(why).contains("checked in create"));
            assertThatThrownBy(() -> RoutingStrategies.create("create-throws-checked", registry.classLoader()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("checked in create");
        }
        try (URLClassLoader loader = classpathWith(TestProviders.NameThrowsChecked.class.getName(), LAST_FREE))
        {
            final Map<String, ?>[] found = new Map[1];
            final String logs = StderrLogs.of(() -> found[0] = RoutingStrategies.available(loader));
            assertThat(found[0]).containsOnlyKeys("last-free");
            assertThat(logs).contains(TestProviders.NameThrowsChecked.class.getName()).contains("checked in name");
        }
    }

    @Test
    void aProviderWhoseCreateReturnsNullIsBrokenByEveryLookup() throws IOException
    {
        final Path jar = jar().services(ROUTING_STRATEGY, TestProviders.CreatesNull.class.getName())
            .writeTo(dir.resolve("null.jar"));

        try (PluginRegistry registry = PluginRegistry.load(dir))
        {
            assertThatThrownBy(() -> registry.createStrategy("creates-null"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the routing strategy 'creates-null'").hasMessageContaining("create() returned null")
                .hasMessageContaining("rebuild " + jar);
            final LoadedPlugin broken = registry.report().loaded(ROUTING_STRATEGY).stream()
                .filter(p -> p.name().equals("creates-null")).findFirst().orElseThrow();
            assertThat(registry.tryCreating(broken)).hasValueSatisfying(why -> assertThat(why).contains("returned null"));
            assertThatThrownBy(() -> RoutingStrategies.create("creates-null", registry.classLoader()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("create() returned null");
        }
    }

    @Test
    void aNameWithSpacesIsSkippedAndAStrategyThatDoesNotAnswerToItsProvidersNameIsBroken() throws IOException
    {
        final String misnamed = TestProviders.StrategyMisnamed.class.getName();
        final Path jar = jar().services(ROUTING_STRATEGY, TestProviders.SpacedName.class.getName(), misnamed,
            TestProviders.StrategyNameBlank.class.getName(), TestProviders.StrategyNameOther.class.getName(), LAST_FREE)
            .writeTo(dir.resolve("names.jar"));

        try (PluginRegistry registry = PluginRegistry.load(dir))
        {
            assertThat(registry.report().problemsOf("names.jar")).extracting(PluginProblem::message).singleElement()
                .satisfies(m -> assertThat(m).contains(TestProviders.SpacedName.class.getName())
                    .contains("name() returned 'my strategy'").contains("without spaces"));
            assertThat(registry.strategies()).containsOnlyKeys("strategy-name-null", "strategy-name-blank",
                "strategy-name-other", "last-free");
            for (final String name : new String[] {"strategy-name-null", "strategy-name-blank", "strategy-name-other"})
            {
                final LoadedPlugin plugin = registry.report().loaded(ROUTING_STRATEGY).stream()
                    .filter(p -> p.name().equals(name)).findFirst().orElseThrow();
                // what 'ringmaster plugins' shows as BROKEN, and what stops 'demo --strategy' before it runs
                assertThat(registry.tryCreating(plugin)).as(name).hasValueSatisfying(why -> assertThat(why)
                    .contains("the routing strategy '" + name + "'").contains("from " + jar).contains("is broken")
                    .contains("name() return '" + name + "'"));
                assertThatThrownBy(() -> RoutingStrategies.create(name, registry.classLoader())).as(name)
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("name() return '" + name + "'");
            }
            assertThat(registry.tryCreating(registry.report().loaded(ROUTING_STRATEGY).stream()
                .filter(p -> p.name().equals("strategy-name-null")).findFirst().orElseThrow()))
                .hasValueSatisfying(why -> assertThat(why).contains("whose name() returns null"));
            // replay and audit look the strategy up by the name the journal recorded: the strategy's own
            assertThat(registry.tryCreating(registry.report().loaded(ROUTING_STRATEGY).stream()
                .filter(p -> p.name().equals("strategy-name-other")).findFirst().orElseThrow()))
                .hasValueSatisfying(why -> assertThat(why).contains("whose name() returns 'something-else'"));
            assertThat(registry.createStrategy("last-free").name()).isEqualTo("last-free");
        }
        try (URLClassLoader loader = classpathWith(TestProviders.SpacedName.class.getName(), LAST_FREE))
        {
            final Map<String, ?>[] found = new Map[1];
            final String logs = StderrLogs.of(() -> found[0] = RoutingStrategies.available(loader));
            assertThat(found[0]).containsOnlyKeys("last-free");
            assertThat(logs).contains(TestProviders.SpacedName.class.getName()).contains("name() returned 'my strategy'");
        }
    }

    @Test
    void aPluginThatUsesALibraryItsJarLacksIsToldToShadeIt() throws IOException
    {
        final String shade = "the class com.acme.dep.Helper it uses is neither in its jar nor on the classpath; " +
            "shade the libraries the plugin uses into its jar";
        final Path jar = jar().services(ROUTING_STRATEGY, TestProviders.ConstructorNeedsLibrary.class.getName(),
            TestProviders.CreateNeedsLibrary.class.getName()).writeTo(dir.resolve("thin.jar"));

        try (PluginRegistry registry = PluginRegistry.load(dir))
        {
            assertThat(registry.report().problemsOf("thin.jar")).extracting(PluginProblem::message).singleElement()
                .satisfies(m -> assertThat(m).contains("NoClassDefFoundError").contains(shade)
                    .doesNotContain("fix its constructor"));
            assertThatThrownBy(() -> registry.createStrategy("create-needs-library"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the routing strategy 'create-needs-library'").hasMessageContaining("from " + jar)
                .hasMessageContaining(shade).hasMessageNotContaining("fix its create()");
        }
    }

    @Test
    void aProviderCompiledForANewerJavaIsReportedWithTheReleaseToCompileFor() throws IOException
    {
        final int feature = Runtime.version().feature();
        // 65 is Java 21; on a JVM that reads 65, one version beyond what it reads
        final int major = Math.max(65, feature + 45);
        jar().services(ROUTING_STRATEGY, "com.acme.FutureProvider", LAST_FREE)
            .classOfVersion("com.acme.FutureProvider", major).writeTo(dir.resolve("future.jar"));

        try (PluginRegistry registry = PluginRegistry.load(dir))
        {
            assertThat(registry.report().problems()).singleElement().satisfies(p ->
            {
                assertThat(p.jar()).isEqualTo("future.jar");
                assertThat(p.name()).isEqualTo("com.acme.FutureProvider");
                assertThat(p.message())
                    .contains("is compiled for Java " + (major - 44) + " (class file version " + major)
                    .contains("this JVM is Java " + feature + ", which reads class file versions up to " + (feature + 44))
                    .contains("compile the plugin for release " + feature)
                    .doesNotContain("shade");
            });
            assertThat(registry.strategies()).as("the jar's other provider still loads").containsOnlyKeys("last-free");
        }
    }

    @Test
    void aNameWithUpperCaseIsSkippedLikeANameWithSpaces() throws IOException
    {
        final String upper = TestProviders.UpperName.class.getName();
        jar().services(ROUTING_STRATEGY, upper, LAST_FREE).writeTo(dir.resolve("upper.jar"));

        try (PluginRegistry registry = PluginRegistry.load(dir))
        {
            assertThat(registry.report().problemsOf("upper.jar")).extracting(PluginProblem::message).singleElement()
                .satisfies(m -> assertThat(m).contains(upper, "name() returned 'My-Strategy'", "lower-case"));
            assertThat(registry.strategies()).containsOnlyKeys("last-free");
        }
        try (URLClassLoader loader = classpathWith(upper, LAST_FREE))
        {
            final Map<String, ?>[] found = new Map[1];
            final String logs = StderrLogs.of(() -> found[0] = RoutingStrategies.available(loader));
            assertThat(found[0]).containsOnlyKeys("last-free");
            assertThat(logs).contains(upper, "name() returned 'My-Strategy'", "lower-case");
        }
    }

    @Test
    void aStrategyClassCompiledForANewerJavaIsBrokenWithTheReleaseToCompileFor() throws IOException
    {
        // the provider is Java 17, the strategy it makes Java 21 (or, on a JVM that reads 65, one version beyond what
        // it reads): the jar loads, its create() fails
        final int feature = Runtime.version().feature();
        final int major = Math.max(65, feature + 45);
        final Path jar = jar().compiled(Map.of(
            "com.acme.NewerProvider", """
                package com.acme;
                public final class NewerProvider implements dev.ringmaster.spi.RoutingStrategyProvider {
                    public String name() { return "newer"; }
                    public String description() { return ""; }
                    public dev.ringmaster.spi.RoutingStrategy create() { return new NewerStrategy(); }
                }
                """,
            "com.acme.NewerStrategy", """
                package com.acme;
                public final class NewerStrategy implements dev.ringmaster.spi.RoutingStrategy {
                    public String name() { return "newer"; }
                    public int select(dev.ringmaster.spi.TaskView t, dev.ringmaster.spi.Candidates c,
                                      dev.ringmaster.spi.RoutingDecision d) { return 0; }
                }
                """), major, "com.acme.NewerStrategy")
            .services(ROUTING_STRATEGY, "com.acme.NewerProvider").writeTo(dir.resolve("newer.jar"));

        try (PluginRegistry registry = PluginRegistry.load(dir))
        {
            assertThat(registry.report().problems()).isEmpty();
            assertThatThrownBy(() -> registry.createStrategy("newer")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the routing strategy 'newer'").hasMessageContaining("from " + jar)
                .hasMessageContaining("is compiled for Java " + (major - 44) + " (class file version " + major +
                    ", in com.acme.NewerStrategy)")
                .hasMessageContaining("compile the plugin for release " + feature)
                .hasMessageNotContaining("fix its create()");
        }
    }

    @Test
    void aServicesFileWithOnlyCommentsIsSaidToNameNoProvider() throws IOException
    {
        jar().entry(ROUTING_STRATEGY.servicesFile(), "# com.acme.MyProvider\n\n").writeTo(dir.resolve("comments.jar"));

        try (PluginRegistry registry = PluginRegistry.load(dir))
        {
            assertThat(registry.report().problems()).singleElement().satisfies(p ->
            {
                assertThat(p.jar()).isEqualTo("comments.jar");
                assertThat(p.message()).contains(ROUTING_STRATEGY.servicesFile(), "names no provider class")
                    .doesNotContain("none of");
            });
        }
    }

    @Test
    void aProviderWhoseCreateThrowsIsNamedWithItsJarByEveryLookup() throws IOException
    {
        final Path jar = jar().services(ROUTING_STRATEGY, TestProviders.CreateFails.class.getName(), LAST_FREE)
            .writeTo(dir.resolve("fails.jar"));

        try (PluginRegistry registry = PluginRegistry.load(dir))
        {
            assertThat(registry.report().problems()).as("it loads; only create() fails").isEmpty();
            assertThatThrownBy(() -> registry.createStrategy("create-fails"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the routing strategy 'create-fails' (" + TestProviders.CreateFails.class.getName() +
                    " from " + jar + ") is broken: its create() threw java.lang.IllegalStateException: boom in create")
                .hasMessageContaining("fix its create() and rebuild " + jar + ", or choose another routing strategy");
            final LoadedPlugin broken = registry.report().loaded(ROUTING_STRATEGY).stream()
                .filter(p -> p.name().equals("create-fails")).findFirst().orElseThrow();
            assertThat(registry.tryCreating(broken)).hasValueSatisfying(why -> assertThat(why).contains("boom in create"));
            final LoadedPlugin good = registry.report().loaded(ROUTING_STRATEGY).stream()
                .filter(p -> p.name().equals("last-free")).findFirst().orElseThrow();
            assertThat(registry.tryCreating(good)).isEmpty();
            // the lookup by name on a class loader names the provider's class and where it was loaded from
            assertThatThrownBy(() -> RoutingStrategies.create("create-fails", registry.classLoader()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the routing strategy 'create-fails' (" + TestProviders.CreateFails.class.getName())
                .hasMessageContaining("boom in create").hasMessageContaining("fix its create()");
        }
    }

    @Test
    void theLookupsOnAPlainClassLoaderSkipABadProviderWithAWarningAndGoOn() throws IOException
    {
        try (URLClassLoader loader = classpathWith("com.acme.Missing", TestProviders.Exploding.class.getName(), LAST_FREE,
            TestProviders.LastFreeImpostor.class.getName(), TestProviders.BlankName.class.getName(), SECOND))
        {
            final Map<String, ?>[] found = new Map[1];
            final String logs = StderrLogs.of(() -> found[0] = RoutingStrategies.available(loader));

            assertThat(found[0]).containsOnlyKeys("last-free", "second");
            assertThat(found[0].get("last-free")).isInstanceOf(TestProviders.LastFree.class);
            assertThat(logs)
                .contains("routing strategy plugin skipped: ")
                .contains("com.acme.Missing not found")
                .contains(TestProviders.Exploding.class.getName() + " could not be instantiated")
                .contains("boom in the constructor")
                .contains("fix the provider class, or remove its line from " + ROUTING_STRATEGY.servicesFile())
                .contains(TestProviders.LastFreeImpostor.class.getName()).contains("is named 'last-free', which " + LAST_FREE)
                .contains("rename one of the two")
                .contains(TestProviders.BlankName.class.getName() + " from ").contains("name() returned ' '");
            assertThat(RoutingStrategies.create("second", loader)).as("the lookup by name goes on too").isNotNull();
        }
        try (URLClassLoader loader = classpathWith(AGENT_FACTORY, "com.acme.MissingFactory",
            TestProviders.EchoFactory.class.getName()))
        {
            final String logs = StderrLogs.of(() -> assertThat(AgentFactories.available(loader)).containsOnlyKeys("test-echo"));
            assertThat(logs).contains("agent factory plugin skipped: ").contains("com.acme.MissingFactory not found");
        }
        try (URLClassLoader loader = classpathWith(PluginKind.TASK_CLASSIFIER, "com.acme.MissingClassifier"))
        {
            final String logs = StderrLogs.of(() -> assertThat(TaskClassifiers.available(loader)).doesNotContainKey(""));
            assertThat(logs).contains("task classifier plugin skipped: ").contains("com.acme.MissingClassifier not found");
        }
    }

    @Test
    void aNameTakenByTheClasspathIsReportedAndTheClasspathKeepsIt() throws IOException
    {
        jar().services(ROUTING_STRATEGY, TestProviders.LastFreeImpostor.class.getName(), SECOND)
            .writeTo(dir.resolve("clash.jar"));

        try (URLClassLoader classpath = classpathWith(LAST_FREE); PluginRegistry registry = PluginRegistry.load(dir, classpath))
        {
            assertThat(registry.report().problems()).singleElement().satisfies(p ->
            {
                assertThat(p.jar()).isEqualTo("clash.jar");
                assertThat(p.name()).isEqualTo("last-free");
                assertThat(p.message()).contains("already taken by " + LAST_FREE + " from classpath")
                    .contains("rename " + TestProviders.LastFreeImpostor.class.getName() + "'s plugin (a jar cannot " +
                        "replace what the classpath provides)")
                    .as("the classpath's plugin cannot be removed from the plugins directory")
                    .doesNotContain("remove one of the two");
            });
            assertThat(registry.report().loaded(ROUTING_STRATEGY)).extracting(LoadedPlugin::name, LoadedPlugin::origin)
                .containsExactly(tuple("last-free", "classpath"),
                    tuple("second", dir.resolve("clash.jar").toString()));
            assertThat(registry.createStrategy("last-free").getClass().getName()).startsWith(LAST_FREE);
            assertThat(RoutingStrategies.names(registry.classLoader()))
                .as("the view hides the impostor, so the existing lookup does not throw on the clash")
                .containsExactly("last-free", "second");
        }
    }

    @Test
    void aNameTakenByAnEarlierJarIsReported() throws IOException
    {
        jar().services(ROUTING_STRATEGY, LAST_FREE).writeTo(dir.resolve("a.jar"));
        jar().services(ROUTING_STRATEGY, TestProviders.LastFreeImpostor.class.getName()).writeTo(dir.resolve("b.jar"));

        try (PluginRegistry registry = PluginRegistry.load(dir))
        {
            assertThat(registry.report().problems()).singleElement().satisfies(p ->
            {
                assertThat(p.jar()).isEqualTo("b.jar");
                assertThat(p.name()).isEqualTo("last-free");
                assertThat(p.message()).contains("from " + dir.resolve("a.jar"));
            });
            assertThat(registry.report().loaded(ROUTING_STRATEGY)).singleElement()
                .extracting(LoadedPlugin::origin).isEqualTo(dir.resolve("a.jar").toString());
            assertThat(registry.openJarLoaders()).as("b.jar's loader is closed").isEqualTo(1);
        }
    }

    @Test
    void anUnknownNameListsWhatExistsAndWhatWasSkipped() throws IOException
    {
        Files.write(dir.resolve("x.jar"), new byte[] {1, 2, 3});
        jar().services(ROUTING_STRATEGY, LAST_FREE).writeTo(dir.resolve("y.jar"));

        try (PluginRegistry registry = PluginRegistry.load(dir))
        {
            assertThatThrownBy(() -> registry.createStrategy("nope"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown routing strategy 'nope'; available: [last-free]")
                .hasMessageContaining("x.jar: not a readable jar");
        }
    }

    @Test
    void aBadDirectoryIsAClearError() throws IOException
    {
        final Path missing = dir.resolve("missing");
        assertThatThrownBy(() -> PluginRegistry.load(missing))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'" + missing + "' does not exist");
        final Path file = Files.writeString(dir.resolve("plugins.txt"), "");
        assertThatThrownBy(() -> PluginRegistry.load(file))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not a directory");
        assertThatThrownBy(() -> Dispatcher.builder().pluginDirectory(missing))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not exist");
    }

    /** @return a loader whose classpath registers the given strategy providers, standing in for the host's. */
    private URLClassLoader classpathWith(final String... providers) throws IOException
    {
        return classpathWith(ROUTING_STRATEGY, providers);
    }

    private URLClassLoader classpathWith(final PluginKind kind, final String... providers) throws IOException
    {
        final Path root = Files.createDirectories(dir.resolve("classpath-root"));
        final Path services = root.resolve(kind.servicesFile());
        Files.createDirectories(services.getParent());
        Files.writeString(services, String.join("\n", providers) + "\n");
        return new URLClassLoader(new URL[] {root.toUri().toURL()}, PluginRegistry.class.getClassLoader());
    }
}
