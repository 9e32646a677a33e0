package dev.ringmaster.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringmaster.bench.harness.Systems;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ringmaster bench --quick --json} runs every system and prints every one in its JSON summary, with the
 * files it promised; no speed is asserted (the quick rates only check that the harness works).
 */
class BenchCommandTest
{
    @TempDir
    Path out;

    @Test
    void quickJsonRunsAndPrintsEverySystem() throws Exception
    {
        final DemoCommandTest.Run run = DemoCommandTest.run("bench", "--quick", "--json", "--out", out.toString());

        assertThat(run.exitCode()).as("exit code; stderr: %s", run.err()).isZero();
        // stderr is no terminal here: the harness's lines as they come, and no progress bar (it would redraw with \r)
        assertThat(run.err()).contains("searching the maximum rate of " + Systems.names().get(0) + " ...",
            "bench finished in").doesNotContain("\r");
        final JsonNode json = new ObjectMapper().readTree(run.out());
        final List<String> systems = new ArrayList<>();
        json.get("systems").forEach(s -> systems.add(s.get("name").asText()));
        assertThat(systems).containsExactlyElementsOf(Systems.defaults());

        final JsonNode runs = json.get("runs");
        assertThat(runs).hasSize(Systems.defaults().size() * 2);
        for (final JsonNode r : runs)
        {
            assertThat(r.get("tasks").asLong()).as("measured tasks of %s", r).isPositive();
            assertThat(r.get("p99Micros").isNumber()).isTrue();
            assertThat(r.get("ratioToReference").has("p99")).isTrue();
            assertThat(out.resolve(r.get("hgrm").asText())).exists();
        }
        assertThat(json.get("maxRate")).hasSize(Systems.defaults().size());
        assertThat(json.get("targets").size()).isPositive();
        try (var files = Files.list(out))
        {
            assertThat(files.filter(p -> p.toString().endsWith(".png")).count()).isEqualTo(2);
        }
    }

    @Test
    void repeatMeasuresEachSystemInSeveralWindowsAndReportsThem() throws Exception
    {
        final DemoCommandTest.Run run = DemoCommandTest.run("bench", "--quick", "--json", "--no-max", "--repeat", "3",
            "--rates", "2k", "--systems", "ringmaster,thread-pool", "--out", out.toString());

        assertThat(run.exitCode()).as("exit code; stderr: %s", run.err()).isZero();
        assertThat(run.err()).contains("ringmaster at 2k tasks/s (window 3 of 3) ...");
        final JsonNode json = new ObjectMapper().readTree(run.out());
        final JsonNode runs = json.get("runs");
        assertThat(runs).hasSize(2);
        // a target over a system not run is neither met nor missed (it read "met": false, a miss for a CI check)
        json.get("targets").forEach(t -> assertThat(t.get("met").isNull()).as("%s", t)
            .isEqualTo(t.get("ratio").isNull()));
        assertThat(json.get("targets").findValues("met")).anyMatch(JsonNode::isNull);
        for (final JsonNode r : runs)
        {
            assertThat(r.get("windows").asInt()).isEqualTo(3);
            assertThat(r.get("p99MicrosPerWindow")).hasSize(3);
        }
        final DemoCommandTest.Run zero = DemoCommandTest.run("bench", "--quick", "--repeat", "0", "--out", out.toString());
        assertThat(zero.exitCode()).isEqualTo(2);
        assertThat(zero.err()).contains("--repeat");
    }

    @Test
    void theAcknowledgedJournalRunsOnlyWhenNamedAndCompletesEveryTask() throws Exception
    {
        assertThat(Systems.defaults()).doesNotContain(Systems.RINGMASTER_JOURNAL_ACK);
        final DemoCommandTest.Run run = DemoCommandTest.run("bench", "--quick", "--json", "--no-max", "--rates", "2k",
            "--systems", Systems.RINGMASTER_JOURNAL_ACK, "--out", out.toString());

        assertThat(run.exitCode()).as("exit code; stderr: %s", run.err()).isZero();
        final JsonNode r = new ObjectMapper().readTree(run.out()).get("runs").get(0);
        assertThat(r.get("system").asText()).isEqualTo(Systems.RINGMASTER_JOURNAL_ACK);
        assertThat(r.get("completed").asLong()).isPositive().isEqualTo(r.get("tasks").asLong());
        assertThat(r.get("unfinished").asLong()).isZero();
    }

    @Test
    void unknownSystemIsAUsageError()
    {
        final DemoCommandTest.Run run = DemoCommandTest.run("bench", "--quick", "--systems", "nope", "--out",
            out.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("unknown system 'nope'").contains("thread-pool");
    }

    @Test
    void aCostWhoseDefaultIsNoneTakesZeroAndRefusesWhatIsNoTime()
    {
        // demo's --help says "default: 0, nothing", and "--context-load 0" was refused (at least 1ms)
        final BenchCommand.TimeOrZero time = new BenchCommand.TimeOrZero();
        assertThat(time.convert("0")).isZero();
        assertThat(time.convert("0ms")).isZero();
        assertThat(time.convert("0.0s")).isZero();
        assertThat(time.convert("20ms")).isEqualTo(20_000_000L);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> time.convert("0.0001ms"))
            .hasMessageContaining("between 1ms and 1h");
    }
}
