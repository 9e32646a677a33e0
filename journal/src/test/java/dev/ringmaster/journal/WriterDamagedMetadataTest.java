package dev.ringmaster.journal;

import dev.ringmaster.model.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A writer opening a journal whose queue metadata file has an overwritten header: Chronicle Queue waited about 10 s
 * for a lock it could never claim before it failed. Refused at once, with the reader's message and fix.
 */
class WriterDamagedMetadataTest
{
    @TempDir
    Path dir;

    @Test
    void aWriterRefusesAMetadataFileWithAnOverwrittenHeaderAtOnceWithTheFix() throws Exception
    {
        try (Journal journal = Journal.open(JournalConfig.at(dir)))
        {
            journal.recordRecovered(Task.builder("coder").id(1).payload("p").build(), "a record to have a cycle file");
        }
        final Path metadata = dir.resolve("metadata.cq4t");
        final byte[] junk = new byte[200];
        new java.util.Random(1).nextBytes(junk);
        try (RandomAccessFile raf = new RandomAccessFile(metadata.toFile(), "rw"))
        {
            raf.write(junk);
        }

        final long start = System.nanoTime();
        assertThatThrownBy(() -> Journal.open(JournalConfig.at(dir)).close())
            .isInstanceOf(IllegalStateException.class)
            .hasMessageStartingWith("cannot open the journal in " + dir + ": its queue metadata file " + metadata)
            .hasMessageContaining("its header is not one Chronicle Queue writes")
            .hasMessageContaining("Move it aside (mv ");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("refused before Chronicle waits for its lock")
            .isLessThan(Duration.ofSeconds(3));
        assertThat(Journal.isBeingWritten(dir)).as("the writer lock is released").isFalse();
    }
}
