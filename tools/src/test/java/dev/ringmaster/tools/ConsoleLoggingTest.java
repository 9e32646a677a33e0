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
 * A command in a JVM of its own, logging as the command line does (no test-only log level): its console carries the
 * report, not Chronicle Queue's INFO lines about mappings and disk space, nor its stack traces about a damaged queue
 * metadata file, nor a plugin's stack trace unless {@code --verbose} asks for it.
 */
class ConsoleLoggingTest
{
    @Test
    void replayPrintsNoChronicleInfoLines(@TempDir final Path tmp) throws Exception
    {
        final Path journal = GoldenJournalTest.copyOfGoldenJournal(tmp);
        final String[] console = run(tmp, "replay", journal.toString());
        assertThat(console[0]).as(console[1]).isEqualTo("0");
        assertThat(console[1]).contains("records").doesNotContain("INFO net.openhft");
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "metadata.cq4t {0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"emptied", "deleted"})
    void aMissingOrEmptyMetadataFileIsOneWarningLineNotAStackTrace(final String how, @TempDir final Path tmp)
        throws Exception
    {
        final Path journal = GoldenJournalTest.copyOfGoldenJournal(tmp);
        final Path metadata = journal.resolve("metadata.cq4t");
        if (how.equals("deleted"))
        {
            Files.delete(metadata);
        }
        else
        {
            Files.write(metadata, new byte[0]);
        }
        for (String[] args : new String[][] {{"replay", journal.toString()}, {"recover", journal.toString(), "--dry-run"}})
        {
            final String[] console = run(tmp, args);

            // every record is still read from the cycle files
            assertThat(console[0]).as(console[1]).isEqualTo("0");
            assertThat(console[1]).as(args[0]).contains("metadata.cq4t in " + journal + " is damaged or missing",
                "read from the cycle files").doesNotContain("\tat ", "Exception", "Failback");
            if (args[0].equals("replay"))
            {
                assertThat(console[2]).startsWith("warning: metadata.cq4t in ");
            }
        }
    }

    @Test
    void aMetadataFileWithAnOverwrittenHeaderIsNamedWithTheFix(@TempDir final Path tmp) throws Exception
    {
        final Path journal = GoldenJournalTest.copyOfGoldenJournal(tmp);
        final byte[] junk = new byte[200];
        new java.util.Random(1).nextBytes(junk);
        try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(journal.resolve("metadata.cq4t").toFile(), "rw"))
        {
            raf.write(junk);
        }

        final String[] console = run(tmp, "replay", journal.toString());

        assertThat(console[0]).as(console[1]).isEqualTo("1");
        assertThat(console[2]).startsWith("error: ").contains(journal.resolve("metadata.cq4t").toString(), "damaged",
            "Move it aside (mv ").doesNotContain("\tat ", "Failback");
    }

    @Test
    void aPluginStrategysFaultIsOneLineWithoutVerboseAndTheWholeTraceWithIt(@TempDir final Path tmp) throws Exception
    {
        final Path plugins = Files.createDirectory(tmp.resolve("plugins"));
        PluginsOptionTest.pluginJar(plugins.resolve("faulty.jar"), FaultyStrategies.Throws.class);
        final String[] demo = {"demo", "--strategy", FaultyStrategies.Throws.NAME, "--plugins", plugins.toString(),
            "--tasks", "200"};

        final String[] quiet = run(tmp, demo);
        final String[] verbose = run(tmp, append(demo, "--verbose"));

        // the strategy failed every decision, which fails the run (DemoStrategyFailureTest); the log is what is tested
        assertThat(quiet[0]).as(quiet[1]).isEqualTo("1");
        assertThat(quiet[2]).contains("routing strategy '" + FaultyStrategies.Throws.NAME + "' threw",
            "java.lang.IllegalStateException: boom in select (run again with --verbose for the stack trace)")
            .doesNotContain("\tat ");
        assertThat(verbose[0]).as(verbose[1]).isEqualTo("1");
        assertThat(verbose[2]).contains("java.lang.IllegalStateException: boom in select", "\tat ");
    }

    private static String[] append(final String[] args, final String arg)
    {
        final String[] more = java.util.Arrays.copyOf(args, args.length + 1);
        more[args.length] = arg;
        return more;
    }

    /** @return the exit code, stdout and stderr together, and stderr of the command line run in a JVM of its own. */
    private static String[] run(final Path tmp, final String... args) throws Exception
    {
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
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), RingmasterCli.class.getName()));
        cmd.addAll(List.of(args));
        final Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try
        {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("replay finished within 60 s").isTrue();
        }
        finally
        {
            p.destroyForcibly();
        }
        final String stderr = Files.readString(err, StandardCharsets.UTF_8);
        return new String[] {Integer.toString(p.exitValue()), Files.readString(out, StandardCharsets.UTF_8) + stderr,
            stderr};
    }
}
