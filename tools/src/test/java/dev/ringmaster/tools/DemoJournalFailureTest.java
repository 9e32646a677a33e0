package dev.ringmaster.tools;

import dev.ringmaster.journal.Durability;
import dev.ringmaster.journal.JournalConfig;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A demo whose journal writer fails is not ok, whenever the writer fails: in its last drain, after the dispatcher
 * drained, or while acknowledged producers wait for their acknowledgements.
 */
class DemoJournalFailureTest
{
    private static final long BASE_MILLIS = 1_800_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void aWriterThatFailsInItsLastDrainFailsTheRun() throws Exception
    {
        final Thread demo = Thread.currentThread();
        // the writer holds back every record until the journal is being closed, then its next cycle cannot be made
        final BlockingWriterClock clock = new BlockingWriterClock(() -> closing(demo), dir);
        final DemoJournal journal = DemoJournal.open(config(clock, Durability.ASYNC));

        final DemoReport report = DemoRun.run(settings(300), journal, getClass().getClassLoader(), null,
            new AtomicBoolean());

        assertThat(clock.released).as("the writer was held until the close").isTrue();
        assertThat(report.ok()).as("%s", report.problems()).isFalse();
        assertThat(report.problems()).anySatisfy(p -> assertThat(p).contains("the journal did not record everything",
            "its writer failed"));
    }

    @Test
    void acknowledgedProducersWhoseAcknowledgementsFailAreCountedAndTheRunFails() throws Exception
    {
        // the writer holds back the records until a producer waits for its oldest acknowledgement, then fails
        final BlockingWriterClock clock = new BlockingWriterClock(DemoJournalFailureTest::aProducerAwaitsAnAck, dir);
        final DemoJournal journal = DemoJournal.open(config(clock, Durability.ACKNOWLEDGED));
        final Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
        final AtomicBoolean uncaught = new AtomicBoolean();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> uncaught.set(true));
        final DemoReport report;
        try
        {
            report = DemoRun.run(settings(4 * DemoJournal.ACK_WINDOW), journal, getClass().getClassLoader(), null,
                new AtomicBoolean());
        }
        finally
        {
            Thread.setDefaultUncaughtExceptionHandler(before);
        }

        assertThat(clock.released).as("released by a producer waiting, not by the deadline").isTrue();
        assertThat(uncaught).as("a producer thread died of an uncaught exception").isFalse();
        assertThat(report.ok()).isFalse();
        assertThat(report.problems()).anySatisfy(p -> assertThat(p).contains("the journal did not record everything"))
            .noneSatisfy(p -> assertThat(p).contains("submit() returned ACCEPTED"));
        assertThat(report.toJson()).contains("JOURNAL_FAILED");
    }

    private JournalConfig config(final TimeProvider clock, final Durability durability)
    {
        return JournalConfig.at(dir).durability(durability).rollCycle(TestRollCycles.TEST_SECONDLY).clock(clock);
    }

    private static DemoSettings settings(final int tasks)
    {
        return new DemoSettings(tasks, "least-connections", 7, 2, 0, 1024, 0.0, Duration.ofSeconds(30), null, false,
            Duration.ZERO);
    }

    /** @return whether {@code thread} is closing the journal (inside its writer runner's close). */
    static boolean closing(final Thread thread)
    {
        for (final StackTraceElement e : thread.getStackTrace())
        {
            if (e.getClassName().equals("org.agrona.concurrent.AgentRunner") && e.getMethodName().equals("close"))
            {
                return true;
            }
        }
        return false;
    }

    private static boolean aProducerAwaitsAnAck()
    {
        for (final java.util.Map.Entry<Thread, StackTraceElement[]> t : Thread.getAllStackTraces().entrySet())
        {
            if (t.getKey().getName().startsWith("demo-producer-"))
            {
                for (final StackTraceElement e : t.getValue())
                {
                    if (e.getMethodName().equals("awaitOldest"))
                    {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * The journal's clock: the writer thread's first reading waits until {@code release} holds (60 s at most), and
     * from then on the writer sees the next second, whose cycle file cannot be created; thread-safe.
     */
    static final class BlockingWriterClock implements TimeProvider
    {
        private final BooleanSupplier release;
        private final Path next;
        volatile boolean released;
        private volatile boolean moved;

        BlockingWriterClock(final BooleanSupplier release, final Path dir)
        {
            this.release = release;
            this.next = dir.resolve(DateTimeFormatter.ofPattern(TestRollCycles.TEST_SECONDLY.format())
                .withZone(ZoneOffset.UTC).format(Instant.ofEpochMilli(BASE_MILLIS + 1_000)) + ".cq4");
        }

        @Override
        public long currentTimeMillis()
        {
            if (!Thread.currentThread().getName().equals("ringmaster-journal-writer"))
            {
                return moved ? BASE_MILLIS + 1_000 : BASE_MILLIS;
            }
            if (!moved)
            {
                final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (!(released = release.getAsBoolean()) && System.nanoTime() - deadline < 0)
                {
                    try
                    {
                        Thread.sleep(5);
                    }
                    catch (final InterruptedException e)
                    {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
                try
                {
                    // only now: the journal's open reads every cycle file, and would fail on this one at once
                    Files.createDirectory(next); // the next cycle's name taken, the roll fails as a full disk would
                }
                catch (final java.io.IOException e)
                {
                    throw new java.io.UncheckedIOException(e);
                }
                moved = true;
            }
            return BASE_MILLIS + 1_000;
        }
    }
}
