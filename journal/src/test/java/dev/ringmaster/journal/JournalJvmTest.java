package dev.ringmaster.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The journal checks its JVM flags when it opens, and keeps Chronicle's banner out of the application's output. */
class JournalJvmTest
{
    @TempDir
    Path dir;

    @Test
    void underTheTestFlagsNothingIsMissing()
    {
        assertThat(JournalJvm.missingFlags()).isEmpty();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void withoutTheFlagsOpeningFailsWithOneLineListingThem() throws Exception
    {
        final String out = runChild(List.of(JournalJvm.REQUIRED_FLAGS.get(0), "--add-opens=java.base/java.lang=ALL-UNNAMED"));
        final String refusal = out.lines().filter(l -> l.startsWith("refused: ")).findFirst().orElse(out);
        assertThat(refusal).startsWith("refused: the journal (Chronicle Queue) needs these JVM flags");
        assertThat(refusal).contains("--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED", "Add-Exports/Add-Opens", "README");
        // the two flags given are not asked for again
        assertThat(refusal).doesNotContain(JournalJvm.REQUIRED_FLAGS.get(0))
            .doesNotContain("--add-opens=java.base/java.lang=ALL-UNNAMED ");
        assertThat(out).as("no IllegalAccessError from inside Chronicle").doesNotContain("IllegalAccessError");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void withTheFlagsButNoChroniclePropertiesTheBannerStaysOut() throws Exception
    {
        final String out = runChild(JournalJvm.REQUIRED_FLAGS);
        assertThat(out).contains("opened");
        assertThat(out).doesNotContainIgnoringCase("leave your e-mail").doesNotContainIgnoringCase("chronicle.software");
    }

    /** @return the child's stdout and stderr together. */
    private String runChild(final List<String> flags) throws IOException, InterruptedException
    {
        final List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(flags); // and none of Chronicle's system properties: the journal sets them
        cmd.add("-Xmx128m");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(JvmChild.class.getName());
        cmd.add(dir.toString());
        final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        final byte[] bytes = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
