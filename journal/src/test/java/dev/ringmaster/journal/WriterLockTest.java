package dev.ringmaster.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reader can tell a journal still being written from a finished one (CrashRecoveryTest checks it across processes,
 * and that a killed writer does not look alive).
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
            try (Journal second = Journal.open(JournalConfig.at(dir)))
            {
                assertThat(Journal.isBeingWritten(dir)).as("two writers of one JVM").isTrue();
            }
        }
        assertThat(Journal.isBeingWritten(dir)).as("after close").isFalse();
        try (Journal reopened = Journal.open(JournalConfig.at(dir)))
        {
            assertThat(Journal.isBeingWritten(dir)).as("a writer that opens it again").isTrue();
        }
    }
}
