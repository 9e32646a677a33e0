package dev.ringmaster.tools;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.ringmaster.tools.DemoCommandTest.json;
import static dev.ringmaster.tools.DemoCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** {@code replay --what-if} on the golden journal: a row per strategy, the recorded one last, and its calibration. */
class WhatIfReplayTest
{
    @TempDir
    static Path tmp;

    private static Path journal;

    @BeforeAll
    static void copyTheGoldenJournal() throws Exception
    {
        journal = GoldenJournalTest.copyOfGoldenJournal(tmp);
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonHasARowPerStrategyAndTheRecordedOnesCalibration()
    {
        final DemoCommandTest.Run r = run("replay", journal.toString(), "--what-if", "p2c,round-robin", "--json");
        assertThat(r.exitCode()).as("stderr: %s", r.err()).isZero();
        final Map<String, Object> j = json(r);

        final List<Map<String, Object>> rows = (List<Map<String, Object>>)j.get("whatIf");
        assertThat(rows).extracting(row -> row.get("strategy")).containsExactly("p2c", "round-robin", "least-connections");
        assertThat(rows).extracting(row -> row.get("recorded")).containsExactly(false, false, true);
        for (final Map<String, Object> row : rows)
        {
            assertThat(row).containsKeys("meanSojournSeconds", "p99SojournSeconds", "gini", "contextWasteRatio");
            assertThat(((Number)row.get("p99SojournSeconds")).doubleValue())
                .isGreaterThanOrEqualTo(((Number)row.get("meanSojournSeconds")).doubleValue() / 10).isPositive();
        }
        final Map<String, Object> calibration = (Map<String, Object>)j.get("calibration");
        assertThat(calibration.get("strategy")).isEqualTo("least-connections");
        final double actual = ((Number)calibration.get("actualP99Seconds")).doubleValue();
        final double simulated = ((Number)calibration.get("simulatedP99Seconds")).doubleValue();
        assertThat(simulated).isEqualTo(((Number)rows.get(2).get("p99SojournSeconds")).doubleValue());
        assertThat(((Number)calibration.get("error")).doubleValue()).isCloseTo(simulated / actual - 1, within(1e-9));
        // the text's "journal (as recorded)" row, for a script to compare each strategy with what really happened
        final Map<String, Object> recorded = (Map<String, Object>)j.get("recorded");
        assertThat(recorded).containsKeys("meanSojournSeconds", "p50SojournSeconds", "gini", "contextWasteRatio");
        assertThat(((Number)recorded.get("p99SojournSeconds")).doubleValue()).isEqualTo(actual);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aStrategyNamedTwiceRunsOnceInTheOrderFirstGiven()
    {
        final DemoCommandTest.Run r = run("replay", journal.toString(), "--what-if",
            "p2c,least-connections,p2c,round-robin,p2c", "--json");
        assertThat(r.exitCode()).as("stderr: %s", r.err()).isZero();
        final List<Map<String, Object>> rows = (List<Map<String, Object>>)json(r).get("whatIf");
        assertThat(rows).extracting(row -> row.get("strategy"))
            .containsExactly("p2c", "round-robin", "least-connections");
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonSaysWhatTheTableSaysOfTheRecordsTheFleetAndTheContextLoad()
    {
        final DemoCommandTest.Run text = run("replay", journal.toString(), "--what-if", "p2c", "--context-load-us", "300");
        final DemoCommandTest.Run r = run("replay", journal.toString(), "--what-if", "p2c", "--context-load-us", "300",
            "--json");
        assertThat(r.exitCode()).as("stderr: %s", r.err()).isZero();
        final Map<String, Object> j = json(r);
        final long records = ((Number)json(run("replay", journal.toString(), "--json")).get("records")).longValue();
        assertThat(text.out()).contains(String.format(java.util.Locale.ROOT, "(%,d records)", records));
        assertThat(j).as("keys %s", j.keySet()).containsKeys("records", "agents", "contextLoadMicros");
        assertThat(((Number)j.get("records")).longValue()).isEqualTo(records);
        assertThat(((Number)j.get("contextLoadMicros")).longValue()).isEqualTo(300);
        final List<Map<String, Object>> agents = (List<Map<String, Object>>)j.get("agents");
        assertThat(agents).isNotEmpty().allSatisfy(a -> assertThat(a).containsKeys("id", "type", "capacity", "speed"));
        // the table's "coder-1 1 x 1.00" for each agent
        for (final Map<String, Object> a : agents)
        {
            assertThat(text.out()).contains(String.format(java.util.Locale.ROOT, "%s %d x %.2f", a.get("id"),
                ((Number)a.get("capacity")).intValue(), ((Number)a.get("speed")).doubleValue()));
        }
    }

    @Test
    void contextWasteIsZeroAsRecordedAndPositiveOnceAContextLoadIsPriced()
    {
        final DemoCommandTest.Run free = run("replay", journal.toString(), "--what-if", "round-robin,consistent-hash",
            "--json");
        final DemoCommandTest.Run priced = run("replay", journal.toString(), "--what-if", "round-robin,consistent-hash",
            "--context-load-us", "300", "--json");
        assertThat(free.exitCode()).as("stderr: %s", free.err()).isZero();
        assertThat(priced.exitCode()).as("stderr: %s", priced.err()).isZero();

        assertThat(wasteByStrategy(free).values()).as("the demo's agents pay no context load").containsOnly(0.0);
        assertThat(wasteByStrategy(priced).values()).allSatisfy(w -> assertThat(w).isPositive().isLessThan(1.0));
    }

    @Test
    void theTableNamesTheRecordedStrategyAndTheCalibration()
    {
        final DemoCommandTest.Run r = run("replay", journal.toString(), "--what-if", "p2c");

        assertThat(r.exitCode()).as("stderr: %s", r.err()).isZero();
        assertThat(r.out()).contains("recorded with least-connections", "journal (as recorded)", "p2c",
            "least-connections (recorded)", "calibration: least-connections simulated p99", "context waste is 0")
            // not "the journal's agents paid no context-load cost": a journal of demo --context-load has it in its times
            .contains("no context-load cost was priced, and the journal does not record one")
            // the calibration names what else the recorded strategy's own row does and does not reproduce
            .containsPattern("and its mean execution [+-][0-9.]+%, its Gini [0-9.]+ against [0-9.]+")
            .doesNotContain("paid no context-load cost");
    }

    @Test
    void aJournalTheDemoDidNotWriteIsReplayedOnTheFleetItShows() throws Exception
    {
        // the same records, but not the demo's codec: the fleet must come from the journal itself
        final Path other = GoldenJournalTest.copyOfGoldenJournal(tmp);
        java.nio.file.Files.writeString(other.resolve(dev.ringmaster.journal.JournalInfo.FILE_NAME),
            "payloadCodec=standard\n");
        final JournalArrivals arrivals;
        try (dev.ringmaster.journal.JournalReader reader = dev.ringmaster.journal.JournalReader.open(other))
        {
            arrivals = JournalArrivals.read(reader, other);
        }

        final ReplayFleet fleet = ReplayFleet.of(other, arrivals);

        assertThat(fleet.origin()).startsWith("inferred from the journal");
        assertThat(fleet.types()).containsExactlyInAnyOrder("coder", "reviewer", "researcher");
        final Fleet demo = Fleet.standard();
        for (final String type : fleet.types())
        {
            for (final ReplayFleet.Agent a : fleet.agents(type))
            {
                // an attempt's end is journaled a little after its slot was reused: at most the prefetched task more
                assertThat(a.capacity()).as("%s ran at most its capacity and prefetch at once", a.id())
                    .isBetween(1, demo.profile(a.id()).capacity() + WhatIf.PREFETCH);
                assertThat(a.speed()).isGreaterThanOrEqualTo(1.0);
            }
        }
        final DemoCommandTest.Run r = run("replay", other.toString(), "--what-if", "p2c", "--json");
        assertThat(r.exitCode()).as("stderr: %s", r.err()).isZero();
        assertThat(json(r).get("fleet").toString()).startsWith("inferred");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Double> wasteByStrategy(final DemoCommandTest.Run r)
    {
        final Map<String, Double> waste = new java.util.HashMap<>();
        for (final Map<String, Object> row : (List<Map<String, Object>>)json(r).get("whatIf"))
        {
            waste.put((String)row.get("strategy"), ((Number)row.get("contextWasteRatio")).doubleValue());
        }
        return waste;
    }

    @Test
    void whatIfCountsTheArrivalsAfterADamagedRecordAndStillFailsOnTheDamage() throws Exception
    {
        final Path damaged = damagedCopy(tmp);
        final long before = completedBeforeTheDamage(damaged);

        final DemoCommandTest.Run r = run("replay", damaged.toString(), "--what-if", "p2c", "--json");
        assertThat(r.exitCode()).as("damage still fails the replay; stderr: %s", r.err()).isEqualTo(1);
        // the golden journal's 400 tasks, less those of the damaged batch: before, the replay stopped at the damage
        assertThat(r.out()).as("a what-if report; stderr: %s", r.err()).isNotBlank();
        assertThat(((Number)json(r).get("tasks")).longValue()).as("completed tasks replayed (%d before the damage)", before)
            .isGreaterThan(before + 100);
        assertThat(r.err()).contains("the journal is damaged in", "corrupt journal file", "at index 0x");
    }

    @Test
    @SuppressWarnings("unchecked")
    void whatIfJsonNamesEveryDamagedRegionReadPastAsTheReplayReportDoes() throws Exception
    {
        final Path damaged = damagedCopy(tmp);
        final DemoCommandTest.Run r = run("replay", damaged.toString(), "--what-if", "p2c", "--json");
        assertThat(r.exitCode()).as("stderr: %s", r.err()).isEqualTo(1);
        final Map<String, Object> j = json(r);
        // a script reading only stdout must not take figures read around damage for the whole journal's
        assertThat((List<String>)j.get("damage")).as("damage in %s", j.keySet()).isNotEmpty()
            .allSatisfy(d -> assertThat(d).contains("corrupt journal file", "at index 0x"));
        assertThat(j.get("error")).asString().contains("corrupt journal file");
        final Map<String, Object> plain = json(run("replay", damaged.toString(), "--json"));
        assertThat(j.get("damage")).as("the same regions as the plain replay names").isEqualTo(plain.get("damage"));

        assertThat(json(run("replay", journal.toString(), "--what-if", "p2c", "--json")))
            .as("a sound journal, as the plain replay's").doesNotContainKeys("damage", "error");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aStrategyWhoseSelectFailsFailsTheWhatIfAndItsRowSaysSo() throws Exception
    {
        final Path plugins = java.nio.file.Files.createDirectories(tmp.resolve("faulty-plugins"));
        PluginsOptionTest.pluginJar(plugins.resolve("faulty.jar"), FaultyStrategies.Throws.class);

        final DemoCommandTest.Run r = run("replay", journal.toString(), "--what-if", FaultyStrategies.Throws.NAME + ",p2c",
            "--plugins", plugins.toString(), "--json");
        // its row's figures are the fallback's, taken in place of each failed decision: not its own
        assertThat(r.exitCode()).as("stdout: %s%nstderr: %s", r.out(), r.err()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: strategy " + FaultyStrategies.Throws.NAME + " failed ")
            .contains("boom in select", "fix its select()");
        final List<Map<String, Object>> rows = (List<Map<String, Object>>)json(r).get("whatIf");
        assertThat(rows.get(0)).containsEntry("strategy", FaultyStrategies.Throws.NAME);
        assertThat(((Number)rows.get(0).get("strategyErrors")).longValue()).isPositive();
        assertThat(rows.get(0).get("firstStrategyError")).asString().contains("boom in select");
        assertThat(((Number)rows.get(1).get("strategyErrors")).longValue()).as("p2c's own").isZero();

        final DemoCommandTest.Run text = run("replay", journal.toString(), "--what-if", FaultyStrategies.Throws.NAME,
            "--plugins", plugins.toString());
        assertThat(text.exitCode()).isEqualTo(1);
        assertThat(text.out()).contains(FaultyStrategies.Throws.NAME + " !", "it failed ", " of its decisions");
    }

    @Test
    void aStrategyThatDeclinesFailsTheWhatIfAndCanNeitherWriteNorPassAGoldenFile() throws Exception
    {
        // a user's trial: the what-if printed a row of NaN and exited 0, and --write-golden recorded a "decision" for
        // the first agent of each type for every task the strategy never placed, which verifying then passed
        final Path plugins = java.nio.file.Files.createDirectories(tmp.resolve("declining-plugins"));
        PluginsOptionTest.pluginJar(plugins.resolve("declines.jar"), FaultyStrategies.Declines.class);
        final String name = FaultyStrategies.Declines.NAME;

        final DemoCommandTest.Run whatIf = run("replay", journal.toString(), "--what-if", name, "--plugins",
            plugins.toString());
        assertThat(whatIf.exitCode()).as("stderr: %s", whatIf.err()).isEqualTo(1);
        assertThat(whatIf.err()).startsWith("error: strategy " + name + " left ").contains("unfinished", "fix its select()");

        final Path golden = tmp.resolve("declines.golden");
        final DemoCommandTest.Run write = run("replay", journal.toString(), "--verify-decisions", "--strategy", name,
            "--plugins", plugins.toString(), "--golden", golden.toString(), "--write-golden");
        assertThat(write.exitCode()).as("stdout: %s", write.out()).isEqualTo(1);
        assertThat(write.err()).contains("left ", "unfinished", "cannot be written to a golden file");
        assertThat(golden).doesNotExist();
    }

    @Test
    void verifyDecisionsChecksTheDecisionsAfterADamagedRecordAndStillFailsOnTheDamage() throws Exception
    {
        final Path damaged = damagedCopy(tmp);
        final long before = completedBeforeTheDamage(damaged);
        final String golden = GoldenJournalTest.goldenFile("least-connections").toString();

        final DemoCommandTest.Run r = run("replay", damaged.toString(), "--verify-decisions", "--strategy",
            "least-connections", "--golden", golden);
        assertThat(r.exitCode()).isEqualTo(1);
        final java.util.regex.Matcher checked = java.util.regex.Pattern.compile("of ([0-9,]+) tasks").matcher(r.err());
        assertThat(checked.find()).as("the decisions were compared: %s", r.err()).isTrue();
        assertThat(Long.parseLong(checked.group(1).replace(",", ""))).as("decisions checked (%d before the damage)", before)
            .isGreaterThan(before + 100);
        assertThat(r.err()).contains("the journal is damaged in", "corrupt journal file", "at index 0x");

        // a golden file written from a damaged journal would bless its gaps: still refused, nothing written
        final Path written = tmp.resolve("from-damaged-" + System.nanoTime() + ".txt");
        final DemoCommandTest.Run write = run("replay", damaged.toString(), "--verify-decisions", "--strategy",
            "least-connections", "--golden", written.toString(), "--write-golden");
        assertThat(write.exitCode()).isEqualTo(1);
        assertThat(write.err()).contains("corrupt journal file");
        assertThat(written).doesNotExist();
    }

    /** @return a copy of the golden journal, in {@code dir}, with 64 bytes zeroed early in its records. */
    static Path damagedCopy(final Path dir) throws Exception
    {
        final Path copy = GoldenJournalTest.copyOfGoldenJournal(dir);
        final Path cycle;
        try (java.util.stream.Stream<Path> s = java.nio.file.Files.list(copy))
        {
            cycle = s.filter(p -> p.toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
        try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(cycle.toFile(), "rw"))
        {
            // its records run from about 65,000 to 237,000
            raf.seek(100_000);
            raf.write(new byte[64]);
        }
        return copy;
    }

    /** @return the completed tasks a reader that stops at the first damage sees. */
    static long completedBeforeTheDamage(final Path journal)
    {
        final long[] completed = {0};
        try (dev.ringmaster.journal.JournalReader reader = dev.ringmaster.journal.JournalReader.open(journal))
        {
            reader.readToEnd(rec -> completed[0] += rec.type() == dev.ringmaster.journal.EventType.COMPLETED ? 1 : 0);
            throw new AssertionError("the journal was not damaged");
        }
        catch (final dev.ringmaster.journal.JournalCorruptException expected)
        {
            return completed[0];
        }
    }
}
