package dev.ringmaster.tools;

import dev.ringmaster.journal.Audit;
import dev.ringmaster.journal.EventType;
import dev.ringmaster.journal.Journal;
import dev.ringmaster.journal.JournalConfig;
import dev.ringmaster.journal.JournalEvent;
import dev.ringmaster.journal.JournalReader;
import dev.ringmaster.journal.PayloadCodec;
import dev.ringmaster.journal.WriterClaim;
import dev.ringmaster.model.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static dev.ringmaster.tools.DemoCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code recover} and {@code serve} claim the journal before they scan it: one started while another recovery holds
 * the claim (it scanned and has not opened the journal yet) refuses, instead of redispatching the same open tasks.
 */
class RecoveryClaimTest
{
    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aRecoveryStartedWhileAnotherHoldsTheJournalsClaimDispatchesNothing()
    {
        final Path dir = journalWithOpenTask(PayloadCodec.standard());
        try (WriterClaim other = WriterClaim.take(dir))
        {
            assertThat(other).isNotNull();
            final DemoCommandTest.Run recover = run("recover", dir.toString());
            assertThat(recover.exitCode()).as("stdout: %s%nstderr: %s", recover.out(), recover.err()).isEqualTo(1);
            assertThat(recover.err()).contains("recovery refused", "run them twice");
        }
        assertThat(historyOf7(dir)).as("task 7 was not dispatched a second time").containsExactly(EventType.RECOVERED);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aServeStartedWhileAnotherHoldsTheJournalsClaimDispatchesNothing()
    {
        final Path dir = journalWithOpenTask(WorkCodec.INSTANCE);
        try (WriterClaim other = WriterClaim.take(dir))
        {
            assertThat(other).isNotNull();
            final DemoCommandTest.Run serve = run("serve", "--port", "0", "--journal", dir.toString(), "--duration",
                "1", "--rate", "100", "--token", "t0ken");
            assertThat(serve.exitCode()).as("stdout: %s%nstderr: %s", serve.out(), serve.err()).isEqualTo(1);
            assertThat(serve.err()).contains("run them twice").doesNotContain("recovered");
        }
        assertThat(historyOf7(dir)).as("task 7 was not dispatched a second time").containsExactly(EventType.RECOVERED);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aRecoveryWhoseScanFailsLeavesNoClaimBehind()
    {
        final Path dir = foreignQueue();
        final DemoCommandTest.Run recover = run("recover", dir.toString());
        assertThat(recover.exitCode()).as("stdout: %s%nstderr: %s", recover.out(), recover.err()).isNotZero();
        assertThat(recover.err()).contains("not a Ringmaster journal");
        assertClaimable(dir);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aServeWhoseScanFailsLeavesNoClaimBehind()
    {
        final Path dir = foreignQueue();
        final DemoCommandTest.Run serve = run("serve", "--port", "0", "--journal", dir.toString(), "--duration", "1",
            "--rate", "100", "--token", "t0ken");
        assertThat(serve.exitCode()).as("stdout: %s%nstderr: %s", serve.out(), serve.err()).isNotZero();
        assertThat(serve.err()).contains("not a Ringmaster journal");
        assertClaimable(dir);
    }

    /** Held by nobody: a claim left behind would make every later serve or recover of this JVM refuse it. */
    private static void assertClaimable(final Path dir)
    {
        try (WriterClaim claim = WriterClaim.take(dir))
        {
            assertThat(claim).as("a claim of the journal after the command").isNotNull();
        }
    }

    /** @return a valid Chronicle queue that another program wrote (BadInputTest's). */
    private Path foreignQueue()
    {
        Journal.open(JournalConfig.at(tmp.resolve("setup"))).close(); // sets the JVM up for Chronicle
        final Path dir = tmp.resolve("foreign-queue");
        try (var queue = net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder.binary(dir).build())
        {
            queue.createAppender().writeText("order 1 shipped");
        }
        return dir;
    }

    /** @return a journal whose writer closed with task 7 open in it. */
    private Path journalWithOpenTask(final PayloadCodec codec)
    {
        final Path dir = tmp.resolve("journal");
        try (Journal writer = Journal.open(JournalConfig.at(dir).payloadCodec(codec)))
        {
            assertThat(writer.recordRecovered(Task.builder("coder").id(7).payload("in hand").build(), "in flight"))
                .isTrue();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (writer.stats().recordsWritten() < 1)
            {
                assertThat(System.nanoTime() - deadline).as("the writer wrote the record within 20 s").isNegative();
                Thread.onSpinWait();
            }
        }
        return dir;
    }

    private static java.util.List<EventType> historyOf7(final Path dir)
    {
        try (JournalReader reader = JournalReader.open(dir))
        {
            return Audit.history(reader, 7).stream().map(JournalEvent::type).toList();
        }
    }
}
