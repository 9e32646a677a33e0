package dev.ringmaster.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ringmaster plugins}: every kind with its origin, broken plugins with why, skipped jars with the fix. */
class PluginsCommandTest
{
    @TempDir
    Path dir;

    @Test
    void listsEveryKindWithItsOriginAndWhatCannotBeUsed() throws IOException
    {
        final Path good = PluginsOptionTest.pluginJar(dir.resolve("good.jar"), JarOnlyStrategy.Provider.class);
        final Path broken = PluginsOptionTest.pluginJar(dir.resolve("broken.jar"), JarOnlyStrategy.BrokenProvider.class);
        Files.write(dir.resolve("x.jar"), "not a zip".getBytes(StandardCharsets.UTF_8));

        final DemoCommandTest.Run run = DemoCommandTest.run("plugins", "--plugins", dir.toString());

        assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
        assertThat(run.err()).as("the skipped jars are in the listing, not warnings").isEmpty();
        final String out = run.out();
        assertThat(out).containsPattern("(?m)^routing strategies \\(\\d+\\):$")
            .containsPattern("(?m)^  round-robin\\s+classpath\\s+\\S")
            .containsPattern("(?m)^  " + JarOnlyStrategy.NAME + "\\s+" + Pattern.quote(good.toString()) +
                "\\s+least loaded")
            .containsPattern("(?m)^  " + JarOnlyStrategy.BrokenProvider.NAME + "\\s+" + Pattern.quote(broken.toString()) +
                "\\s+BROKEN: the routing strategy '" + JarOnlyStrategy.BrokenProvider.NAME + "' .*boom in create.*" +
                "fix its create\\(\\)");
        assertThat(out).containsPattern("(?m)^agent factories \\(\\d+\\):$")
            .containsPattern("(?m)^  echo\\s+classpath\\s+\\S");
        assertThat(out).containsPattern("(?m)^task classifiers \\(\\d+\\):$")
            .containsPattern("(?m)^  keywords\\s+classpath\\s+payload text");
        assertThat(out).contains("skipped (1):" + System.lineSeparator() + "  " + dir.resolve("x.jar") + ": not a readable jar")
            .contains("remove it from " + dir);
    }

    @Test
    void withoutADirectoryItListsTheClasspathAndABadDirectoryIsAUsageError()
    {
        final DemoCommandTest.Run classpath = DemoCommandTest.run("plugins");
        assertThat(classpath.exitCode()).as("stderr: %s", classpath.err()).isZero();
        assertThat(classpath.out()).contains("least-connections", "echo", "keywords", "skipped (0):")
            .doesNotContain("BROKEN");

        final DemoCommandTest.Run missing = DemoCommandTest.run("plugins", "--plugins", dir.resolve("nope").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("error: plugin directory '" + dir.resolve("nope") + "' does not exist; " +
            "create it or point at the directory that holds the plugin jars (--plugins)").contains("plugins --help");
    }
}
