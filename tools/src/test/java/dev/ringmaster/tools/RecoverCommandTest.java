package dev.ringmaster.tools;

import dev.ringmaster.journal.Audit;
import dev.ringmaster.journal.EventType;
import dev.ringmaster.journal.Journal;
import dev.ringmaster.journal.JournalConfig;
import dev.ringmaster.journal.JournalEvent;
import dev.ringmaster.journal.JournalInfo;
import dev.ringmaster.journal.JournalReader;
import dev.ringmaster.journal.PayloadCodec;
import dev.ringmaster.journal.Recovery;
import dev.ringmaster.model.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.ringmaster.tools.DemoCommandTest.json;
import static dev.ringmaster.tools.DemoCommandTest.num;
import static dev.ringmaster.tools.DemoCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code ringmaster recover}: after a kill -9 nothing acknowledged is lost; damage and dry runs are reported. */
class RecoverCommandTest
{
    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void afterAKill9OfAnAcknowledgedDemoEveryOpenTaskIsRecoveredAndNoneIsLost() throws Exception
    {
        final Path dir = tmp.resolve("journal");
        killDemoAfter(dir, 20_000);

        final DemoCommandTest.Run dry = run("recover", dir.toString(), "--dry-run", "--json");
        assertThat(dry.exitCode()).as("stderr: %s", dry.err()).isZero();
        final Map<String, Object> before = json(dry);
        assertThat(before.get("payload_codec")).isEqualTo(WorkCodec.NAME);
        assertThat(num(before, "open")).isPositive().isEqualTo(num(before, "accepted") - num(before, "finished"));
        assertThat(num(before, "unrecoverable")).isZero();
        assertThat(num(before, "recovered")).isZero();

        final DemoCommandTest.Run recover = run("recover", dir.toString(), "--json");
        assertThat(recover.exitCode()).as("stderr: %s", recover.err()).isZero();
        final Map<String, Object> r = json(recover);
        assertThat(num(r, "recovered")).isEqualTo(num(before, "open"));
        assertThat(num(r, "lost")).isZero();
        assertThat(num(r, "completed") + num(r, "dead_lettered") + num(r, "expired")).isEqualTo(num(r, "recovered"));

        final Map<String, Object> after = json(run("recover", dir.toString(), "--dry-run", "--json"));
        assertThat(num(after, "open")).as("every task the killed demo accepted has finished").isZero();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void serveWithTheJournalOfAKilledRunRecoversItsOpenTasksFirstAndReusesNoId() throws Exception
    {
        final Path dir = tmp.resolve("journal");
        killDemoAfter(dir, 10_000);
        final Map<String, Object> before = json(run("recover", dir.toString(), "--dry-run", "--json"));
        assertThat(num(before, "open")).isPositive();

        final DemoCommandTest.Run serve = run("serve", "--port", "0", "--journal", dir.toString(), "--duration", "1",
            "--rate", "500", "--token", "t0ken");
        assertThat(serve.exitCode()).as("stderr: %s", serve.err()).isZero();
        assertThat(serve.err()).contains(String.format(java.util.Locale.ROOT, "recovered %,d task(s) left open in %s",
            num(before, "open"), dir));
        assertThat(serve.out()).contains("journal " + dir, "records written", "0 outstanding");

        final Map<String, Object> after = json(run("recover", dir.toString(), "--dry-run", "--json"));
        assertThat(num(after, "open")).isZero();
        // the served tasks took new ids: each one is a new accepted task, none merged into a journaled one
        final long served = Long.parseLong(serve.out().replaceAll("(?s).*served ([0-9,]+) tasks?.*", "$1").replace(",", ""));
        assertThat(num(after, "accepted")).isEqualTo(num(before, "accepted") + served - num(before, "open"));
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aDemoStoppedBySigtermStopsSubmittingDrainsWhatItAcceptedAndReports() throws Exception
    {
        final Path dir = tmp.resolve("journal");
        final Path out = tmp.resolve("demo.out");
        final Process child = startDemo(dir, out, "async");
        try
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (records(dir) < 10_000)
            {
                assertThat(child.isAlive()).as("the demo is still running").isTrue();
                assertThat(System.nanoTime() - deadline).as("the demo journaled 10,000 records within 60 s").isNegative();
                Thread.sleep(50);
            }
            child.destroy(); // SIGTERM, as Ctrl-C or a service manager's stop
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the demo stopped within 60 s of SIGTERM").isTrue();
        }
        finally
        {
            child.destroyForcibly();
        }

        assertThat(Files.readString(out)).contains("interrupted by a signal: stopped submitting after",
            "every accepted task was drained").contains("Ringmaster demo:");
        final Map<String, Object> after = json(run("recover", dir.toString(), "--dry-run", "--json"));
        assertThat(num(after, "accepted")).isPositive();
        assertThat(num(after, "open")).as("every task the demo accepted reached its end in the journal").isZero();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aJournalThatARunningProcessStillWritesIsReportedButNotDispatchedAgain() throws Exception
    {
        final Path dir = tmp.resolve("journal");
        try (Journal writer = Journal.open(JournalConfig.at(dir)))
        {
            // a task the writing process accepted and is still working on: open in the journal, not lost
            assertThat(writer.recordRecovered(Task.builder("coder").id(7).payload("in hand").build(), "in flight"))
                .isTrue();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (openIn(dir) == 0)
            {
                assertThat(System.nanoTime() - deadline).as("the writer wrote the record within 20 s").isNegative();
                Thread.sleep(10);
            }

            final DemoCommandTest.Run dry = run("recover", dir.toString(), "--dry-run", "--json");
            assertThat(dry.exitCode()).as("stderr: %s", dry.err()).isZero();
            assertThat(json(dry)).containsEntry("live", true).containsEntry("refused_for_live", false);
            assertThat(num(json(dry), "open")).isEqualTo(1);

            final DemoCommandTest.Run recover = run("recover", dir.toString());
            assertThat(recover.exitCode()).isEqualTo(1);
            assertThat(recover.err()).contains("recovery refused", "still writes the journal", "run them twice");
            assertThat(recover.out()).contains("live: a running process still writes the journal");

            final DemoCommandTest.Run audit = run("audit", dir.toString(), "7");
            assertThat(audit.exitCode()).as("stderr: %s", audit.err()).isZero();
            assertThat(audit.out()).contains("RECOVERED", "(no end yet: a running process still writes the journal");
        }
        final DemoCommandTest.Run audit = run("audit", dir.toString(), "7");
        assertThat(audit.out()).as("its writer gone").contains("(no end in the journal: the task was open when its "
            + "last record was written", "recover " + dir + " --dry-run");
        try (JournalReader reader = JournalReader.open(dir))
        {
            assertThat(Audit.history(reader, 7)).as("task 7 was not dispatched a second time")
                .extracting(JournalEvent::type).containsExactly(EventType.RECOVERED);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void serveRefusesAJournalThatARunningProcessStillWritesInsteadOfRunningItsOpenTasksTwice() throws Exception
    {
        final Path dir = tmp.resolve("journal");
        try (Journal writer = Journal.open(JournalConfig.at(dir).payloadCodec(WorkCodec.INSTANCE)))
        {
            // a task the writing process accepted and is still working on
            assertThat(writer.recordRecovered(Task.builder("coder").id(7).payload("in hand").build(), "in flight"))
                .isTrue();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (openIn(dir, WorkCodec.INSTANCE) == 0)
            {
                assertThat(System.nanoTime() - deadline).as("the writer wrote the record within 20 s").isNegative();
                Thread.sleep(10);
            }

            final DemoCommandTest.Run serve = run("serve", "--port", "0", "--journal", dir.toString(), "--duration",
                "1", "--rate", "100", "--token", "t0ken");
            assertThat(serve.exitCode()).as("stdout: %s%nstderr: %s", serve.out(), serve.err()).isEqualTo(1);
            assertThat(serve.err()).contains("still writes the journal " + dir, "run them twice",
                "Stop that process");
            assertThat(serve.err()).doesNotContain("recovered");
        }
        try (JournalReader reader = JournalReader.open(dir))
        {
            assertThat(Audit.history(reader, 7)).as("task 7 was not dispatched a second time")
                .extracting(JournalEvent::type).containsExactly(EventType.RECOVERED);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void anAcknowledgedServeSubmitsItsWorkloadThroughTheJournalsAcknowledgedSubmit()
    {
        final Path dir = tmp.resolve("journal");
        final DemoCommandTest.Run serve = run("serve", "--port", "0", "--journal", dir.toString(), "--durability",
            "acknowledged", "--duration", "1", "--rate", "300", "--token", "t0ken");
        assertThat(serve.exitCode()).as("stderr: %s", serve.err()).isZero();
        final long served = Long.parseLong(serve.out().replaceAll("(?s).*served ([0-9,]+) tasks?.*", "$1").replace(",", ""));
        assertThat(served).isPositive();
        assertThat(serve.out()).contains("(ACKNOWLEDGED)", String.format(java.util.Locale.ROOT,
            "%,d generated tasks acknowledged", served));
        assertThat(openIn(dir, WorkCodec.INSTANCE)).isZero();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void openTasksThatCannotBeRebuiltLeaveTheRecoveryFailedAfterTheOthersAreDispatched()
    {
        final Path dir = tmp.resolve("journal");
        try (Journal writer = Journal.open(JournalConfig.at(dir)))
        {
            // a crashed run's open tasks: one whole, one journaled without the payload its codec could not encode
            assertThat(writer.recordRecovered(Task.builder("coder").id(10).payload("keep me").build(), "left open"))
                .isTrue();
            assertThat(writer.recordRecovered(Task.builder("coder").id(11).payload(new Object()).build(), "left open"))
                .isTrue();
        }

        final DemoCommandTest.Run dry = run("recover", dir.toString(), "--dry-run", "--json");
        assertThat(dry.exitCode()).as("a dry run only reports; stderr: %s", dry.err()).isZero();
        assertThat(num(json(dry), "unrecoverable")).isEqualTo(1);

        final DemoCommandTest.Run recover = run("recover", dir.toString(), "--json");
        assertThat(recover.exitCode()).as("a task left open must fail a scripted recovery").isEqualTo(1);
        assertThat(recover.err()).contains("error: 1 open task(s) could not be rebuilt", "task 11",
            "recover " + dir + " --dry-run");
        final Map<String, Object> r = json(recover);
        assertThat(num(r, "recovered")).as("the rebuildable task is dispatched all the same").isEqualTo(1);
        assertThat(num(r, "completed") + num(r, "dead_lettered") + num(r, "expired")).isEqualTo(1);
        assertThat(num(r, "unrecoverable")).isEqualTo(1);

        final DemoCommandTest.Run text = run("recover", dir.toString());
        assertThat(text.exitCode()).as("still open: every run says so").isEqualTo(1);
        assertThat(text.out()).contains("1 open: 0 recoverable, 1 unrecoverable", "unrecoverable: task 11");
    }

    /** @return the tasks open in the journal, 0 while it has no cycle file yet. */
    static int openIn(final Path dir)
    {
        return openIn(dir, PayloadCodec.standard());
    }

    /** @return the tasks open in the journal written with {@code codec}, 0 while it has no cycle file yet. */
    static int openIn(final Path dir, final PayloadCodec codec)
    {
        try
        {
            return Recovery.scan(dir, codec).open();
        }
        catch (final dev.ringmaster.journal.JournalException e)
        {
            return 0;
        }
    }

    @Test
    void aDamagedJournalIsRefusedUnlessTheDamageIsAccepted() throws IOException
    {
        final Path dir = tmp.resolve("journal");
        assertThat(run("demo", "--tasks", "3000", "--seed", "9", "--json", "--journal", dir.toString()).exitCode()).isZero();
        final Path cycle = cycleFile(dir);
        try (RandomAccessFile raf = new RandomAccessFile(cycle.toFile(), "rw"))
        {
            final long end = lastNonZero(raf);
            raf.seek(end / 2);
            raf.write(new byte[64]); // zeroes in the middle of a document: its records fail their checksums
        }

        final DemoCommandTest.Run refused = run("recover", dir.toString());
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("recovery refused", cycle.getFileName().toString(), "--accept-damage",
            "would be lost without a word");
        assertThat(refused.out()).contains("damage: ", "accepted");

        final DemoCommandTest.Run accepted = run("recover", dir.toString(), "--accept-damage", "--json");
        assertThat(accepted.exitCode()).as("stderr: %s", accepted.err()).isZero();
        final Map<String, Object> a = json(accepted);
        assertThat(a.get("damage")).asString().contains(cycle.getFileName().toString());
        assertThat(num(a, "lost")).isZero();
        assertThat(num(a, "recovered")).isEqualTo(num(a, "recoverable"));
    }

    @Test
    void aCycleFileLeftEmptyByAKillDuringARollIsReportedAsANoteAndRecoveryGoesOnWithoutAcceptingDamage()
        throws IOException
    {
        final Path dir = tmp.resolve("journal");
        assertThat(run("demo", "--tasks", "500", "--seed", "9", "--json", "--journal", dir.toString()).exitCode()).isZero();
        // what a kill -9 while Chronicle creates the next cycle file leaves: the file, 0 bytes
        final Path empty = emptyCycleFile(dir, cycleFile(dir), 1);

        final DemoCommandTest.Run r = run("recover", dir.toString());
        assertThat(r.exitCode()).as("stderr: %s", r.err()).isZero();
        assertThat(r.err()).doesNotContain("recovery refused");
        assertThat(r.out()).contains("damage: none", "note: the newest cycle file", empty.getFileName().toString(),
            "a crash during a roll); nothing was lost");
        final Map<String, Object> j = json(run("recover", dir.toString(), "--dry-run", "--json"));
        assertThat(j.get("damage")).isNull();
        assertThat(j.get("notes")).asList().singleElement().asString().contains(empty.getFileName().toString());
    }

    @Test
    void anEmptyCycleFileWithRecordsAfterItIsStillDamage() throws IOException
    {
        final Path dir = tmp.resolve("journal");
        assertThat(run("demo", "--tasks", "500", "--seed", "9", "--json", "--journal", dir.toString()).exitCode()).isZero();
        final Path empty = emptyCycleFile(dir, cycleFile(dir), -1);

        final DemoCommandTest.Run r = run("recover", dir.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains(empty.getFileName().toString(), "truncated to 0 bytes", "cycle files follow it");
    }

    /** @return a new 0-byte cycle file {@code hours} from {@code cycle}'s (the demo's journal rolls hourly). */
    private static Path emptyCycleFile(final Path dir, final Path cycle, final int hours) throws IOException
    {
        final java.time.format.DateTimeFormatter format = java.time.format.DateTimeFormatter
            .ofPattern("yyyyMMdd-HH'F'").withZone(java.time.ZoneOffset.UTC); // Chronicle's FAST_HOURLY names
        final String name = cycle.getFileName().toString();
        final java.time.Instant start = java.time.ZonedDateTime.parse(name.substring(0, name.length() - 4), format)
            .toInstant();
        return Files.createFile(dir.resolve(format.format(start.plus(java.time.Duration.ofHours(hours))) + ".cq4"));
    }

    @Test
    void aJournalOfAnotherCodecIsNamedInsteadOfDecodedWrongly() throws IOException
    {
        final Path dir = tmp.resolve("journal");
        assertThat(run("demo", "--tasks", "200", "--json", "--journal", dir.toString()).exitCode()).isZero();
        Files.writeString(dir.resolve(JournalInfo.FILE_NAME), "payloadCodec=com.example.ProtoCodec\n");
        final DemoCommandTest.Run r = run("recover", dir.toString(), "--dry-run");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("payload codec 'com.example.ProtoCodec'", "recover it in the application that wrote it");
    }

    @Test
    void aMissingJournalAndABadWaitAreClearErrors()
    {
        final DemoCommandTest.Run missing = run("recover", tmp.resolve("nope").toString());
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("no journal at", "does not exist");
        final DemoCommandTest.Run badWait = run("recover", tmp.toString(), "--wait", "soon");
        assertThat(badWait.exitCode()).isEqualTo(2);
        assertThat(badWait.err()).contains("'soon' is not a time");
    }

    /** Runs an acknowledged demo in a child JVM and kills it (SIGKILL) once it has journaled {@code records}. */
    private static void killDemoAfter(final Path dir, final long records) throws Exception
    {
        final Process child = startDemo(dir);
        try
        {
            // killed mid-run, once it has journaled a good part: tasks are then open at every stage of their lives
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (records(dir) < records)
            {
                assertThat(child.isAlive()).as("the demo is still running").isTrue();
                assertThat(System.nanoTime() - deadline).as("the demo journaled %d records within 60 s", records)
                    .isNegative();
                Thread.sleep(50);
            }
        }
        finally
        {
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no journal close
        }
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }

    private static long records(final Path dir)
    {
        if (!Files.exists(dir.resolve(JournalInfo.FILE_NAME)))
        {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir))
        {
            if (files.noneMatch(p -> p.toString().endsWith(".cq4")))
            {
                return 0;
            }
        }
        catch (final IOException e)
        {
            return 0;
        }
        try (JournalReader reader = JournalReader.open(dir))
        {
            return reader.readToEnd(r -> { });
        }
        catch (final dev.ringmaster.journal.JournalCorruptException e)
        {
            // a 0-byte newest cycle file of a live writer reads as the end now; this covers the instant after, while
            // Chronicle writes the new file's header into the mapped file
            return 0;
        }
    }

    private static Process startDemo(final Path dir) throws IOException
    {
        return startDemo(dir, null, "acknowledged");
    }

    /** Starts a demo of 5,000,000 tasks in a child JVM; its stdout to {@code out} (null: discarded). */
    private static Process startDemo(final Path dir, final Path out, final String durability) throws IOException
    {
        return ChildCli.start(out == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.to(out.toFile()),
            ProcessBuilder.Redirect.DISCARD, "demo", "--tasks", "5000000", "--journal", dir.toString(), "--durability",
            durability);
    }

    static Path cycleFile(final Path dir) throws IOException
    {
        try (Stream<Path> s = Files.list(dir))
        {
            return s.filter(p -> p.getFileName().toString().matches("\\d{8}.*\\.cq4")).findFirst().orElseThrow();
        }
    }

    /** @return the offset just past the last non-zero byte: the end of what was written in the pre-sized file. */
    static long lastNonZero(final RandomAccessFile raf) throws IOException
    {
        final byte[] buf = new byte[1 << 16];
        long last = 0;
        for (long pos = 0; pos < raf.length(); pos += buf.length)
        {
            raf.seek(pos);
            final int n = raf.read(buf);
            for (int i = 0; i < n; i++)
            {
                if (buf[i] != 0)
                {
                    last = pos + i + 1;
                }
            }
        }
        return last;
    }
}
