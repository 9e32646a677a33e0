package dev.ringmaster.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A journal that fails to open leaves nothing open behind it: no queue, no writer lock. */
class JournalOpenFailureTest
{
    @TempDir
    Path dir;

    @Test
    void aJournalThatFailsToOpenWithAnErrorLeavesNoWriterBehind()
    {
        // a ring larger than the test JVM's direct memory (-Xmx1g): its allocation, after the queue is built, throws
        // an OutOfMemoryError without allocating anything
        assertThatThrownBy(() -> Journal.open(JournalConfig.at(dir).ringCapacity(1 << 30)))
            .isInstanceOf(OutOfMemoryError.class);
        assertThat(Journal.isBeingWritten(dir)).as("neither the writer lock nor the queue is left open").isFalse();
        try (Journal journal = Journal.open(JournalConfig.at(dir)))
        {
            assertThat(journal.recordAdmin("POST /x", "here", 200, "done")).isTrue();
        }
        assertThat(Journal.isBeingWritten(dir)).isFalse();
    }
}
