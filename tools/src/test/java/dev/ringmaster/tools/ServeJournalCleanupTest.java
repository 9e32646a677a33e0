package dev.ringmaster.tools;

import dev.ringmaster.journal.Journal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** A serve that fails after opening its journal closes it: no writer thread and no writer lock are left behind. */
class ServeJournalCleanupTest
{
    private static final String AERON_DIR = "aeron.dir";

    @Test
    void aServeWhoseAgentHostsDoNotComeUpClosesItsJournal(@TempDir final Path tmp) throws Exception
    {
        final Path journal = tmp.resolve("journal");
        // every Aeron directory made under a regular file: the media drivers cannot start, so neither do the hosts
        final Path notADirectory = Files.createFile(tmp.resolve("file"));
        final Set<Thread> writersBefore = journalWriters();
        final String aeronDir = System.getProperty(AERON_DIR);
        System.setProperty(AERON_DIR, notADirectory.resolve("aeron").toString());
        final DemoCommandTest.Run run;
        try
        {
            run = DemoCommandTest.run("serve", "--journal", journal.toString(), "--remote-hosts", "1", "--port", "0",
                "--duration", "1");
        }
        finally
        {
            if (aeronDir == null)
            {
                System.clearProperty(AERON_DIR);
            }
            else
            {
                System.setProperty(AERON_DIR, aeronDir);
            }
        }

        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        assertThat(run.err()).contains("error: the agent hosts did not come up");
        assertThat(Journal.isBeingWritten(journal)).as("the journal's writer lock is still held").isFalse();
        assertThat(journalWriters()).as("journal writer threads left running").isSubsetOf(writersBefore);
    }

    private static Set<Thread> journalWriters()
    {
        return Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.isAlive() && t.getName().equals("ringmaster-journal-writer")).collect(Collectors.toSet());
    }
}
