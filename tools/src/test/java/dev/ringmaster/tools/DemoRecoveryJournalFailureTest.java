package dev.ringmaster.tools;

import dev.ringmaster.journal.Durability;
import dev.ringmaster.journal.Journal;
import dev.ringmaster.journal.JournalConfig;
import dev.ringmaster.journal.PayloadCodec;
import dev.ringmaster.journal.Recovery;
import dev.ringmaster.journal.RecoveryPlan;
import dev.ringmaster.model.Task;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A recovery whose journal writer fails before it wrote the abandonments (in a drain or in the close) does not report as done
 * what was only queued.
 */
class DemoRecoveryJournalFailureTest
{
    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void anAbandonmentTheWriterFailedToWriteIsNotReportedAsAbandonedButAsNotWritten()
    {
        final Path crashed = tmp.resolve("crashed");
        try (Journal writer = Journal.open(JournalConfig.at(crashed)))
        {
            assertThat(writer.recordRecovered(Task.builder("coder").id(10).payload("keep me").build(), "left open"))
                .isTrue();
            assertThat(writer.recordRecovered(Task.builder("coder").id(11).payload(new Object()).build(), "left open"))
                .isTrue();
        }
        final RecoveryPlan plan = Recovery.scan(crashed, PayloadCodec.standard());
        assertThat(plan.unrecoverableTasks()).hasSize(1);
        // a task to dispatch keeps the journal open until its writer thread runs (closed before, the runner would
        // drain the ring on the closing thread). The recovery's journal: its writer holds every record back until
        // the recovery waits for them, then cannot make its cycle file
        final Path target = tmp.resolve("target");
        final Thread recovering = Thread.currentThread();
        final DemoJournalFailureTest.BlockingWriterClock clock =
            new DemoJournalFailureTest.BlockingWriterClock(() -> closingTheJournal(recovering), target);
        final JournalConfig config = JournalConfig.at(target).durability(Durability.ACKNOWLEDGED)
            .payloadCodec(PayloadCodec.standard()).rollCycle(TestRollCycles.TEST_SECONDLY).clock(clock);

        final DemoRecovery.Outcome outcome = DemoRecovery.run(config, plan, 42, Duration.ofMillis(500), true);

        assertThat(clock.released).as("the writer was held until the close").isTrue();
        assertThat(outcome.journalError()).as("the failure in the close's last drain is the recovery's").isNotNull();
        assertThat(outcome.abandoned()).as("no abandonment is known to be written").isEmpty();
        assertThat(outcome.notWritten()).hasSize(1);
    }

    /**
     * @return whether {@code thread} is inside {@link Journal#close} or waits for the acknowledgements of the
     *     redispatched tasks: every record the recovery makes is queued, none written.
     */
    private static boolean closingTheJournal(final Thread thread)
    {
        for (final StackTraceElement e : thread.getStackTrace())
        {
            if (e.getClassName().equals(Journal.class.getName()) && e.getMethodName().equals("close")
                || e.getClassName().equals(RecoveryPlan.class.getName()) && e.getMethodName().equals("rejected"))
            {
                return true;
            }
        }
        return false;
    }
}
