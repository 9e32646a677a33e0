package dev.ringmaster.tools;

import org.junit.jupiter.api.Test;

import static dev.ringmaster.tools.DemoCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/** The top-level command line: an unknown command is a usage error, also when help is asked for with it. */
class CommandLineTest
{
    @Test
    void anUnknownCommandWithHelpIsAUsageErrorNotTheTopLevelHelp()
    {
        final DemoCommandTest.Run run = run("nosuch", "--help");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("unknown command 'nosuch'", "the commands are", "demo");
        assertThat(run.out()).doesNotContain("Usage:");
    }

    @Test
    void helpStillWorksForTheToolAndForEachCommand()
    {
        assertThat(run("--help").exitCode()).isZero();
        final DemoCommandTest.Run demo = run("demo", "--help");
        assertThat(demo.exitCode()).isZero();
        assertThat(demo.out()).contains("--tasks");
    }

    @Test
    void adminHelpSaysThatReadsNeedTheTokenToo()
    {
        // 'admin status' without a token is refused by a server without --public-reads
        final DemoCommandTest.Run status = run("admin", "status", "--help");
        assertThat(status.exitCode()).isZero();
        assertThat(status.out().replaceAll("\\s+", " ")).contains("every command needs it", "serve --public-reads")
            .doesNotContain("for commands that change the fleet");
    }

    @Test
    void benchRefusesAnOutDirectoryItCannotWriteBeforeRunningWithoutAStackTrace(
        @org.junit.jupiter.api.io.TempDir final java.nio.file.Path dir) throws Exception
    {
        final java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("results"), "a file");
        final DemoCommandTest.Run run = run("bench", "--quick", "--out", file.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("error: ").contains("--out " + file + " is a file", "give a directory")
            .doesNotContain("\tat ", "Exception in thread", "IllegalStateException");
        assertThat(run.err()).as("refused before any system ran").doesNotContain("ringmaster at");
    }

    @Test
    void verboseBeforeOrAfterTheCommandAddsTheStackTraceOfAFailure(
        @org.junit.jupiter.api.io.TempDir final java.nio.file.Path dir) throws Exception
    {
        final String file = java.nio.file.Files.writeString(dir.resolve("results"), "a file").toString();
        for (final String[] args : java.util.List.of(new String[] {"bench", "--quick", "--verbose", "--out", file},
            new String[] {"--verbose", "bench", "--quick", "--out", file}))
        {
            final DemoCommandTest.Run run = run(args);
            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).startsWith("error: --out " + file + " is a file")
                .contains("java.lang.IllegalStateException", "\tat dev.ringmaster.tools.BenchCommand");
        }
    }

    @Test
    void verboseAddsNoStackTraceToAUsageError()
    {
        final DemoCommandTest.Run run = run("demo", "--verbose", "--tasks", "abc");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--tasks", "'abc' is not a whole number").doesNotContain("\tat ");
    }
}
