package dev.ringmaster.journal;

import dev.ringmaster.model.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static dev.ringmaster.journal.WriterLockTest.child;

/**
 * A recovery claims the journal before it scans it, so that a second recovery started at the same moment (in another
 * process or this one) finds it taken instead of scanning the same open tasks and redispatching them too.
 */
class WriterClaimTest
{
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void fromTheClaimBeforeTheScanToTheRecoveringJournalsCloseNoOtherProcessCanRecoverOrWrite() throws Exception
    {
        try (Journal crashed = Journal.open(JournalConfig.at(dir)))
        {
            crashed.recordRecovered(Task.builder("coder").id(7L).build(), "c");
            ReaderTest.awaitWritten(crashed, 1L);
        }
        try (WriterClaim claim = WriterClaim.take(dir))
        {
            assertThat(claim).isNotNull();
            assertThat(WriterClaim.take(dir)).as("a second recovery of this process").isNull();
            assertThat(child(dir, "claim")).as("a recovery in another process").isEqualTo("claim refused");
            assertThat(child(dir, "live")).as("another process").isEqualTo("live true");
            assertThat(Journal.isBeingWritten(dir)).as("this process claimed it, nobody writes it yet").isFalse();
            final RecoveryPlan plan = Recovery.scan(dir, PayloadCodec.standard());
            assertThat(plan.pending()).extracting(Task::id).containsExactly(7L);
            try (Journal journal = Journal.open(JournalConfig.at(dir)))
            {
                assertThat(Journal.isBeingWritten(dir)).isTrue();
                claim.close(); // the journal has the lock now
                assertThat(child(dir, "claim")).as("with the journal open").isEqualTo("claim refused");
                assertThatThrownBy(() -> Journal.open(JournalConfig.at(dir)).close())
                    .hasMessageContaining("one writer");
            }
        }
        assertThat(child(dir, "claim")).as("after the recovering journal closed").isEqualTo("claimed");
    }

    @Test
    void aClaimNoJournalTookOverIsReleasedOnClose()
    {
        try (Journal first = Journal.open(JournalConfig.at(dir)))
        {
            assertThat(WriterClaim.take(dir)).as("while a journal writes").isNull();
        }
        WriterClaim.take(dir).close();
        try (WriterClaim claim = WriterClaim.take(dir))
        {
            assertThat(claim).isNotNull();
        }
        try (Journal again = Journal.open(JournalConfig.at(dir)))
        {
            assertThat(Journal.isBeingWritten(dir)).isTrue();
        }
        assertThat(Journal.isBeingWritten(dir)).isFalse();
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aJournalThatFailsToOpenLeavesTheClaimItTookOverHeld() throws Exception
    {
        try (WriterClaim claim = WriterClaim.take(dir))
        {
            assertThat(claim).isNotNull();
            // a ring larger than the test JVM's direct memory fails the open after the lock was taken over
            // (JournalOpenFailureTest)
            assertThatThrownBy(() -> Journal.open(JournalConfig.at(dir).ringCapacity(1 << 30)))
                .isInstanceOf(OutOfMemoryError.class);
            assertThat(child(dir, "claim")).as("a recovery in another process, after the failed open")
                .isEqualTo("claim refused");
            final WriterClaim second = WriterClaim.take(dir);
            try
            {
                assertThat(second).as("a second recovery of this process").isNull();
            }
            finally
            {
                if (second != null)
                {
                    second.close();
                }
            }
            assertThat(Journal.isBeingWritten(dir)).as("claimed again, nobody writes it").isFalse();
            try (Journal journal = Journal.open(JournalConfig.at(dir)))
            {
                assertThat(Journal.isBeingWritten(dir)).as("the next open takes the claim over").isTrue();
            }
        }
        assertThat(child(dir, "claim")).as("after the claim and its journal closed").isEqualTo("claimed");
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aClaimWaitingOutAnotherProcesssLockDoesNotHoldUpLookingAtAnotherJournal(@TempDir final Path other)
        throws Exception
    {
        Journal.open(JournalConfig.at(other)).close(); // a lock file to probe
        final Process holder = WriterLockTest.start(dir, "hold");
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicInteger refused = new AtomicInteger();
        // each take waits out the probe time (a reader's probe of the other process could be what holds the lock)
        final Thread claimer = new Thread(() ->
        {
            while (!stop.get())
            {
                final WriterClaim claim = WriterClaim.take(dir);
                if (claim == null)
                {
                    refused.incrementAndGet();
                }
                else
                {
                    claim.close();
                }
            }
        }, "claimer");
        try
        {
            assertThat(new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))
                .readLine()).isEqualTo("holding");
            claimer.start();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (refused.get() == 0)
            {
                assertThat(System.nanoTime() - deadline).as("a take refused within 20 s").isNegative();
                Thread.sleep(1);
            }
            for (int i = 0; i < 5; i++)
            {
                final long t0 = System.nanoTime();
                assertThat(Journal.isBeingWritten(other)).isFalse();
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0))
                    .as("ms to look at another journal while a take waits on this one").isLessThan(250);
                Thread.sleep(37);
            }
        }
        finally
        {
            stop.set(true);
            claimer.join(TimeUnit.SECONDS.toMillis(20));
            holder.destroyForcibly();
        }
        assertThat(claimer.isAlive()).isFalse();
    }

    @Test
    void aMissingDirectoryIsNamedAsTheScanNamesIt()
    {
        assertThatThrownBy(() -> WriterClaim.take(dir.resolve("nope")))
            .isInstanceOf(JournalException.class).hasMessageContaining("does not exist");
    }
}
