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
            "least-connections (recorded)", "calibration: least-connections simulated p99", "context waste is 0");
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
}
