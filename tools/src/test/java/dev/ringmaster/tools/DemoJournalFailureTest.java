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
 * A demo whose journal writer fails is not ok, whenever the writer fails: also in its last drain, after the dispatcher
 * drained.
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
    private static boolean closing(final Thread thread)
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

    /**
     * The journal's clock: the writer thread's first reading waits until {@code release} holds (60 s at most), and
     * from then on the writer sees the next second, whose cycle file cannot be created; thread-safe.
     */
    private static final class BlockingWriterClock implements TimeProvider
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
