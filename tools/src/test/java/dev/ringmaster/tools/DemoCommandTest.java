package dev.ringmaster.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Drives the CLI in-process through picocli, with stdout and stderr captured. */
class DemoCommandTest
{
    record Run(int exitCode, String out, String err)
    {
    }

    static Run run(final String... args)
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CommandLine cmd = RingmasterCli.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        final int code = cmd.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** Strict: a duplicate key or anything after the one document fails the parse. Thread-safe once configured. */
    private static final ObjectMapper JSON = JsonMapper.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .build();

    /** @return stdout parsed as one JSON object (nested objects as Maps, arrays as Lists, numbers as Numbers). */
    static Map<String, Object> json(final Run run)
    {
        assertThat(run.out().strip()).as("stdout is one line").doesNotContain("\n");
        try
        {
            return JSON.readValue(run.out(), new TypeReference<Map<String, Object>>() { });
        }
        catch (final JsonProcessingException e)
        {
            throw new AssertionError("stdout is not one JSON object: " + run.out(), e);
        }
    }

    static long num(final Map<String, Object> json, final String field)
    {
        assertThat(json).containsKey(field);
        return ((Number)json.get(field)).longValue();
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonSummaryAccountsForEveryTask()
    {
        final Run run = run("demo", "--tasks", "20000", "--json", "--seed", "7");

        assertThat(run.exitCode()).as("exit code; stderr: %s", run.err()).isZero();
        final Map<String, Object> j = json(run);
        final long accepted = num(j, "accepted");
        final long terminal = num(j, "completed") + num(j, "dead_lettered") + num(j, "expired") + num(j, "cancelled");
        assertThat(num(j, "lost")).isZero();
        assertThat(num(j, "lost_by_metrics")).isZero();
        assertThat(accepted).isEqualTo(terminal);
        assertThat(accepted + num(j, "rejected")).isEqualTo(20_000);
        assertThat(num(j, "completed")).isGreaterThan(19_000);
        assertThat(j).containsEntry("metrics_consistent", true).containsEntry("ok", true)
            .containsEntry("strategy", "least-connections");
        assertThat(num(j, "seed")).isEqualTo(7);
        assertThat(num(j, "tasks")).isEqualTo(20_000);
        assertThat(num(j, "p50_ns")).isPositive();
        assertThat(num(j, "p99_ns")).isGreaterThanOrEqualTo(num(j, "p50_ns"));
        assertThat(num(j, "p999_ns")).isGreaterThanOrEqualTo(num(j, "p99_ns"));
        assertThat(((Number)j.get("throughput_per_s")).doubleValue()).isPositive();
        assertThat(((Number)j.get("gini")).doubleValue()).isBetween(0.0, 1.0);
        assertThat((Map<String, Object>)j.get("stages")).containsKeys("QUEUE_WAIT", "ROUTING", "EXECUTION", "END_TO_END");
        assertThat((List<?>)j.get("agents")).hasSize(Fleet.standard().profiles().size());
        // the workload has poison tasks, so some dead letters must show up, each with a reason
        assertThat(num(j, "dead_lettered")).isPositive();
        assertThat((List<?>)j.get("dead_letter_samples")).isNotEmpty()
            .allSatisfy(d -> assertThat((String)((Map<?, ?>)d).get("reason")).isNotBlank());
        assertThat(num(j, "retries")).isPositive();
    }

    @ParameterizedTest
    @ValueSource(strings = {"round-robin", "random", "least-connections"})
    void everyStrategyDrainsWithoutLoss(final String strategy)
    {
        final Run run = run("demo", "--tasks", "3000", "--strategy", strategy, "--json", "--seed", "11");

        assertThat(run.exitCode()).as("exit code; stderr: %s", run.err()).isZero();
        final Map<String, Object> j = json(run);
        assertThat(j).containsEntry("strategy", strategy);
        assertThat(num(j, "lost")).isZero();
        assertThat(num(j, "accepted")).isEqualTo(
            num(j, "completed") + num(j, "dead_lettered") + num(j, "expired") + num(j, "cancelled"));
    }

    @Test
    void textSummaryIsReadable()
    {
        final Run run = run("demo", "--tasks", "2000", "--seed", "3", "--strategy", "round-robin");

        assertThat(run.exitCode()).as("exit code; stderr: %s", run.err()).isZero();
        assertThat(run.out())
            .contains("strategy round-robin", "seed 3", "throughput", "tasks/s", "Gini", "lost 0",
                "QUEUE_WAIT", "ROUTING", "EXECUTION", "END_TO_END", "p99", "coder-1", "reviewer-4", "researcher-4",
                "Dead letters");
    }

    @Test
    void moreWorkersThanAgentsSaysHowManyRunAndWhyWithoutBreakingTheJson()
    {
        // one task: the note is what is under test, not a run of 15 workers on few cores
        final int agents = Fleet.standard().profiles().size();
        final Run run = run("demo", "--tasks", "1", "--workers", "999", "--json", "--seed", "5");

        assertThat(run.exitCode()).as("exit code; stderr: %s", run.err()).isZero();
        assertThat(run.err()).contains("--workers 999", agents + " worker threads", "one per agent");
        assertThat(json(run)).containsEntry("ok", true);

        final Run fewer = run("demo", "--tasks", "1", "--workers", "2", "--json", "--seed", "5");
        assertThat(fewer.exitCode()).as("exit code; stderr: %s", fewer.err()).isZero();
        assertThat(fewer.err()).doesNotContain("--workers");
    }

    static Stream<Arguments> badFlags()
    {
        return Stream.of(
            Arguments.of(new String[] {"demo", "--tasks", "-5"}, List.of("--tasks", "'-5' is negative", "at least 1")),
            Arguments.of(new String[] {"demo", "--tasks", "abc"}, List.of("--tasks", "'abc' is not a whole number")),
            Arguments.of(new String[] {"demo", "--tasks", "0"}, List.of("--tasks", "'0' is zero")),
            Arguments.of(new String[] {"demo", "--strategy", "nope"},
                List.of("unknown strategy 'nope'", "least-connections", "random", "round-robin")),
            Arguments.of(new String[] {"demo", "--bogus"}, List.of("Unknown option: '--bogus'", "--help")),
            Arguments.of(new String[] {"demo", "--seed", "x"}, List.of("--seed", "'x' is not a whole number")),
            Arguments.of(new String[] {"nonsense"}, List.of("unknown command 'nonsense'", "demo")),
            Arguments.of(new String[] {}, List.of("missing command")));
    }

    @ParameterizedTest
    @MethodSource("badFlags")
    void badFlagsNameTheProblemAndFailWithUsageExitCode(final String[] args, final List<String> expected)
    {
        final Run run = run(args);

        assertThat(run.exitCode()).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(run.err()).contains(expected).contains("--help");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void helpListsTheOptionsAndTheStrategies()
    {
        final Run run = run("demo", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("--tasks", "--strategy", "--seed", "--json", "least-connections", "random",
            "round-robin", "200000");
    }

    @Test
    void topLevelHelpListsDemo()
    {
        final Run run = run("--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("demo");
    }

    @Test
    void aJournalThatCannotBeWrittenStopsTheDemoBeforeItStartsWithTheFix(@org.junit.jupiter.api.io.TempDir
                                                                        final java.nio.file.Path dir) throws Exception
    {
        final java.nio.file.Path notADirectory = java.nio.file.Files.writeString(dir.resolve("journal"), "a file");
        final Run run = run("demo", "--tasks", "1000", "--json", "--journal", notADirectory.toString());
        assertThat(run.exitCode()).as("exit code; stderr: %s", run.err()).isEqualTo(1);
        assertThat(run.err()).contains("cannot open the journal", notADirectory.toString(), "choose a directory");
        assertThat(run.out()).doesNotContain("\"ok\"");
    }
}
