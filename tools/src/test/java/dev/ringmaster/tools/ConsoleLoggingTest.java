package dev.ringmaster.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A journal command in a JVM of its own, logging as the command line does (no test-only log level): its console
 * carries the report, not Chronicle Queue's INFO lines about mappings and disk space.
 */
class ConsoleLoggingTest
{
    @Test
    void replayPrintsNoChronicleInfoLines(@TempDir final Path tmp) throws Exception
    {
        final Path journal = GoldenJournalTest.copyOfGoldenJournal(tmp);
        final Path out = tmp.resolve("out.txt");
        final Path err = tmp.resolve("err.txt");
        final List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (final String f : System.getProperty("ringmaster.jvm.flags", "").trim().split("\\s+"))
        {
            if (!f.isEmpty())
            {
                cmd.add(f);
            }
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), RingmasterCli.class.getName(),
            "replay", journal.toString()));
        final Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try
        {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("replay finished within 60 s").isTrue();
        }
        finally
        {
            p.destroyForcibly();
        }
        final String console = Files.readString(out, StandardCharsets.UTF_8) + Files.readString(err, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(console).isZero();
        assertThat(console).contains("records").doesNotContain("INFO net.openhft");
    }
}
