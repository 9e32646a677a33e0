package dev.ringmaster.tools;

import dev.ringmaster.plugin.PluginKind;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every command against bad input: a malformed value, a missing, unwritable or wrong-kind path, a damaged plugin jar.
 * Each must fail (or, for a skipped jar, warn) with the problem and the fix on stderr, the right exit code, and no
 * stack trace; nothing may start long work first.
 */
class BadInputTest
{
    /** What every command says of a Chronicle queue that Ringmaster did not write. */
    private static final String FOREIGN = "holds a Chronicle queue that Ringmaster did not write";

    @TempDir
    static Path root;

    /** A regular file: a path under it can be neither read nor created, even as root. */
    private static Path file;
    private static Path missing;
    private static Path underFile;
    private static Path emptyDir;
    private static Path goldenJournal;
    /** A journal of an earlier run, for a demo to be refused to write into: it must stay as it is for no other case. */
    private static Path earlierRun;
    private static Path damagedJournal;
    private static Path taskless;
    private static Path foreignQueue;

    private static Path emptyJar;
    private static Path truncatedJar;
    private static Path badServicesJar;
    private static Path directoryJar;

    @BeforeAll
    static void fixtures() throws IOException, java.net.URISyntaxException
    {
        file = Files.writeString(root.resolve("a-file"), "not a journal, not a directory");
        missing = root.resolve("no-such-path");
        underFile = file.resolve("sub");
        emptyDir = Files.createDirectory(root.resolve("empty-dir"));
        goldenJournal = GoldenJournalTest.copyOfGoldenJournal(root);
        earlierRun = GoldenJournalTest.copyOfGoldenJournal(root);
        damagedJournal = GoldenJournalTest.copyOfGoldenJournal(root);
        try (Stream<Path> files = Files.list(damagedJournal))
        {
            for (final Path f : (Iterable<Path>)files::iterator)
            {
                if (f.toString().endsWith(".cq4"))
                {
                    // cut below the header every cycle file starts with
                    try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(f.toFile(), "rw"))
                    {
                        raf.setLength(100);
                    }
                }
            }
        }
        taskless = root.resolve("taskless");
        try (dev.ringmaster.journal.Journal j = dev.ringmaster.journal.Journal.open(
            dev.ringmaster.journal.JournalConfig.at(taskless)))
        {
            j.stats(); // opened and closed: a journal with its files and not one record
        }

        // a valid Chronicle queue that another program wrote, of a few text documents (after Journal.open above, which
        // set up the JVM for Chronicle)
        foreignQueue = root.resolve("foreign-queue");
        try (var queue = net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder.binary(foreignQueue).build())
        {
            for (int i = 0; i < 3; i++)
            {
                queue.createAppender().writeText("order " + i + " shipped");
            }
        }

        emptyJar = Files.createDirectory(root.resolve("empty-jar"));
        Files.write(emptyJar.resolve("x.jar"), new byte[0]);

        truncatedJar = Files.createDirectory(root.resolve("truncated-jar"));
        final Path whole = PluginsOptionTest.pluginJar(root.resolve("whole.jar"), JarOnlyStrategy.Provider.class);
        final byte[] bytes = Files.readAllBytes(whole);
        Files.write(truncatedJar.resolve("x.jar"), Arrays.copyOf(bytes, bytes.length / 2));

        badServicesJar = Files.createDirectory(root.resolve("bad-services-jar"));
        try (OutputStream out = Files.newOutputStream(badServicesJar.resolve("x.jar"));
             JarOutputStream jar = new JarOutputStream(out))
        {
            jar.putNextEntry(new JarEntry(PluginKind.ROUTING_STRATEGY.servicesFile()));
            jar.write("com.example.NoSuchProvider\n".getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }

        directoryJar = Files.createDirectory(root.resolve("directory-jar"));
        Files.createDirectory(directoryJar.resolve("x.jar"));
    }

    /**
     * One bad invocation: its arguments (made from the fixtures), exit code, and what stderr (or, for a command that
     * reports the problem as its result, stdout) must start with and say.
     */
    private record Case(String name, Supplier<String[]> args, int exit, boolean onStdout, String prefix,
                        List<String> says)
    {
        @Override
        public String toString()
        {
            return name;
        }
    }

    private static Arguments usage(final String name, final Supplier<String[]> args, final String... says)
    {
        return Arguments.of(new Case(name, args, 2, false, "error: ", List.of(says)));
    }

    private static Arguments failed(final String name, final Supplier<String[]> args, final String... says)
    {
        return Arguments.of(new Case(name, args, 1, false, "error: ", List.of(says)));
    }

    /**
     * A jar that cannot be used is skipped with a warning naming it (its directory too, so it can be found) and the
     * fix; the command itself goes on.
     */
    private static Arguments skipped(final String name, final Supplier<String[]> args, final String... says)
    {
        final List<String> all = new java.util.ArrayList<>(List.of(says));
        all.add(java.io.File.separator + "x.jar");
        return Arguments.of(new Case(name, args, 0, false, "warning: plugin skipped: ", all));
    }

    /** The plugins command reports the jars it skipped as its result, on stdout, with the fix. */
    private static Arguments listed(final String name, final Supplier<String[]> args, final String... says)
    {
        return Arguments.of(new Case(name, args, 0, true, "", List.of(says)));
    }

    private static String[] a(final Object... args)
    {
        return Arrays.stream(args).map(String::valueOf).toArray(String[]::new);
    }

    static Stream<Arguments> cases()
    {
        return Stream.of(
            // a malformed value, one per command
            usage("demo --tasks abc", () -> a("demo", "--tasks", "abc"), "--tasks", "'abc' is not a whole number"),
            usage("serve --duration x", () -> a("serve", "--duration", "x"), "--duration",
                "'x' is not a whole number; give one such as --duration 0"),
            usage("audit --prefetch 1.5", () -> a("audit", emptyDir, "1", "--prefetch", "1.5"), "--prefetch",
                "'1.5' is not a whole number; give one such as --prefetch 1"),
            usage("audit --prefetch too large", () -> a("audit", emptyDir, "1", "--prefetch", "99999999999"),
                "--prefetch", "'99999999999' is out of range: give a whole number from -2147483648 to 2147483647"),
            usage("demo --durability without --journal", () -> a("demo", "--tasks", "100", "--durability",
                "acknowledged"), "--durability needs --journal DIR"),
            usage("strategies --plugins ''", () -> a("strategies", "--plugins", ""), "--plugins"),
            usage("plugins --plugins ''", () -> a("plugins", "--plugins", ""), "--plugins"),
            usage("audit DIR abc", () -> a("audit", emptyDir, "abc"), "'abc' is not a task id"),
            usage("audit --explain --prefetch -1", () -> a("audit", goldenJournal, "1", "--explain", "--prefetch",
                "-1"), "--prefetch must be 0 or more"),
            usage("audit --explain --plugins missing", () -> a("audit", goldenJournal, "1", "--explain", "--plugins",
                missing), "does not exist", "--plugins"),
            usage("audit --prefetch without --explain", () -> a("audit", goldenJournal, "1", "--prefetch", "2"),
                "go with --explain"),
            usage("audit --admin --explain", () -> a("audit", goldenJournal, "--admin", "--explain"),
                "no routing decision to explain", "drop the --explain"),
            usage("add-agent --capacity 0", () -> a("admin", "add-agent", "--id", "c9", "--type", "coder", "--capacity",
                "0"), "'0' is zero; give a count of at least 1"),
            usage("audit TASK_ID --agent", () -> a("audit", goldenJournal, "1", "--agent", "coder-1"),
                "--agent narrows a time range", "drop --agent, or give --from instead of the TASK_ID"),
            failed("audit --from --agent unknown", () -> a("audit", goldenJournal, "--from", "0", "--agent", "nosuch"),
                "no events of agent 'nosuch'", "check the agent id"),
            usage("audit --to before --from", () -> a("audit", goldenJournal, "--from", "2026-05-01T12:00:00Z",
                "--to", "2026-05-01T11:00:00Z"), "--to must be after --from"),
            usage("replay DIR --bucket-ms x", () -> a("replay", emptyDir, "--bucket-ms", "x"), "--bucket-ms", "'x'"),
            usage("replay --what-if unknown", () -> a("replay", emptyDir, "--what-if", "p2c,nosuch"),
                "unknown strategy 'nosuch' for --what-if", "choose one of"),
            usage("replay --what-if ','", () -> a("replay", emptyDir, "--what-if", ","), "--what-if needs strategy names"),
            usage("replay --context-load-us -1", () -> a("replay", emptyDir, "--what-if", "p2c", "--context-load-us",
                "-1"), "--context-load-us", "out of range"),
            usage("replay --verify-decisions without --strategy", () -> a("replay", emptyDir, "--verify-decisions"),
                "--verify-decisions needs --strategy NAME"),
            usage("replay --verify-decisions unknown", () -> a("replay", emptyDir, "--verify-decisions", "--strategy",
                "nosuch"), "unknown strategy 'nosuch' for --strategy"),
            usage("replay --unpaced alone", () -> a("replay", emptyDir, "--unpaced"), "--unpaced goes with --what-if"),
            usage("replay --plugins alone", () -> a("replay", emptyDir, "--plugins", missing),
                "--plugins goes with --what-if or --verify-decisions"),
            usage("bench --systems twice", () -> a("bench", "--quick", "--systems", "ringmaster,ringmaster"),
                "--systems names a system twice", "use --repeat N"),
            usage("bench --rates 1e12", () -> a("bench", "--quick", "--rates", "1e12"), "--rates",
                "rate must be from 1 to 100M tasks/s"),
            usage("demo --context-load x", () -> a("demo", "--context-load", "x"), "--context-load", "is not a time"),
            usage("demo --context-load 20000", () -> a("demo", "--context-load", "20000"), "--context-load",
                "a bare number is seconds: write e.g. 20ms"),
            usage("simulate supermarket --prefetch", () -> a("simulate", "--scenario", "supermarket", "--prefetch", "2"),
                "the supermarket scenario binds early", "add --binding late"),
            usage("simulate --loads 0", () -> a("simulate", "--loads", "0"), "at 0 nothing arrives"),
            usage("replay --context-load-us with --verify-decisions", () -> a("replay", emptyDir, "--verify-decisions",
                "--strategy", "p2c", "--context-load-us", "5"), "--context-load-us goes with --what-if",
                "--what-if p2c --context-load-us 5"),
            usage("replay --write-golden alone", () -> a("replay", emptyDir, "--write-golden"),
                "go with --verify-decisions"),
            usage("replay --what-if with --verify-decisions", () -> a("replay", emptyDir, "--what-if", "p2c",
                "--verify-decisions", "--strategy", "p2c"), "give one of them"),
            usage("recover DIR --wait x", () -> a("recover", emptyDir, "--wait", "x"), "--wait", "'x' is not a time"),
            usage("serve --port x", () -> a("serve", "--port", "x"), "--port", "'x'"),
            usage("serve --durability without --journal", () -> a("serve", "--port", "0", "--duration", "1",
                "--durability", "acknowledged"), "--durability needs --journal DIR"),
            usage("serve --token-file missing", () -> a("serve", "--token-file", missing, "--port", "0", "--duration",
                "1"), "--token-file " + missing + " does not exist", "openssl rand -hex 16 > " + missing),
            usage("admin status --url x", () -> a("admin", "status", "--url", "::x"), "--url"),
            usage("admin status --url port out of range", () -> a("admin", "status", "--url",
                "http://127.0.0.1:99999"), "has port 99999, out of range", "a port from 1 to 65535", "for --url"),
            usage("admin scale --agents -1", () -> a("admin", "scale", "--type", "coder", "--agents", "-1"),
                "--agents", "'-1' is not a number of agents", "from 0 to 1024"),
            usage("admin scale without --agents", () -> a("admin", "scale", "--type", "coder"), "--agents"),
            usage("admin submit --priority urgent", () -> a("admin", "submit", "--type", "coder", "--priority",
                "urgent"), "--priority", "'urgent' is not a priority", "CRITICAL"),
            usage("admin submit --ttl x", () -> a("admin", "submit", "--type", "coder", "--ttl", "x"), "--ttl",
                "'x' is not a number of seconds"),
            usage("admin submit --ttl 0", () -> a("admin", "submit", "--type", "coder", "--ttl", "0"), "--ttl",
                "'0' is out of range", "(0, 86400]", "leave --ttl out"),
            usage("admin submit --ttl 86401", () -> a("admin", "submit", "--type", "coder", "--ttl", "86401"), "--ttl",
                "'86401' is out of range", "(0, 86400]"),
            usage("admin submit without --type", () -> a("admin", "submit", "--payload", "p"), "--type"),
            usage("admin task --id x", () -> a("admin", "task", "--id", "x"), "--task", "'x' is not a task id",
                "'ringmaster admin submit' printed"),
            usage("admin cancel --task x", () -> a("admin", "cancel", "--task", "x"), "--task",
                "'x' is not a task id"),
            usage("admin requeue --task x", () -> a("admin", "requeue", "--task", "x"), "--task",
                "'x' is not a task id", "'ringmaster admin dead-letters'"),
            usage("admin reprioritize --task x", () -> a("admin", "reprioritize", "--task", "x", "--priority",
                "high"), "--task", "'x' is not a task id"),
            usage("admin cancel --task -5", () -> a("admin", "cancel", "--task", "-5"), "--task",
                "task id -5 is negative"),
            usage("admin task --id -5", () -> a("admin", "task", "--id", "-5"), "--task", "task id -5 is negative"),
            usage("admin audit --limit 0", () -> a("admin", "audit", "--limit", "0"), "--limit"),
            usage("admin add-agent --speed abc", () -> a("admin", "add-agent", "--id", "x", "--type", "coder",
                "--speed", "abc"), "--speed", "'abc' is not a speed", "1.0 for the reference agent"),
            usage("admin add-agent --speed 0", () -> a("admin", "add-agent", "--id", "x", "--type", "coder",
                "--speed", "0"), "--speed", "speed 0 is not positive"),
            usage("admin add-agent --skill java", () -> a("admin", "add-agent", "--id", "x", "--type", "coder",
                "--skill", "java"), "--skill", "'java' is not a skill with its proficiency", "e.g. java=0.9"),
            usage("admin add-agent --skill java=abc", () -> a("admin", "add-agent", "--id", "x", "--type", "coder",
                "--skill", "java=abc"), "--skill", "'abc' is not a proficiency for skill 'java'"),
            usage("admin add-agent --skill java=1.5", () -> a("admin", "add-agent", "--id", "x", "--type", "coder",
                "--skill", "java=1.5"), "--skill", "outside [0, 1]"),
            usage("simulate --tasks x", () -> a("simulate", "--tasks", "x"), "--tasks", "'x' is not a whole number"),
            usage("simulate --agents 0", () -> a("simulate", "--agents", "0"), "--agents", "'0' is zero",
                "at least 1"),
            usage("simulate --capacity -2", () -> a("simulate", "--capacity", "-2"), "--capacity", "negative"),
            usage("simulate --prefetch -1", () -> a("simulate", "--prefetch", "-1"), "--prefetch", "at least 0"),
            usage("simulate --prefetch with --binding early", () -> a("simulate", "--prefetch", "1", "--binding",
                "early", "--tasks", "100"), "--prefetch applies to late binding only", "use --binding late"),
            usage("simulate --binding sideways", () -> a("simulate", "--binding", "sideways"), "--binding",
                "unknown binding 'sideways'", "use late"),
            usage("simulate --loads 1.2", () -> a("simulate", "--loads", "0.5,1.2"), "--loads",
                "'1.2' is not a load in (0, 1)", "give e.g. 0.9"),
            usage("simulate --loads x", () -> a("simulate", "--loads", "x"), "--loads", "'x' is not a number"),
            usage("simulate --burst 1", () -> a("simulate", "--burst", "1"), "--burst", "above 1", "such as 2"),
            usage("simulate --period 0", () -> a("simulate", "--burst", "2", "--period", "0"), "--period",
                "not a positive number of seconds"),
            usage("simulate --period without bursts", () -> a("simulate", "--scenario", "homogeneous", "--period",
                "10", "--tasks", "100"), "--period sets the length of bursts", "add --burst F"),
            usage("simulate --work pareto:1", () -> a("simulate", "--work", "pareto:1"), "--work",
                "the Pareto shape must be above 1", "pareto:1.5"),
            usage("simulate --work gamma", () -> a("simulate", "--work", "gamma"), "--work",
                "unknown work distribution 'gamma'", "use exp or pareto:ALPHA"),
            usage("bench --rates x", () -> a("bench", "--rates", "x"), "--rates", "'x' is not a rate"),
            // a number each converter accepts that the command cannot use
            usage("demo --queue-capacity too large", () -> a("demo", "--queue-capacity", Integer.MAX_VALUE, "--tasks",
                "100"), "--queue-capacity 2,147,483,647 is more than the demo can allocate", "give at most 1,048,576"),
            usage("simulate --agents too many", () -> a("simulate", "--agents", "20000000", "--tasks", "100"),
                "--agents, --capacity and --prefetch add up to 60,000,000 task slots", "give fewer agents"),
            usage("simulate --capacity too large", () -> a("simulate", "--capacity", "2000000000", "--tasks", "100",
                "--scenario", "homogeneous"), "add up to 16,000,000,008 task slots", "give fewer agents"),
            usage("simulate --prefetch too large", () -> a("simulate", "--prefetch", "2000000000", "--tasks", "100",
                "--scenario", "homogeneous"), "add up to 16,000,000,016 task slots", "give fewer agents"),
            // a value named twice: run twice, into two rows nobody can tell apart
            usage("simulate --strategies twice", () -> a("simulate", "--strategies", "p2c,random,p2c", "--tasks",
                "100"), "--strategies names p2c twice", "give each once"),
            usage("simulate --loads twice", () -> a("simulate", "--loads", "0.5,0.50", "--tasks", "100"),
                "--loads names 0.5 twice", "give each once"),
            // an option that the chosen mode would silently ignore
            usage("replay --verify-decisions --json", () -> a("replay", emptyDir, "--verify-decisions", "--strategy",
                "p2c", "--json"), "--json goes with the report and --what-if", "drop --json"),
            usage("replay --what-if --bucket-ms", () -> a("replay", emptyDir, "--what-if", "p2c", "--bucket-ms", "5"),
                "--bucket-ms sets the utilization buckets of the plain report", "drop --bucket-ms"),
            usage("learn --out ''", () -> a("learn", goldenJournal, "--out", ""), "--out is empty",
                "e.g. --out patterns.rmp"),
            usage("learn --out under a file", () -> a("learn", goldenJournal, "--out", file.resolve("m.rmp")),
                file + " is a file, not a directory", "write the model elsewhere"),
            // nothing found: say what there is to look for
            failed("audit an unknown task", () -> a("audit", goldenJournal, "99999"),
                "task 99999 is not in the journal", "whose task ids run from 0 to 399; give one of those"),
            failed("audit a time range without events", () -> a("audit", goldenJournal, "--from",
                "2030-01-01T00:00:00Z"), "no events in that time range",
                "its records run from 2026-11-30T04:04:46.", "give a range that overlaps them"),
            // a journal an earlier run wrote: the demo's ids, 0 up every run, would collide with its tasks'
            failed("demo --journal a journal of an earlier run", () -> a("demo", "--journal", earlierRun, "--tasks",
                "100"), earlierRun + " already holds a journal an earlier run wrote", "give --journal a new directory"),

            // a path that does not exist
            failed("audit missing", () -> a("audit", missing, "1"), missing.toString(), "does not exist"),
            failed("replay missing", () -> a("replay", missing), missing.toString(), "does not exist"),
            failed("recover missing", () -> a("recover", missing), missing.toString(), "does not exist"),
            usage("strategies --plugins missing", () -> a("strategies", "--plugins", missing), "does not exist",
                "--plugins"),
            usage("plugins --plugins missing", () -> a("plugins", "--plugins", missing), "does not exist", "--plugins"),
            usage("serve --plugins missing", () -> a("serve", "--plugins", missing, "--port", "0", "--duration", "1"),
                "does not exist", "--plugins"),
            usage("demo --plugins missing", () -> a("demo", "--plugins", missing, "--tasks", "100"),
                "does not exist", "--plugins"),
            usage("simulate --plugins missing", () -> a("simulate", "--plugins", missing, "--tasks", "100"),
                "does not exist", "--plugins"),

            // a path that cannot be created or written: under a regular file
            failed("demo --journal under a file", () -> a("demo", "--tasks", "100", "--journal", underFile),
                underFile.toString()),
            failed("serve --journal under a file",
                () -> a("serve", "--journal", underFile, "--port", "0", "--duration", "1"), underFile.toString()),
            failed("bench --out under a file", () -> a("bench", "--quick", "--out", underFile), underFile.toString()),
            failed("replay under a file", () -> a("replay", underFile), underFile.toString()),
            failed("audit under a file", () -> a("audit", underFile, "1"), underFile.toString()),
            failed("recover under a file", () -> a("recover", underFile), underFile.toString()),

            // the wrong kind: a file for a directory, a directory that is not a journal
            failed("demo --journal a file", () -> a("demo", "--tasks", "100", "--journal", file), file + " is a file",
                "choose a directory"),
            failed("serve --journal a file", () -> a("serve", "--journal", file, "--port", "0", "--duration", "1"),
                file + " is a file"),
            failed("bench --out a file", () -> a("bench", "--quick", "--out", file), file + " is a file",
                "give a directory"),
            failed("replay a file", () -> a("replay", file), file.toString(), "it is a file"),
            failed("audit a file", () -> a("audit", file, "1"), file.toString(), "it is a file"),
            failed("recover a file", () -> a("recover", file), file.toString(), "it is a file"),
            usage("strategies --plugins a file", () -> a("strategies", "--plugins", file), "is not a directory"),
            usage("demo --plugins a file", () -> a("demo", "--plugins", file, "--tasks", "100"), "is not a directory"),
            usage("simulate --plugins a file", () -> a("simulate", "--plugins", file, "--tasks", "100"),
                "is not a directory"),
            failed("replay an empty directory", () -> a("replay", emptyDir), emptyDir.toString(), "journal"),
            failed("replay --what-if an empty directory", () -> a("replay", emptyDir, "--what-if", "p2c"),
                emptyDir.toString(), "journal"),
            failed("replay --what-if a damaged journal", () -> a("replay", damagedJournal, "--what-if", "p2c"),
                damagedJournal.toString()),
            failed("replay --what-if a journal without records", () -> a("replay", taskless, "--what-if", "p2c"),
                taskless.toString(), "no cycle files"),
            failed("replay --verify-decisions without a golden file", () -> a("replay", goldenJournal,
                "--verify-decisions", "--strategy", "p2c", "--golden", missing), "no golden decisions file",
                "--write-golden"),
            failed("replay --verify-decisions with a directory as the golden file", () -> a("replay", goldenJournal,
                "--verify-decisions", "--strategy", "p2c", "--golden", emptyDir), emptyDir + " is a directory",
                "the golden decisions file itself"),
            failed("replay --write-golden under a file", () -> a("replay", goldenJournal, "--verify-decisions",
                "--strategy", "p2c", "--golden", underFile.resolve("g.txt"), "--write-golden"),
                "cannot write the golden file " + underFile.resolve("g.txt") + " (java.nio.file.",
                "give a writable path with --golden FILE"),
            failed("audit an empty directory", () -> a("audit", emptyDir, "1"), emptyDir.toString(), "journal"),
            failed("recover an empty directory", () -> a("recover", emptyDir), emptyDir.toString(), "journal"),
            // another program's Chronicle queue: named as such, not as a damaged journal to --accept-damage
            failed("replay a foreign queue", () -> a("replay", foreignQueue), FOREIGN),
            failed("replay --verify-decisions a foreign queue", () -> a("replay", foreignQueue, "--verify-decisions",
                "--strategy", "p2c"), FOREIGN),
            failed("recover a foreign queue", () -> a("recover", foreignQueue), FOREIGN),
            failed("recover --accept-damage a foreign queue", () -> a("recover", foreignQueue, "--accept-damage"),
                FOREIGN),
            failed("audit a foreign queue", () -> a("audit", foreignQueue, "1"), FOREIGN),
            failed("serve --journal a foreign queue", () -> a("serve", "--journal", foreignQueue, "--port", "0",
                "--duration", "1", "--rate", "100"), FOREIGN),
            failed("demo --journal a foreign queue", () -> a("demo", "--journal", foreignQueue, "--tasks", "100"),
                FOREIGN, "give --journal a new directory"),

            // damaged plugin jars, for every command that takes --plugins
            skipped("strategies, empty jar", () -> a("strategies", "--plugins", emptyJar), "not a readable jar"),
            listed("plugins, empty jar", () -> a("plugins", "--plugins", emptyJar), "not a readable jar"),
            skipped("simulate, empty jar", () -> a("simulate", "--plugins", emptyJar, "--tasks", "100", "--scenario",
                "homogeneous", "--strategies", "round-robin", "--json"), "not a readable jar"),
            skipped("serve, empty jar", () -> a("serve", "--plugins", emptyJar, "--port", "0", "--duration", "1",
                "--rate", "100"), "not a readable jar"),
            skipped("demo, empty jar", () -> a("demo", "--plugins", emptyJar, "--tasks", "100", "--json"),
                "not a readable jar"),
            skipped("strategies, truncated jar", () -> a("strategies", "--plugins", truncatedJar),
                "not a readable jar"),
            listed("plugins, truncated jar", () -> a("plugins", "--plugins", truncatedJar), "not a readable jar"),
            skipped("simulate, truncated jar", () -> a("simulate", "--plugins", truncatedJar, "--tasks", "100",
                "--scenario", "homogeneous", "--strategies", "round-robin", "--json"), "not a readable jar"),
            skipped("serve, truncated jar", () -> a("serve", "--plugins", truncatedJar, "--port", "0", "--duration",
                "1", "--rate", "100"), "not a readable jar"),
            skipped("demo, truncated jar", () -> a("demo", "--plugins", truncatedJar, "--tasks", "100", "--json"),
                "not a readable jar"),
            skipped("strategies, bad services entry", () -> a("strategies", "--plugins", badServicesJar),
                "com.example.NoSuchProvider"),
            listed("plugins, bad services entry", () -> a("plugins", "--plugins", badServicesJar),
                "com.example.NoSuchProvider"),
            skipped("simulate, bad services entry", () -> a("simulate", "--plugins", badServicesJar, "--tasks", "100",
                "--scenario", "homogeneous", "--strategies", "round-robin", "--json"), "com.example.NoSuchProvider"),
            skipped("serve, bad services entry", () -> a("serve", "--plugins", badServicesJar, "--port", "0",
                "--duration", "1", "--rate", "100"), "com.example.NoSuchProvider"),
            skipped("demo, bad services entry", () -> a("demo", "--plugins", badServicesJar, "--tasks", "100",
                "--json"), "com.example.NoSuchProvider"),
            skipped("strategies, a directory named x.jar", () -> a("strategies", "--plugins", directoryJar),
                "not a file", "remove it from " + directoryJar));
    }

    @org.junit.jupiter.api.Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aTimeRangeWithoutEventsPrintsNoEmptyListing()
    {
        final DemoCommandTest.Run run = DemoCommandTest.run("audit", goldenJournal.toString(), "--from",
            "2030-01-01T00:00:00Z");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).as("a listing of nothing reads like a result").isEmpty();
    }

    @org.junit.jupiter.api.Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aDemoIsRefusedAJournalWithRecordsButWritesOneWithout() throws IOException
    {
        final long before;
        try (Stream<Path> files = Files.list(earlierRun))
        {
            before = files.mapToLong(f -> f.toFile().length()).sum();
        }
        assertThat(DemoCommandTest.run("demo", "--journal", earlierRun.toString(), "--tasks", "100").exitCode())
            .isEqualTo(1);
        try (Stream<Path> files = Files.list(earlierRun))
        {
            assertThat(files.mapToLong(f -> f.toFile().length()).sum()).as("the earlier run's journal, untouched")
                .isEqualTo(before);
        }

        final Path opened = root.resolve("opened-never-written");
        try (dev.ringmaster.journal.Journal j = dev.ringmaster.journal.Journal.open(
            dev.ringmaster.journal.JournalConfig.at(opened).payloadCodec(WorkCodec.INSTANCE)))
        {
            j.stats();
        }
        final DemoCommandTest.Run run = DemoCommandTest.run("demo", "--journal", opened.toString(), "--tasks", "100",
            "--json");
        assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
        assertThat(DemoCommandTest.run("replay", opened.toString()).out()).contains("tasks: 100 accepted");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void badInputNamesTheProblemAndTheFixWithoutAStackTrace(final Case c)
    {
        final DemoCommandTest.Run run = DemoCommandTest.run(c.args().get());

        assertThat(run.exitCode()).as("exit code; stderr: %s", run.err()).isEqualTo(c.exit());
        if (c.onStdout())
        {
            assertThat(run.err()).isEmpty();
            assertThat(run.out()).contains(c.says()).contains("x.jar");
        }
        else
        {
            assertThat(run.err()).startsWith(c.prefix()).contains(c.says());
        }
        assertThat(run.err()).doesNotContain("\tat ", "Exception in thread", "Caused by");
        if (c.says().contains(FOREIGN))
        {
            assertThat(run.err()).doesNotContain("--accept-damage", "corrupt", "damage");
        }
        if (c.exit() == 2)
        {
            assertThat(run.err()).as("where the fix is").contains("--help");
            assertThat(run.out()).as("a usage error is found before anything is done or printed").isEmpty();
        }
        else if (c.exit() == 1)
        {
            assertThat(run.err().lines().findFirst().orElse("")).as("the fix, after the problem")
                .containsPattern("[;:,] (use|choose|give|check|make|fix|remove|create|replace|restore)");
        }
    }
}
