package dev.ringmaster.tools;

import dev.ringmaster.journal.Journal;
import dev.ringmaster.journal.JournalConfig;
import dev.ringmaster.model.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.ringmaster.tools.DemoCommandTest.json;
import static dev.ringmaster.tools.DemoCommandTest.num;
import static dev.ringmaster.tools.DemoCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ringmaster recover --abandon-unrecoverable}: the operator's way to close open tasks that cannot be rebuilt,
 * which otherwise fail every later recovery.
 */
class RecoverAbandonTest
{
    @TempDir
    Path tmp;

    /** A crashed run's open tasks: 10 whole, 11 journaled without the payload its codec could not encode. */
    private Path journalWithAnUnrecoverableTask(final boolean withRecoverable)
    {
        final Path dir = tmp.resolve("journal");
        try (Journal writer = Journal.open(JournalConfig.at(dir)))
        {
            if (withRecoverable)
            {
                assertThat(writer.recordRecovered(Task.builder("coder").id(10).payload("keep me").build(), "left open"))
                    .isTrue();
            }
            assertThat(writer.recordRecovered(Task.builder("coder").id(11).payload(new Object()).build(), "left open"))
                .isTrue();
        }
        return dir;
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void abandonedTasksAreClosedSoTheNextRecoveryFindsNothingOpenWhileRecoverableOnesAreStillDispatched()
    {
        final Path dir = journalWithAnUnrecoverableTask(true);

        final DemoCommandTest.Run abandon = run("recover", dir.toString(), "--abandon-unrecoverable", "--json");
        assertThat(abandon.exitCode()).as("stderr: %s", abandon.err()).isZero();
        final Map<String, Object> r = json(abandon);
        assertThat(num(r, "abandoned")).isEqualTo(1);
        assertThat(num(r, "unrecoverable")).as("what the scan found").isEqualTo(1);
        assertThat(num(r, "left_open")).as("nothing stays open: one abandoned, one recovered").isZero();
        assertThat(num(r, "recovered")).as("the rebuildable task is dispatched, not abandoned").isEqualTo(1);
        assertThat(num(r, "completed") + num(r, "dead_lettered") + num(r, "expired")).isEqualTo(1);

        final DemoCommandTest.Run again = run("recover", dir.toString(), "--json");
        assertThat(again.exitCode()).as("stderr: %s", again.err()).isZero();
        assertThat(num(json(again), "open")).isZero();
        assertThat(num(json(again), "abandoned")).isZero();

        final DemoCommandTest.Run audit = run("audit", dir.toString(), "11");
        assertThat(audit.exitCode()).as("stderr: %s", audit.err()).isZero();
        assertThat(audit.out()).contains("CANCELLED", "abandoned by the operator: could not be rebuilt (",
            "codec could not encode").doesNotContain("no end");
        assertThat(run("audit", dir.toString(), "10").out()).doesNotContain("abandoned");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theTextReportNamesEachAbandonedTaskAndALaterRecoveryExitsZero()
    {
        final Path dir = journalWithAnUnrecoverableTask(false);

        final DemoCommandTest.Run abandon = run("recover", dir.toString(), "--abandon-unrecoverable");
        assertThat(abandon.exitCode()).as("stderr: %s", abandon.err()).isZero();
        assertThat(abandon.out()).contains("1 open: 0 recoverable, 1 unrecoverable",
            "abandoned task 11 (coder): could not be rebuilt");
        assertThat(abandon.err()).doesNotContain("error");

        final DemoCommandTest.Run again = run("recover", dir.toString());
        assertThat(again.exitCode()).as("stderr: %s", again.err()).isZero();
        assertThat(again.out()).contains("0 open: 0 recoverable, 0 unrecoverable");
    }

    @Test
    void abandoningInADryRunIsAUsageErrorAndWritesNothing()
    {
        final Path dir = journalWithAnUnrecoverableTask(false);

        assertThat(num(json(run("recover", dir.toString(), "--dry-run", "--json")), "left_open")).isEqualTo(1);
        final DemoCommandTest.Run both = run("recover", dir.toString(), "--dry-run", "--abandon-unrecoverable");
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("--abandon-unrecoverable", "--dry-run");
        assertThat(RecoverCommandTest.openIn(dir)).as("nothing was journaled").isEqualTo(1);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void abandoningOnADamagedJournalIsRefusedAndWritesNothingEvenWithAcceptDamage() throws java.io.IOException
    {
        final Path dir = tmp.resolve("journal");
        try (Journal writer = Journal.open(JournalConfig.at(dir)))
        {
            for (int id = 11; id <= 200; id++)
            {
                assertThat(writer.recordRecovered(Task.builder("coder").id(id).payload(new Object()).build(),
                    "left open")).isTrue();
            }
        }
        final Path cycle = RecoverCommandTest.cycleFile(dir);
        try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(cycle.toFile(), "rw"))
        {
            raf.seek(RecoverCommandTest.lastNonZero(raf) - 200); // inside the last document
            raf.write(new byte[64]);
        }
        final DemoCommandTest.Run dry = run("recover", dir.toString(), "--dry-run", "--json");
        assertThat(json(dry).get("damage")).as("the journal is damaged: %s", dry.out()).isNotNull();
        final long openBefore = num(json(dry), "open");

        final DemoCommandTest.Run abandon = run("recover", dir.toString(), "--abandon-unrecoverable",
            "--accept-damage");
        assertThat(abandon.exitCode()).isEqualTo(1);
        assertThat(abandon.err()).contains("--abandon-unrecoverable", "damaged", "restore");
        assertThat(abandon.out()).doesNotContain("abandoned task");
        assertThat(num(json(run("recover", dir.toString(), "--dry-run", "--json")), "open"))
            .as("nothing was journaled").isEqualTo(openBefore);
    }

    @Test
    void theHelpDescribesTheOption()
    {
        assertThat(run("recover", "--help").out()).contains("--abandon-unrecoverable", "\"abandoned\"",
            "\"abandoned_tasks\"", "\"left_open\"");
    }
}
