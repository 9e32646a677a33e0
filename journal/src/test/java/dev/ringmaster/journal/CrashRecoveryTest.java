package dev.ringmaster.journal;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.testing.Await;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 for real: a child JVM dispatches with an ACKNOWLEDGED journal and is killed with SIGKILL after a number of
 * acknowledgements; recovery in this JVM must then finish every acknowledged task. Zero lost.
 */
class CrashRecoveryTest
{
    private static final int TASKS = 40_000;

    @TempDir
    Path dir;

    /**
     * Twelve kill points. Every one lands mid-batch in practice (acknowledged submitters keep the writer draining);
     * with {@code secondly} the journal rolls to a new cycle file every second, so the kill finds several rolls
     * behind it and may land in one.
     */
    @ParameterizedTest(name = "killed after {0} acknowledgements, roll cycle {1}")
    @CsvSource({"1, daily", "200, daily", "2000, daily", "8000, daily", "16000, daily", "30000, daily",
        "50, secondly", "1000, secondly", "4000, secondly", "12000, secondly", "24000, secondly", "36000, secondly"})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everyAcknowledgedTaskCompletesBeforeTheKillOrAfterRecovery(final int killAfter, final String roll)
        throws Exception
    {
        killAndRecover(killAfter, roll, -1);
    }

    /**
     * Killed during a roll, with the next cycle file created and still without its header: 0 bytes (not yet sized)
     * or sized and all zeros (mapped, the header not yet written). A kill cannot be aimed at that instant from outside,
     * so the test leaves the file after the kill, which gives the same files: nothing runs after a SIGKILL. Nothing is
     * lost, recovery needs no accepted damage, and the empty file is a note.
     */
    @ParameterizedTest(name = "killed during a roll, the new cycle file at {0} bytes")
    @org.junit.jupiter.params.provider.ValueSource(longs = {0, 16L << 20})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aKillDuringARollLosesNoAcknowledgedTaskAndIsNoDamage(final long size) throws Exception
    {
        final RecoveryPlan plan = killAndRecover(3000, "hourly", size);
        assertThat(plan.notes()).singleElement().asString().contains("a crash during a roll); nothing was lost");
    }

    /**
     * @param rollStartedBytes if not negative, the size of the next cycle file the kill leaves, started and without a
     *     header (the roll cycle must be hourly).
     * @return the recovery plan of the scan after the kill.
     */
    private RecoveryPlan killAndRecover(final int killAfter, final String roll, final long rollStartedBytes)
        throws Exception
    {
        final Set<Long> acked = ConcurrentHashMap.newKeySet();
        final Process child = startChild(roll);
        final CountDownLatch reached = new CountDownLatch(1);
        final Thread pump = new Thread(() -> pump(child, acked, killAfter, reached), "child-stdout");
        pump.setDaemon(true);
        pump.start();
        try
        {
            assertThat(reached.await(40, TimeUnit.SECONDS)).as("child reached %d acks", killAfter).isTrue();
            assertThat(Journal.isBeingWritten(dir)).as("another process writes the journal").isTrue();
        }
        finally
        {
            child.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no journal close; never left running
        }
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(Journal.isBeingWritten(dir)).as("the kill released the writer's lock").isFalse();
        Await.joined(pump);
        assertThat(acked.size()).isGreaterThanOrEqualTo(killAfter);
        if (rollStartedBytes >= 0)
        {
            startRoll(rollStartedBytes);
        }

        final Set<Long> completedBefore = completed();
        final RecoveryPlan plan = Recovery.scan(dir, PayloadCodec.standard());
        assertThat(plan.corruption()).isNull();
        assertThat(plan.unrecoverable()).isEmpty();
        final long cycles;
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dir))
        {
            cycles = files.filter(p -> p.getFileName().toString().matches("\\d{8}.*\\.cq4")).count();
        }
        System.out.printf("killed after %d acks (%s): %d acknowledged, %d completed before the kill, %d to recover, " +
            "%d cycle file(s)%n", killAfter, roll, acked.size(), completedBefore.size(), plan.pending().size(), cycles);
        try (Journal journal = Journal.open(JournalConfig.at(dir).durability(Durability.ACKNOWLEDGED)))
        {
            final Dispatcher d = Fleet.start(3, journal.listener());
            final List<CompletableFuture<Long>> acks = plan.redispatch(journal, d, Duration.ofSeconds(10));
            assertThat(RecoveryPlan.rejected(acks)).isZero();
            assertThat(d.drain(Duration.ofSeconds(30))).isTrue();
        }

        final Set<Long> completedAfter = completed();
        final List<Long> lost = new ArrayList<>();
        for (final long id : acked)
        {
            if (!completedAfter.contains(id))
            {
                lost.add(id);
            }
        }
        assertThat(lost).as("acknowledged tasks neither completed before the kill nor after recovery").isEmpty();
        // recovery re-ran exactly the open ones, and the journal shows it
        final Set<Long> recovered = new HashSet<>();
        try (JournalReader reader = JournalReader.open(dir))
        {
            reader.readToEnd(r ->
            {
                if (r.type() == EventType.RECOVERED)
                {
                    recovered.add(r.taskId());
                }
            });
        }
        assertThat(recovered).hasSize(plan.pending().size());
        // not doesNotContainAnyElementsOf: it refuses an empty set, which a kill after the first ack can leave
        assertThat(recovered).noneMatch(completedBefore::contains);
        assertThat(Recovery.scan(dir, PayloadCodec.standard()).pending()).isEmpty();
        return plan;
    }

    /** Leaves the cycle file after the newest as Chronicle does between creating it and writing its header. */
    private void startRoll(final long size) throws IOException
    {
        final java.time.format.DateTimeFormatter format = java.time.format.DateTimeFormatter
            .ofPattern(net.openhft.chronicle.queue.RollCycles.FAST_HOURLY.format()).withZone(java.time.ZoneOffset.UTC);
        final String newest;
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dir))
        {
            newest = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".cq4")).sorted()
                .reduce((a, b) -> b).orElseThrow();
        }
        final java.time.Instant next = java.time.ZonedDateTime.parse(newest.substring(0, newest.length() - 4), format)
            .toInstant().plus(Duration.ofHours(1));
        try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(dir.resolve(format.format(next) + ".cq4")
            .toFile(), "rw"))
        {
            raf.setLength(size);
        }
    }

    private Process startChild(final String roll) throws IOException
    {
        final List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        final String flags = System.getProperty("ringmaster.jvm.flags", "");
        for (final String f : flags.trim().split("\\s+"))
        {
            if (!f.isEmpty())
            {
                cmd.add(f);
            }
        }
        cmd.add("-Xmx256m");
        cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(CrashChild.class.getName());
        cmd.add(dir.toString());
        cmd.add(Integer.toString(TASKS));
        cmd.add(roll);
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static void pump(final Process child, final Set<Long> acked, final int killAfter,
                             final CountDownLatch reached)
    {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8)))
        {
            String line;
            while ((line = in.readLine()) != null)
            {
                if (line.startsWith("ack "))
                {
                    acked.add(Long.parseLong(line.substring(4)));
                    if (acked.size() >= killAfter)
                    {
                        reached.countDown();
                    }
                }
            }
        }
        catch (final IOException e)
        {
            // the pipe breaks when the child dies; what was read is what counts
        }
    }

    private Set<Long> completed()
    {
        final Set<Long> ids = new HashSet<>();
        try (JournalReader reader = JournalReader.open(dir))
        {
            reader.readToEnd(r ->
            {
                if (r.type() == EventType.COMPLETED)
                {
                    ids.add(r.taskId());
                }
            });
        }
        return ids;
    }
}
