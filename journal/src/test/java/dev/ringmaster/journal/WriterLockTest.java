package dev.ringmaster.journal;

import dev.ringmaster.model.Task;
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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A reader can tell a journal still being written from a finished one, in this process and in others, and a journal
 * has one writer at a time (CrashRecoveryTest checks that a killed writer does not look alive).
 */
class WriterLockTest
{
    @TempDir
    Path dir;

    @Test
    void aJournalIsBeingWrittenExactlyWhileAWriterHasItOpen()
    {
        assertThat(Journal.isBeingWritten(dir)).as("no journal yet").isFalse();
        try (Journal journal = Journal.open(JournalConfig.at(dir)))
        {
            assertThat(Journal.isBeingWritten(dir)).isTrue();
        }
        assertThat(Journal.isBeingWritten(dir)).as("after close").isFalse();
        try (Journal reopened = Journal.open(JournalConfig.at(dir)))
        {
            assertThat(Journal.isBeingWritten(dir)).as("a writer that opens it again").isTrue();
        }
    }

    /** On Linux, closing any descriptor of a file drops every record lock the process holds on it. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void looksAtTheJournalFromTheWritersOwnProcessLeaveItLiveForOtherProcesses() throws Exception
    {
        try (Journal journal = Journal.open(JournalConfig.at(dir)))
        {
            journal.recordRecovered(Task.builder("coder").id(1L).build(), "c");
            ReaderTest.awaitWritten(journal, 1L);
            assertThat(Journal.isBeingWritten(dir)).isTrue();
            try (JournalReader reader = JournalReader.open(dir))
            {
                assertThat(reader.events()).hasSize(1);
            }
            assertThat(child(dir, "live")).as("another process, after this one looked").isEqualTo("live true");
        }
        assertThat(child(dir, "live")).as("another process, after the writer closed").isEqualTo("live false");
    }

    @Test
    void aSecondWriterInTheSameProcessIsRefusedAndTheFirstKeepsItsLock() throws Exception
    {
        try (Journal journal = Journal.open(JournalConfig.at(dir)))
        {
            assertThatThrownBy(() -> Journal.open(JournalConfig.at(dir)).close())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(dir.toAbsolutePath().toString())
                .hasMessageContaining("one writer")
                .hasMessageContaining("this process");
            assertThat(Journal.isBeingWritten(dir)).isTrue();
            assertThat(child(dir, "live")).as("another process, after the refused writer").isEqualTo("live true");
        }
        assertThat(Journal.isBeingWritten(dir)).isFalse();
        try (Journal again = Journal.open(JournalConfig.at(dir)))
        {
            assertThat(Journal.isBeingWritten(dir)).as("the directory is free again once its writer closed").isTrue();
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aWriterInAnotherProcessIsRefused() throws Exception
    {
        try (Journal journal = Journal.open(JournalConfig.at(dir)))
        {
            assertThat(child(dir, "open")).startsWith("refused: ").contains(dir.toString()).contains("one writer")
                .contains("another process");
        }
        assertThat(child(dir, "open")).isEqualTo("opened");
    }

    /** @return the first line the child printed. */
    static String child(final Path dir, final String mode) throws IOException, InterruptedException
    {
        final Process p = start(dir, mode);
        try
        {
            assertThat(p.waitFor(40, TimeUnit.SECONDS)).as("the child finished").isTrue();
            final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return out.lines().findFirst().orElse("");
        }
        finally
        {
            p.destroyForcibly();
        }
    }

    /** @return a {@link WriterLockChild} started in {@code mode} on {@code dir}; the caller ends it. */
    static Process start(final Path dir, final String mode) throws IOException
    {
        final List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (final String f : System.getProperty("ringmaster.jvm.flags", "").trim().split("\\s+"))
        {
            if (!f.isEmpty())
            {
                cmd.add(f);
            }
        }
        cmd.add("-Xmx128m");
        cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(WriterLockChild.class.getName());
        cmd.add(mode);
        cmd.add(dir.toString());
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }
}
