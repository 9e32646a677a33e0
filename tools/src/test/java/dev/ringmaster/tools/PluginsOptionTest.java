package dev.ringmaster.tools;

import dev.ringmaster.plugin.PluginKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --plugins DIR} on {@code strategies} and {@code demo}: a jar's strategy is listed with its jar and usable by
 * name, a bad jar is a warning on stderr, a bad directory a usage error (exit 2). The example-plugin module's own
 * test covers a jar whose classes nothing else sees.
 */
class PluginsOptionTest
{
    @TempDir
    Path dir;

    private Path pluginJar() throws IOException
    {
        return pluginJar("jar-only.jar", JarOnlyStrategy.Provider.class);
    }

    /** Writes a jar that registers these strategy providers (their classes stay on the test class path). */
    static Path pluginJar(final Path jar, final Class<?>... providers) throws IOException
    {
        final StringBuilder services = new StringBuilder();
        for (final Class<?> provider : providers)
        {
            services.append(provider.getName()).append('\n');
        }
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file))
        {
            out.putNextEntry(new JarEntry(PluginKind.ROUTING_STRATEGY.servicesFile()));
            out.write(services.toString().getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return jar;
    }

    private Path pluginJar(final String name, final Class<?>... providers) throws IOException
    {
        return pluginJar(dir.resolve(name), providers);
    }

    @Test
    void strategiesListsTheJarsStrategyWithItsOriginAndWarnsAboutBadJars() throws IOException
    {
        final Path jar = pluginJar();
        Files.write(dir.resolve("x.jar"), "not a zip".getBytes(StandardCharsets.UTF_8));

        final DemoCommandTest.Run run = DemoCommandTest.run("strategies", "--plugins", dir.toString());

        assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
        assertThat(run.out()).containsPattern("(?m)^" + JarOnlyStrategy.NAME + "\\s+" + Pattern.quote(jar.toString()) +
            "\\s+least loaded");
        assertThat(run.out()).containsPattern("(?m)^round-robin\\s+classpath\\s+");
        // the path as given (directory and file), so the user can find the jar
        assertThat(run.err()).contains("warning: plugin skipped: " + dir.resolve("x.jar") + ": not a readable jar");
    }

    @Test
    void aProviderWhoseCreateThrowsIsListedAsBrokenAndDemoNamesItsJar() throws IOException
    {
        final Path jar = pluginJar("broken.jar", JarOnlyStrategy.BrokenProvider.class);
        final String name = JarOnlyStrategy.BrokenProvider.NAME;

        final DemoCommandTest.Run listed = DemoCommandTest.run("strategies", "--plugins", dir.toString());
        assertThat(listed.exitCode()).as("stderr: %s", listed.err()).isZero();
        assertThat(listed.out()).containsPattern("(?m)^" + name + "\\s+" + Pattern.quote(jar.toString()) +
            "\\s+BROKEN: the routing strategy '" + name + "' .*boom in create.*fix its create\\(\\) and rebuild " +
            Pattern.quote(jar.toString()));
        assertThat(listed.out()).containsPattern("(?m)^round-robin\\s+classpath\\s+[^B]");

        final DemoCommandTest.Run demo = DemoCommandTest.run("demo", "--plugins", dir.toString(), "--strategy", name,
            "--tasks", "10", "--journal", dir.resolve("journal").toString());
        assertThat(demo.exitCode()).isEqualTo(1);
        assertThat(demo.err()).startsWith("error: the routing strategy '" + name + "' (" +
                JarOnlyStrategy.BrokenProvider.class.getName() + " from " + jar + ") is broken")
            .contains("boom in create").contains("or choose another routing strategy");
        assertThat(dir.resolve("journal")).as("refused before the journal is opened").doesNotExist();

        // the simulator's default set leaves it out with a warning, rather than refusing every other strategy's run
        final DemoCommandTest.Run all = DemoCommandTest.run("simulate", "--plugins", dir.toString(), "--scenario",
            "homogeneous", "--tasks", "300", "--json");
        assertThat(all.exitCode()).as("stderr: %s", all.err()).isZero();
        assertThat(all.err()).contains("warning: leaving out strategy '" + name + "', which is BROKEN")
            .contains("boom in create");
        assertThat(all.out()).contains("\"round-robin\"").doesNotContain("\"" + name + "\"");
        final DemoCommandTest.Run named = DemoCommandTest.run("simulate", "--plugins", dir.toString(), "--strategies",
            name, "--scenario", "homogeneous", "--tasks", "300");
        assertThat(named.exitCode()).isNotZero();
        assertThat(named.err()).contains("boom in create");
    }

    @Test
    void aBadDirectoryIsAUsageError() throws IOException
    {
        final DemoCommandTest.Run missing = DemoCommandTest.run("strategies", "--plugins", dir.resolve("nope").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("does not exist").contains("--plugins");

        final Path file = Files.writeString(dir.resolve("plain.txt"), "");
        final DemoCommandTest.Run notADir = DemoCommandTest.run("demo", "--plugins", file.toString(), "--tasks", "10");
        assertThat(notADir.exitCode()).isEqualTo(2);
        assertThat(notADir.err()).contains("is not a directory");

        final Path empty = Files.createDirectory(dir.resolve("empty"));
        final DemoCommandTest.Run noJar = DemoCommandTest.run("demo", "--plugins", empty.toString(), "--strategy",
            "my-strategy", "--tasks", "10");
        assertThat(noJar.exitCode()).isEqualTo(2);
        assertThat(noJar.err()).contains("unknown strategy 'my-strategy'")
            .contains(empty + " holds no .jar file: put the plugin's jar there");
    }

    @Test
    void demoDispatchesThroughAStrategyFromAJar() throws IOException
    {
        pluginJar();

        final DemoCommandTest.Run run = DemoCommandTest.run("demo", "--plugins", dir.toString(), "--strategy",
            JarOnlyStrategy.NAME, "--tasks", "3000", "--json", "--seed", "5");

        assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
        final Map<String, Object> j = DemoCommandTest.json(run);
        assertThat(j.get("strategy")).isEqualTo(JarOnlyStrategy.NAME);
        assertThat(((Number)j.get("lost")).longValue()).isZero();
    }

    @Test
    void serveAndSimulateUseAStrategyFromAJar() throws IOException
    {
        pluginJar();

        final DemoCommandTest.Run serve = DemoCommandTest.run("serve", "--plugins", dir.toString(), "--strategy",
            JarOnlyStrategy.NAME, "--port", "0", "--duration", "1", "--rate", "200", "--token", "t0ken");
        assertThat(serve.exitCode()).as("stderr: %s", serve.err()).isZero();
        assertThat(serve.out()).contains("strategy " + JarOnlyStrategy.NAME + ",");

        final DemoCommandTest.Run simulate = DemoCommandTest.run("simulate", "--plugins", dir.toString(), "--strategies",
            JarOnlyStrategy.NAME + ",round-robin", "--tasks", "200", "--scenario", "homogeneous", "--json");
        assertThat(simulate.exitCode()).as("stderr: %s", simulate.err()).isZero();
        assertThat(simulate.out()).contains("\"strategy\":\"" + JarOnlyStrategy.NAME + "\"")
            .contains("\"strategy\":\"round-robin\"");
    }

    @Test
    void serveAndSimulateRefuseAnUnknownOrBrokenStrategyBeforeStarting() throws IOException
    {
        final Path jar = pluginJar("broken.jar", JarOnlyStrategy.BrokenProvider.class);

        final DemoCommandTest.Run unknown = DemoCommandTest.run("simulate", "--strategies", JarOnlyStrategy.NAME,
            "--tasks", "200");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown strategy '" + JarOnlyStrategy.NAME + "' for --strategies; " +
            "choose one of ").contains("(a strategy from a plugin jar needs --plugins DIR)");

        final DemoCommandTest.Run broken = DemoCommandTest.run("simulate", "--plugins", dir.toString(), "--strategies",
            JarOnlyStrategy.BrokenProvider.NAME, "--tasks", "200");
        assertThat(broken.exitCode()).isEqualTo(1);
        assertThat(broken.err()).contains("error: the routing strategy '" + JarOnlyStrategy.BrokenProvider.NAME + "'")
            .contains("from " + jar + ") is broken").contains("boom in create");

        final DemoCommandTest.Run serve = DemoCommandTest.run("serve", "--plugins", dir.toString(), "--strategy",
            JarOnlyStrategy.BrokenProvider.NAME, "--port", "0", "--duration", "1", "--journal",
            dir.resolve("journal").toString());
        assertThat(serve.exitCode()).isEqualTo(1);
        assertThat(serve.err()).contains("from " + jar + ") is broken").contains("boom in create");
        assertThat(dir.resolve("journal")).as("refused before the journal is opened").doesNotExist();
    }

    @Test
    void withoutPluginsTheJarsStrategyIsUnknown() throws IOException
    {
        pluginJar();

        final DemoCommandTest.Run run = DemoCommandTest.run("demo", "--strategy", JarOnlyStrategy.NAME, "--tasks", "10");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("unknown strategy '" + JarOnlyStrategy.NAME + "'");
    }

    @Test
    void aStrategyWhoseSelectFailsCannotWriteOrPassGoldenDecisions() throws Exception
    {
        final Path plugins = Files.createDirectory(dir.resolve("plugins"));
        pluginJar(plugins.resolve("faulty.jar"), FaultyStrategies.Throws.class, FaultyStrategies.Asserts.class);
        final Path journal = GoldenJournalTest.copyOfGoldenJournal(dir);
        final Path golden = dir.resolve("golden.txt");

        for (final String[] c : new String[][] {
            {FaultyStrategies.Throws.NAME, "threw java.lang.IllegalStateException: boom in select"},
            {FaultyStrategies.Asserts.NAME, "threw java.lang.AssertionError: assert in select"}})
        {
            final DemoCommandTest.Run run = DemoCommandTest.run("replay", journal.toString(), "--verify-decisions",
                "--strategy", c[0], "--plugins", plugins.toString(), "--golden", golden.toString(), "--write-golden");

            assertThat(run.exitCode()).as("%s; stdout: %s; stderr: %s", c[0], run.out(), run.err()).isEqualTo(1);
            assertThat(run.err()).startsWith("error: strategy " + c[0] + " failed ").contains(c[1])
                .contains("cannot be written to a golden file; fix its select()").doesNotContain("a bug, ours");
            assertThat(golden).as("decisions the strategy did not make are not golden").doesNotExist();
        }
    }

    @Test
    void theDemoReportSaysWhetherAVersion2StrategysRouteOrItsCallbackFailed() throws IOException
    {
        final Path plugins = Files.createDirectory(dir.resolve("plugins"));
        pluginJar(plugins.resolve("faulty.jar"), FaultyStrategies.RouteThrows.class,
            FaultyStrategies.CallbackThrows.class);

        final DemoCommandTest.Run route = DemoCommandTest.run("demo", "--strategy", FaultyStrategies.RouteThrows.NAME,
            "--plugins", plugins.toString(), "--tasks", "200");
        final DemoCommandTest.Run callback = DemoCommandTest.run("demo", "--strategy",
            FaultyStrategies.CallbackThrows.NAME, "--plugins", plugins.toString(), "--tasks", "200");

        // route() failed every decision: the run reports the faults and fails (DemoStrategyFailureTest)
        assertThat(route.exitCode()).as("stderr: %s", route.err()).isEqualTo(1);
        assertThat(route.out()).containsPattern("strategy faults [1-9][0-9,]*: its select\\(\\) or route\\(\\) " +
            "failed [1-9][0-9,]* time\\(s\\)").doesNotContain("callbacks");
        assertThat(callback.exitCode()).as("stderr: %s", callback.err()).isZero();
        assertThat(callback.out()).containsPattern("strategy faults [1-9][0-9,]*: its callbacks \\(onAssigned")
            .doesNotContain("select() or route() failed");
    }

    @Test
    void theRegenerateHintAndTheGoldenFileOfAStrategyFromAJarNameThePluginsDirectory() throws Exception
    {
        final Path plugins = Files.createDirectory(dir.resolve("plugins"));
        pluginJar(plugins.resolve("jar-only.jar"), JarOnlyStrategy.Provider.class);
        final Path journal = GoldenJournalTest.copyOfGoldenJournal(dir);
        final Path golden = dir.resolve("golden.txt");
        final String[] verify = {"replay", journal.toString(), "--verify-decisions", "--strategy", JarOnlyStrategy.NAME,
            "--plugins", plugins.toString(), "--golden", golden.toString()};

        final DemoCommandTest.Run write = DemoCommandTest.run(append(verify, "--write-golden"));
        assertThat(write.exitCode()).as("stderr: %s", write.err()).isZero();
        assertThat(Files.readString(golden)).contains("--strategy " + JarOnlyStrategy.NAME + " --plugins " + plugins);
        // one decision changed, as a changed strategy would
        final java.util.List<String> lines = new java.util.ArrayList<>(Files.readAllLines(golden));
        final int first = lines.indexOf(lines.stream().filter(l -> !l.startsWith("#")).findFirst().orElseThrow());
        lines.set(first, lines.get(first).replaceAll(" \\S+$", " nobody"));
        Files.write(golden, lines);

        final DemoCommandTest.Run verified = DemoCommandTest.run(verify);
        assertThat(verified.exitCode()).as("stderr: %s", verified.err()).isEqualTo(1);
        assertThat(verified.err()).contains("regenerate the file: ringmaster replay " + journal +
            " --verify-decisions --strategy " + JarOnlyStrategy.NAME + " --plugins " + plugins + " --golden " + golden +
            " --write-golden");
    }

    private static String[] append(final String[] args, final String arg)
    {
        final String[] more = java.util.Arrays.copyOf(args, args.length + 1);
        more[args.length] = arg;
        return more;
    }

    @Test
    void aStrategyAskedForThatWasSkippedPointsAtTheWarningsAboutIt() throws IOException
    {
        final Path plugins = Files.createDirectory(dir.resolve("plugins"));
        pluginJar(plugins.resolve("ctor.jar"), FaultyStrategies.ConstructorThrows.class);

        final DemoCommandTest.Run run = DemoCommandTest.run("demo", "--strategy", "my-strategy", "--plugins",
            plugins.toString(), "--tasks", "10");

        assertThat(run.exitCode()).as("stderr: %s", run.err()).isEqualTo(2);
        assertThat(run.err()).contains("warning: plugin skipped: " + plugins.resolve("ctor.jar"), "no configuration file")
            .contains("unknown strategy 'my-strategy' for --strategy", "1 plugin(s) in " + plugins +
                " were skipped, see the warnings above");
    }

    @Test
    void aStrategyAskedForWhoseJarWasSkippedIsNamedWithWhyAndTheFix() throws IOException
    {
        final Path plugins = Files.createDirectory(dir.resolve("plugins"));
        final Path jar = pluginJar(plugins.resolve("my-strategy.jar"), FaultyStrategies.ConstructorThrows.class);

        final DemoCommandTest.Run run = DemoCommandTest.run("demo", "--strategy", "my-strategy", "--plugins",
            plugins.toString(), "--tasks", "10");

        assertThat(run.exitCode()).as("stderr: %s", run.err()).isEqualTo(2);
        final String error = run.err().lines().filter(l -> l.contains("'my-strategy'")).findFirst().orElse("");
        assertThat(error).as("stderr: %s", run.err()).contains("strategy 'my-strategy' for --strategy",
            "was skipped", jar.toString(), "no configuration file", "fix its constructor")
            .doesNotContain("unknown strategy");
    }

    @Test
    void theDemoReportCountsTheDecisionsInWhichAPluginStrategyFailed() throws IOException
    {
        final Path plugins = Files.createDirectory(dir.resolve("plugins"));
        pluginJar(plugins.resolve("faulty.jar"), FaultyStrategies.Throws.class);

        final DemoCommandTest.Run faulty = DemoCommandTest.run("demo", "--strategy", FaultyStrategies.Throws.NAME,
            "--plugins", plugins.toString(), "--tasks", "200");
        final DemoCommandTest.Run working = DemoCommandTest.run("demo", "--strategy", "round-robin", "--tasks", "200");

        assertThat(faulty.exitCode()).as("it failed every decision; stderr: %s", faulty.err()).isEqualTo(1);
        assertThat(faulty.out()).containsPattern("strategy faults [1-9][0-9,]*: its select\\(\\) or route\\(\\) failed");
        assertThat(working.out()).doesNotContain("strategy faults");
    }
}
