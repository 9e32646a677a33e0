package dev.ringmaster.tools;

import dev.ringmaster.journal.JournalReader;
import dev.ringmaster.plugin.PluginRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The golden journal: a 400-task demo run kept in test resources ({@code golden/journal}, its cycle file cut to the
 * 256 KiB it uses), replayed through every built-in strategy in the simulator. Every decision must match
 * {@code golden/decisions/NAME.txt}; a strategy whose decisions change fails here until its golden file is
 * regenerated on purpose:
 *
 * <pre>
 * mvn -o -B verify -pl tools -am -Dtest=GoldenJournalTest -Dsurefire.failIfNoSpecifiedTests=false -Dringmaster.golden.write=true
 * </pre>
 *
 * which rewrites {@code tools/src/test/resources/golden/decisions/} (review the diff, then commit it).
 */
class GoldenJournalTest
{
    /** Set to true to rewrite the golden decision files from this build's strategies instead of checking them. */
    static final String WRITE = "ringmaster.golden.write";

    @TempDir
    static Path tmp;

    private static Path journal;
    private static JournalArrivals arrivals;
    private static ReplayFleet fleet;

    @BeforeAll
    static void readTheGoldenJournal() throws IOException, URISyntaxException
    {
        journal = copyOfGoldenJournal(tmp);
        try (JournalReader reader = JournalReader.open(journal))
        {
            arrivals = JournalArrivals.read(reader, journal);
        }
        fleet = ReplayFleet.of(journal, arrivals);
    }

    /** @return a copy of the golden journal in {@code dir}: readers may touch Chronicle's metadata file. */
    static Path copyOfGoldenJournal(final Path dir) throws IOException, URISyntaxException
    {
        final Path source = Paths.get(GoldenJournalTest.class.getResource("/golden/journal").toURI());
        final Path copy = Files.createDirectories(dir.resolve("golden-journal-" + System.nanoTime()));
        try (Stream<Path> files = Files.list(source))
        {
            for (final Path f : (Iterable<Path>)files::iterator)
            {
                Files.copy(f, copy.resolve(f.getFileName().toString()));
            }
        }
        return copy;
    }

    /** @return the golden decisions file of a strategy on the test class path. */
    static Path goldenFile(final String strategy) throws URISyntaxException
    {
        final java.net.URL url = GoldenJournalTest.class.getResource("/golden/decisions/" + strategy + ".txt");
        return url == null ? tmp.resolve("missing-" + strategy + ".txt") : Paths.get(url.toURI());
    }

    static Stream<String> builtInStrategies()
    {
        final List<String> names = new ArrayList<>();
        try (PluginRegistry registry = PluginRegistry.classpath())
        {
            for (final String name : registry.strategies().keySet())
            {
                names.add(name);
            }
        }
        return names.stream().sorted();
    }

    @Test
    void theGoldenJournalIsTheSmallRecordedDemoRun()
    {
        assertThat(arrivals.arrivals()).hasSize(400);
        assertThat(arrivals.recordedStrategy()).isEqualTo("least-connections");
        assertThat(fleet.origin()).contains("demo's fleet");
        assertThat(builtInStrategies()).as("every built-in strategy is checked").hasSizeGreaterThanOrEqualTo(17);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("builtInStrategies")
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everyDecisionMatchesTheGoldenFile(final String strategy) throws URISyntaxException
    {
        final WhatIf.Outcome outcome = WhatIf.run(arrivals, fleet, strategy, getClass().getClassLoader(), 0);
        if (Boolean.getBoolean(WRITE))
        {
            GoldenDecisions.write(Paths.get("src/test/resources/golden/decisions", strategy + ".txt"), strategy,
                outcome.decisions());
            return;
        }
        assertThat(outcome.decisions()).as("a decision for every replayed task").hasSize(400);

        final GoldenDecisions.Comparison c = GoldenDecisions.compare(goldenFile(strategy), strategy,
            outcome.decisions());

        assertThat(c.differences())
            .as("%s changed %d of %d decisions; if that is intended, regenerate the golden files with -D%s=true " +
                "(see this class's javadoc) and commit them", strategy, c.differing(), c.tasks(), WRITE)
            .isEmpty();
    }

    /**
     * The README's check as a user runs it, in a fresh JVM: there no skill name is registered before the journal is
     * read, and a replay that took a task's skills as a mask then (names no agent had had yet take no bit) replayed
     * every task as needing none, so 72% of p2c's decisions differed; in this class's JVM earlier tests had registered
     * the names, and it passed.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theCommandAUserRunsMatchesInAFreshJvm() throws Exception
    {
        final Path out = tmp.resolve("fresh-" + System.nanoTime() + ".out");
        final Path err = tmp.resolve("fresh-" + System.nanoTime() + ".err");
        final Process replay = ChildCli.start(out, err, "replay", journal.toString(), "--verify-decisions", "--strategy",
            "skill-based", "--golden", goldenFile("skill-based").toString());
        try
        {
            assertThat(replay.waitFor(50, TimeUnit.SECONDS)).as("replay finished").isTrue();
        }
        finally
        {
            replay.destroyForcibly();
        }
        assertThat(replay.exitValue()).as("stderr: %s", Files.readString(err)).isZero();
        assertThat(Files.readString(out)).contains("skill-based: all 400 decisions match");
    }

    @Test
    void anAgentsTimeRangeSaysWhyAnotherAgentIsCounted()
    {
        // coder-2 stole one of coder-1's tasks: the STOLEN event is coder-1's too, and counts under coder-2
        final DemoCommandTest.Run audit = DemoCommandTest.run("audit", journal.toString(), "--from", "0", "--agent",
            "coder-1");
        assertThat(audit.exitCode()).as("stderr: %s", audit.err()).isZero();
        assertThat(audit.out()).contains("coder-2: 1",
            "(the steals of coder-1's tasks count under the agents that stole them)");
    }

    @Test
    void aReplayIsDeterministic()
    {
        final WhatIf.Outcome first = WhatIf.run(arrivals, fleet, "p2c", getClass().getClassLoader(), 0);
        final WhatIf.Outcome second = WhatIf.run(arrivals, fleet, "p2c", getClass().getClassLoader(), 0);

        assertThat(second.decisions()).isEqualTo(first.decisions());
        assertThat(second.p99SojournSeconds()).isEqualTo(first.p99SojournSeconds());
    }

    @Test
    void thePluginAuthorsCommandPassesOnTheGoldenFileAndFailsOnAChangedDecision() throws Exception
    {
        final Path golden = goldenFile("least-connections");
        final DemoCommandTest.Run same = DemoCommandTest.run("replay", journal.toString(), "--verify-decisions",
            "--strategy", "least-connections", "--golden", golden.toString());
        assertThat(same.exitCode()).as("stderr: %s", same.err()).isZero();
        assertThat(same.out()).contains("least-connections: all 400 decisions match");

        // one decision changed in a copy of the golden file: as if the strategy had changed its mind once
        final List<String> lines = new ArrayList<>(Files.readAllLines(golden));
        final int at = lines.size() - 1;
        final String[] last = lines.get(at).split(" ");
        final String other = last[1].equals("coder-1") ? "coder-2" : "coder-1";
        lines.set(at, last[0] + " " + other);
        final Path changed = Files.write(tmp.resolve("changed.txt"), lines);

        final DemoCommandTest.Run differs = DemoCommandTest.run("replay", journal.toString(), "--verify-decisions",
            "--strategy", "least-connections", "--golden", changed.toString());

        assertThat(differs.exitCode()).isEqualTo(1);
        assertThat(differs.err()).startsWith("error: strategy least-connections decided 1 of 400 tasks differently")
            .contains("task " + last[0] + " went to " + last[1] + ", the golden file says " + other)
            .contains("--write-golden");
    }

    @Test
    void writeGoldenWritesTheFileTheCheckThenPasses()
    {
        final Path file = tmp.resolve("written/p2c.txt");
        final DemoCommandTest.Run write = DemoCommandTest.run("replay", journal.toString(), "--verify-decisions",
            "--strategy", "p2c", "--golden", file.toString(), "--write-golden");
        assertThat(write.exitCode()).as("stderr: %s", write.err()).isZero();

        final DemoCommandTest.Run check = DemoCommandTest.run("replay", journal.toString(), "--verify-decisions",
            "--strategy", "p2c", "--golden", file.toString());

        assertThat(check.exitCode()).as("stderr: %s", check.err()).isZero();
        assertThat(check.out()).contains("p2c: all 400 decisions match");

        // another strategy's golden file: named as such, with no advice to overwrite it with --write-golden
        final DemoCommandTest.Run wrong = DemoCommandTest.run("replay", journal.toString(), "--verify-decisions",
            "--strategy", "least-connections", "--golden", file.toString());
        assertThat(wrong.exitCode()).isNotZero();
        assertThat(wrong.err()).contains("holds the decisions of strategy p2c, not of least-connections",
            "give --strategy p2c").doesNotContain("regenerate the file");
    }

    @Test
    void onADamagedJournalTheDamageComesFirstAndNoCountExceedsTheTasksChecked() throws Exception
    {
        // a demo journal of many batch documents, so a cut leaves the first half readable with completed tasks in
        // it: acknowledged, so that submitting keeps pace with the writer; async, a loaded machine let the producer
        // run ahead, and the first 256 KB document held acceptances only (no completed task before the cut)
        final Path damaged = tmp.resolve("damaged");
        assertThat(DemoCommandTest.run("demo", "--tasks", "3000", "--seed", "4", "--json", "--journal",
            damaged.toString(), "--durability", "acknowledged").exitCode()).isZero();
        final Path golden = tmp.resolve("damaged-least-connections.txt");
        assertThat(DemoCommandTest.run("replay", damaged.toString(), "--verify-decisions", "--strategy",
            "least-connections", "--golden", golden.toString(), "--write-golden").exitCode()).isZero();
        final Path cycle;
        try (Stream<Path> files = Files.list(damaged))
        {
            cycle = files.filter(p -> p.toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
        final byte[] bytes = Files.readAllBytes(cycle);
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] == 0)
        {
            end--;
        }
        try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(cycle.toFile(), "rw"))
        {
            raf.setLength(end / 2); // cut mid-data: about half the tasks are missing
        }

        final DemoCommandTest.Run verify = DemoCommandTest.run("replay", damaged.toString(), "--verify-decisions",
            "--strategy", "least-connections", "--golden", golden.toString());

        assertThat(verify.exitCode()).isEqualTo(1);
        assertThat(verify.err()).startsWith("error: the journal is damaged").doesNotContain("--write-golden",
            "If the change is intended");
        final java.util.regex.Matcher m = java.util.regex.Pattern.compile("decided ([\\d,]+) of ([\\d,]+) tasks")
            .matcher(verify.err());
        assertThat(m.find()).as(verify.err()).isTrue();
        assertThat(Long.parseLong(m.group(1).replace(",", ""))).as(verify.err())
            .isLessThanOrEqualTo(Long.parseLong(m.group(2).replace(",", "")));
        assertThat(verify.err()).contains("not among the journal's");
    }
}
