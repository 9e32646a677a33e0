package dev.ringmaster.tools;

import dev.ringmaster.journal.Journal;
import dev.ringmaster.journal.JournalConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.ringmaster.tools.DemoCommandTest.json;
import static dev.ringmaster.tools.DemoCommandTest.num;
import static dev.ringmaster.tools.DemoCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/** The demo writes a journal that replay and audit read; missing and damaged journals fail clearly. */
class JournalCommandsTest
{
    private static final int TASKS = 3_000;

    @TempDir
    Path tmp;

    @Test
    @SuppressWarnings("unchecked")
    void replayAccountsForEveryTaskTheDemoJournaled()
    {
        final Path dir = tmp.resolve("journal");
        final DemoCommandTest.Run demo = run("demo", "--tasks", Integer.toString(TASKS), "--seed", "5", "--json",
            "--journal", dir.toString());
        assertThat(demo.exitCode()).as("demo stderr: %s", demo.err()).isZero();
        final Map<String, Object> d = json(demo);

        final DemoCommandTest.Run replay = run("replay", dir.toString(), "--json");
        assertThat(replay.exitCode()).as("replay stderr: %s", replay.err()).isZero();
        final Map<String, Object> r = json(replay);
        final Map<String, Object> events = (Map<String, Object>)r.get("events");
        assertThat(num(events, "accepted")).isEqualTo(TASKS);
        assertThat(num(events, "completed")).isEqualTo(num(d, "completed"));
        assertThat(num(events, "dead_lettered")).isEqualTo(num(d, "dead_lettered"));
        assertThat(num(events, "completed") + num(events, "dead_lettered") + num(events, "expired") +
            num(events, "cancelled")).isEqualTo(TASKS);
        assertThat(num(events, "stolen")).isEqualTo(num(d, "steals"));
        assertThat(num(r, "open_tasks")).isZero();
        assertThat(num(r, "accepted_tasks")).isEqualTo(TASKS);
        assertThat((List<Object>)r.get("agents")).hasSize(15);
        assertThat(((Number)r.get("gini_by_count")).doubleValue()).isBetween(0.0, 1.0);
        final Map<String, Object> e2e = (Map<String, Object>)((Map<String, Object>)r.get("stages")).get("end_to_end");
        assertThat(num(e2e, "count")).isEqualTo(num(events, "completed"));
        assertThat((List<Object>)r.get("utilization")).isNotEmpty();
        assertThat((List<Object>)r.get("dead_letters")).hasSize((int)num(d, "dead_lettered") + (int)num(d, "expired"));

        final DemoCommandTest.Run text = run("replay", dir.toString());
        assertThat(text.exitCode()).isZero();
        assertThat(text.out()).contains("Gini", "END_TO_END", "utilization");
    }

    @Test
    void auditShowsOneTaskAndATimeRange()
    {
        final Path dir = tmp.resolve("journal");
        assertThat(run("demo", "--tasks", "500", "--seed", "3", "--json", "--journal", dir.toString(),
            "--durability", "acknowledged").exitCode()).isZero();

        final DemoCommandTest.Run one = run("audit", dir.toString(), "42");
        assertThat(one.exitCode()).as("audit stderr: %s", one.err()).isZero();
        final String[] lines = one.out().strip().split("\n");
        assertThat(lines[0]).contains("ACCEPTED", "task 42 ");
        assertThat(one.out()).contains("ASSIGNED", "STARTED");
        assertThat(lines[lines.length - 1]).containsAnyOf("COMPLETED", "DEAD_LETTERED", "EXPIRED");

        final DemoCommandTest.Run range = run("audit", dir.toString(), "--from", "0");
        assertThat(range.exitCode()).as("audit stderr: %s", range.err()).isZero();
        assertThat(range.out()).contains("events; by agent:");
        final String summary = range.out().substring(range.out().indexOf("events; by agent:"));
        final long total = Long.parseLong(range.out().replaceAll("(?s).*\n([0-9]+) events; by agent:.*", "$1"));
        assertThat(summary.lines().skip(1).mapToLong(l -> Long.parseLong(l.replaceAll(".*: ", ""))).sum())
            .as("the lines by agent add up to the events listed: %s", summary).isEqualTo(total);
        // in time order: printed in journal order, times stepped back between the writer's batches (a completion
        // stamped on its worker before the assignment batch behind it was written), which read as a clock gone wrong
        final List<java.time.Instant> times = range.out().lines().filter(l -> l.matches("^[0-9]{4}-.*"))
            .map(l -> java.time.Instant.parse(l.split("\\s+")[0])).toList();
        assertThat(times).hasSizeGreaterThan(500).isSorted();

        // a time copied from audit's own output selects to the nanosecond: the range used to be cut to milliseconds
        // (a range within one millisecond was refused as empty) and listed records from before its inclusive start
        final String at = range.out().lines().filter(l -> l.matches("^[0-9]{4}-.*")).skip(40).findFirst()
            .orElseThrow().split("\\s+")[0];
        final java.time.Instant start = java.time.Instant.parse(at);
        final DemoCommandTest.Run instant = run("audit", dir.toString(), "--from", at, "--to",
            start.plusNanos(1).toString());
        assertThat(instant.exitCode()).as("audit stderr: %s", instant.err()).isZero();
        final List<String> listed = instant.out().lines().filter(l -> l.matches("^[0-9]{4}-.*")).toList();
        assertThat(listed).as("the events of that nanosecond, and only those").isNotEmpty()
            .allSatisfy(l -> assertThat(l).startsWith(at + " "));

        final DemoCommandTest.Run none = run("audit", dir.toString(), "999999");
        assertThat(none.exitCode()).isEqualTo(1);
        assertThat(none.err()).contains("task 999999 is not in the journal")
            .containsPattern("whose task ids run from [0-9]+ to [0-9]+").doesNotContain("still writes");
    }

    @Test
    void replayOfAJournalStillBeingWrittenSaysItIsASnapshot()
    {
        final Path dir = tmp.resolve("live");
        assertThat(run("demo", "--tasks", "300", "--seed", "2", "--json", "--journal", dir.toString()).exitCode()).isZero();

        final DemoCommandTest.Run finished = run("replay", dir.toString(), "--json");
        assertThat(finished.exitCode()).as("stderr: %s", finished.err()).isZero();
        assertThat(json(finished).get("live")).isEqualTo(false);
        assertThat(run("replay", dir.toString()).out()).doesNotContain("still being written");

        try (Journal writer = Journal.open(JournalConfig.at(dir).payloadCodec(WorkCodec.INSTANCE)))
        {
            final DemoCommandTest.Run text = run("replay", dir.toString());
            assertThat(text.exitCode()).as("stderr: %s", text.err()).isZero();
            assertThat(text.out()).contains("live: the journal is still being written (a running process has it " +
                "open); these figures are a snapshot").contains("run replay again after it stops");
            final DemoCommandTest.Run live = run("replay", dir.toString(), "--json");
            assertThat(live.exitCode()).isZero();
            final Map<String, Object> j = json(live);
            assertThat(j.get("live")).isEqualTo(true);
            assertThat(num(j, "records")).as("the numbers are what was read").isEqualTo(num(json(finished), "records"));
            // what-if calibrates against the tasks finished so far: a growing journal's figures are a snapshot too
            final DemoCommandTest.Run whatIf = run("replay", dir.toString(), "--what-if", "p2c", "--json");
            assertThat(whatIf.exitCode()).as("stderr: %s", whatIf.err()).isZero();
            assertThat(json(whatIf).get("live")).isEqualTo(true);
            assertThat(run("replay", dir.toString(), "--what-if", "p2c").out())
                .contains("live: the journal is still being written");
            final DemoCommandTest.Run audit = run("audit", dir.toString(), "999999");
            assertThat(audit.exitCode()).isEqualTo(1);
            assertThat(audit.err()).contains("task 999999 is not in the journal", "a running process still writes it",
                "may not be written yet: run audit again");
            final DemoCommandTest.Run learn = run("learn", dir.toString(), "--out", tmp.resolve("live.rmp").toString());
            assertThat(learn.exitCode()).as("stderr: %s", learn.err()).isZero();
            assertThat(learn.err()).contains("is still being written", "Learn again once the run has ended");
        }
        assertThat(run("learn", dir.toString(), "--out", tmp.resolve("done.rmp").toString()).err())
            .doesNotContain("still being written");

        assertThat(json(run("replay", dir.toString(), "--json")).get("live")).as("after the writer closed").isEqualTo(false);
        assertThat(json(run("replay", dir.toString(), "--what-if", "p2c", "--json")).get("live")).isEqualTo(false);
    }

    @Test
    void aNegativeOrNonNumericTaskIdIsAUsageError()
    {
        final DemoCommandTest.Run negative = run("audit", tmp.toString(), "-1");
        assertThat(negative.exitCode()).isEqualTo(2);
        assertThat(negative.err()).contains("task id -1 is negative; task ids are 0 or more")
            .contains("--from 0").contains("audit --help");

        final DemoCommandTest.Run word = run("audit", tmp.toString(), "seven");
        assertThat(word.exitCode()).isEqualTo(2);
        assertThat(word.err()).contains("'seven' is not a task id; give a whole number such as 42");
    }

    @Test
    void aMissingJournalIsAClearErrorWithExitCode1()
    {
        final Path missing = tmp.resolve("nope");
        final DemoCommandTest.Run replay = run("replay", missing.toString());
        assertThat(replay.exitCode()).isEqualTo(1);
        assertThat(replay.err()).contains("no journal at " + missing, "does not exist");

        final DemoCommandTest.Run audit = run("audit", tmp.toString(), "1");
        assertThat(audit.exitCode()).isEqualTo(1);
        assertThat(audit.err()).contains("holds no cycle files");
    }

    @Test
    void aDamagedJournalIsReportedWithTheFileAndExitCode1() throws IOException
    {
        final Path dir = tmp.resolve("journal");
        final Path cycle = demoJournal(dir, 1000);
        try (RandomAccessFile raf = new RandomAccessFile(cycle.toFile(), "rw"))
        {
            // somewhere among the records: past the header and index, well before the end of what was written
            raf.seek(100_000);
            raf.write(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        }
        final DemoCommandTest.Run replay = run("replay", dir.toString(), "--json");
        assertThat(replay.exitCode()).isEqualTo(1);
        assertThat(replay.err()).contains("corrupt journal file " + cycle);
        assertThat(num(json(replay), "records")).isPositive();
    }

    @Test
    @SuppressWarnings("unchecked")
    void replayReadsPastEachDamagedRegionAndNamesEveryOneWithExitCode1() throws IOException
    {
        final Path dir = tmp.resolve("journal");
        final Path cycle = demoJournal(dir, TASKS);
        final long end = lastNonZero(cycle);
        try (RandomAccessFile raf = new RandomAccessFile(cycle.toFile(), "rw"))
        {
            // zeroes early in the records (past the header and index): a record there fails its checksum
            raf.seek(end / 5);
            raf.write(new byte[64]);
        }
        final DemoCommandTest.Run replay = run("replay", dir.toString(), "--json");
        assertThat(replay.exitCode()).isEqualTo(1);
        assertThat(replay.err()).contains("the journal is damaged in", "corrupt journal file " + cycle,
            "move it aside", "recover " + dir + " --dry-run");
        final Map<String, Object> r = json(replay);
        // a record failing its checksum, and where a zero length breaks the batch's framing, the rest of the batch:
        // each a region of its own, as recover counts them
        assertThat((List<String>)r.get("damage")).isNotEmpty()
            .allSatisfy(d -> assertThat(d).contains("corrupt journal file " + cycle, "at index 0x"));
        assertThat(r.get("error")).asString().contains("corrupt journal file " + cycle);
        // a damaged batch costs its tasks (how many the writer batched varies from run to run), no more: before, the
        // replay stopped at the damage, a fifth into the records
        assertThat(num(r, "accepted_tasks")).as("tasks replayed around the damage").isGreaterThan(TASKS / 2);

        final DemoCommandTest.Run text = run("replay", dir.toString());
        assertThat(text.exitCode()).isEqualTo(1);
        assertThat(text.out()).contains("region(s), each read past", cycle.getFileName().toString());
    }

    /** @return the length of the file without its trailing zeroes: where the records end. */
    private static long lastNonZero(final Path file) throws IOException
    {
        final byte[] bytes = Files.readAllBytes(file);
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] == 0)
        {
            end--;
        }
        return end;
    }

    @Test
    void auditShowsTheWholeHistoryOfATaskRecordedAfterADamagedRecordAndStillReportsTheDamage() throws IOException
    {
        final Path dir = tmp.resolve("journal");
        final Path cycle = demoJournal(dir, TASKS);
        final long end = lastNonZero(cycle);
        try (RandomAccessFile raf = new RandomAccessFile(cycle.toFile(), "rw"))
        {
            raf.seek(end / 5); // early in the records: the last task's are far after it
            raf.write(new byte[64]);
        }
        final String last = Integer.toString(TASKS - 1);
        final DemoCommandTest.Run audit = run("audit", dir.toString(), last);
        assertThat(audit.exitCode()).as("damage still fails the audit").isEqualTo(1);
        assertThat(audit.out()).as("the task's history, read past the damage").contains("ACCEPTED", "task " + last + " ",
            "ASSIGNED");
        assertThat(audit.out().strip().lines().reduce((a, b) -> b).orElseThrow())
            .containsAnyOf("COMPLETED", "DEAD_LETTERED", "EXPIRED");
        assertThat(audit.err()).contains("corrupt journal file " + cycle, "at index 0x");

        final DemoCommandTest.Run range = run("audit", dir.toString(), "--from", "0");
        assertThat(range.exitCode()).isEqualTo(1);
        assertThat(range.out()).contains("task " + last + " ").contains("events; by agent:");
        assertThat(range.err()).contains("corrupt journal file " + cycle);
    }

    @Test
    void auditOfAJournalCutInHalfPrintsTheTasksHistoryBeforeReportingTheDamage() throws IOException
    {
        final Path dir = tmp.resolve("cut");
        // acknowledged, so that submitting keeps pace with the writer and its documents stay small: async, a loaded
        // machine lets a 256 KB first document reach past the cut, and task 5's records with it
        assertThat(run("demo", "--tasks", "2000", "--json", "--journal", dir.toString(), "--durability",
            "acknowledged").exitCode()).isZero();
        final Path cycle;
        try (Stream<Path> s = Files.list(dir))
        {
            cycle = s.filter(p -> p.toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
        final byte[] bytes = Files.readAllBytes(cycle);
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] == 0)
        {
            end--;
        }
        try (RandomAccessFile raf = new RandomAccessFile(cycle.toFile(), "rw"))
        {
            raf.setLength(end / 2); // task 5 was accepted near the start, well before the cut
        }
        final DemoCommandTest.Run audit = run("audit", dir.toString(), "5");
        assertThat(audit.exitCode()).isEqualTo(1);
        assertThat(audit.out()).contains("ACCEPTED", "task 5 ");
        assertThat(audit.err()).contains("corrupt journal file " + cycle);
    }

    @Test
    void anUnknownDurabilityIsAUsageError()
    {
        final DemoCommandTest.Run demo = run("demo", "--tasks", "10", "--journal", tmp.toString(), "--durability", "x");
        assertThat(demo.exitCode()).isEqualTo(2);
        assertThat(demo.err()).contains("give async or acknowledged");
    }

    @Test
    void aDamagedCycleFileHeaderIsNamedWithTheFileAndTheFixByEveryCommand() throws IOException
    {
        final Path dir = tmp.resolve("journal");
        final Path cycle = demoJournal(dir, 300);
        try (RandomAccessFile raf = new RandomAccessFile(cycle.toFile(), "rw"))
        {
            // Chronicle's writePosition field in the file's header: Chronicle fails with a bare
            // IllegalArgumentException ("Capacity ... is too large") that names no file
            raf.seek(0x30);
            raf.write(new byte[] {(byte)0x88, 0x31, (byte)0xc2, (byte)0xb0, (byte)0xf8, 0x78, 0x21, 0x14});
        }
        for (String[] args : new String[][] {{"replay", dir.toString()}, {"recover", dir.toString(), "--dry-run"},
            {"audit", dir.toString(), "5"}})
        {
            final DemoCommandTest.Run r = run(args);

            assertThat(r.exitCode()).as("%s: %s", args[0], r.err()).isEqualTo(1);
            assertThat(r.err()).as(args[0]).startsWith("error: ").contains(cycle.toString(), "header is damaged",
                "restore it from a copy", "move it aside").doesNotContain("IllegalArgumentException", "\tat ");
        }
    }

    /**
     * A writer killed while Chronicle wrote a cycle file's header leaves the header's start and zeros after it, or
     * its length word still marked unfinished; an overwrite can zero the length word alone. Chronicle failed with a
     * bare "UnsupportedOperationException: Unknown_0x0" naming no file, or read the file as an empty journal
     * ("damage: none", exit 0) while its records were all there.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"zeros after the header's name", "zeros from the middle " +
        "of the header", "length word zeroed", "length word still marked unfinished", "zeros inside the header, " +
        "its end intact"})
    void aCycleFileHeaderCutOffWhileItWasWrittenIsNamedWithTheFileAndTheFixByReplayAndRecover(final String damage)
        throws IOException
    {
        final Path dir = tmp.resolve("journal");
        final Path cycle = demoJournal(dir, 300);
        try (RandomAccessFile raf = new RandomAccessFile(cycle.toFile(), "rw"))
        {
            switch (damage)
            {
                case "zeros after the header's name" -> raf.seek(12);
                case "zeros from the middle of the header" -> raf.seek(0x60);
                case "length word zeroed" -> raf.seek(0);
                // the indexing field's name and the start of its value: the header's last 16 bytes stay as written
                case "zeros inside the header, its end intact" -> raf.seek(0x50);
                default ->
                {
                    // Chronicle's NOT_COMPLETE bit on the header's length word, set until the header is finished
                    raf.seek(3);
                    final int top = raf.read();
                    raf.seek(3);
                    raf.write(top | 0x80);
                    raf.seek(0x60);
                }
            }
            raf.write(new byte[damage.startsWith("length word zeroed") ? 4 : damage.endsWith("its end intact") ? 0x40
                : 0x200 - (int)raf.getFilePointer()]);
        }
        for (String[] args : new String[][] {{"replay", dir.toString()}, {"recover", dir.toString(), "--dry-run"}})
        {
            final DemoCommandTest.Run r = run(args);

            assertThat(r.exitCode()).as("%s: %s", args[0], r.err()).isEqualTo(1);
            assertThat(r.err()).as(args[0]).startsWith("error: ").contains(cycle.toString(), "header",
                "none of its records can be read", "restore it from a copy", "move it aside")
                .doesNotContain("Exception", "Unknown_0x", "\tat ");
        }
    }

    /**
     * A writer opening a journal whose queue metadata file has an overwritten header: the demo waited about 10 s for
     * Chronicle's lock, then printed Chronicle's bare "Unable to claim exclusive lock".
     */
    @Test
    void aDemoWritingToAJournalWithAnOverwrittenMetadataHeaderIsRefusedAtOnceWithTheFix() throws IOException
    {
        final Path dir = tmp.resolve("journal");
        demoJournal(dir, 50);
        final Path metadata = dir.resolve("metadata.cq4t");
        final byte[] junk = new byte[200];
        new java.util.Random(1).nextBytes(junk);
        try (RandomAccessFile raf = new RandomAccessFile(metadata.toFile(), "rw"))
        {
            raf.write(junk);
        }

        final long start = System.nanoTime();
        final DemoCommandTest.Run r = run("demo", "--tasks", "50", "--json", "--journal", dir.toString());

        assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).contains(metadata.toString(), "its header is not one Chronicle Queue writes",
            "Move it aside (mv ").doesNotContain("Unable to claim", "\tat ");
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofSeconds(5));
    }

    /** Runs the demo journaling into {@code dir}. @return its cycle file. */
    private static Path demoJournal(final Path dir, final int tasks) throws IOException
    {
        assertThat(run("demo", "--tasks", Integer.toString(tasks), "--json", "--journal", dir.toString()).exitCode()).isZero();
        try (Stream<Path> s = Files.list(dir))
        {
            return s.filter(p -> p.toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
    }
}
