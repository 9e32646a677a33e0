package dev.ringmaster.tools;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.journal.Durability;
import dev.ringmaster.plugin.PluginRegistry;
import dev.ringmaster.routing.RoutingStrategies;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code ringmaster demo}: dispatches a mixed, heavy-tailed workload to a simulated heterogeneous fleet and prints
 * what happened; picocli creates one instance per execution and calls it on the executing thread.
 */
@Command(name = "demo",
    mixinStandardHelpOptions = true,
    versionProvider = RingmasterCli.Version.class,
    sortOptions = false,
    description = {
        "Dispatch a realistic mixed workload to a fleet of simulated agents and report throughput, latency per "
            + "stage, the distribution of work (Gini), dead letters and lost tasks (always 0).",
        "",
        "Workload: coder/reviewer/researcher tasks, four priorities, skill requirements some agents lack, token "
            + "costs 200-10,000, Pareto-distributed work (alpha 1.7), 0.05%% poison tasks that end as dead letters.",
        "Fleet: 15 agents with speeds 1:2:4:8, capacities 1-6, some flaky; the agents are asynchronous and never "
            + "block the dispatcher's threads.",
        ""},
    footer = {"", "Ctrl-C (SIGTERM) stops submitting, drains the accepted tasks (journaled with --journal) and prints "
        + "the summary of the tasks submitted so far.",
        "Exit code: 0 if every accepted task was accounted for, 1 if not or if the --strategy failed every decision "
            + "it was asked (the built-in choice placed every task), 2 for bad options (after Ctrl-C: 130 or 143, as "
            + "any program the signal stops).",
        "Example: ringmaster demo --tasks 50000 --strategy round-robin --seed 7 --json"})
public final class DemoCommand implements Callable<Integer>
{
    /** How long a signal waits for the drain and the summary before the JVM exits anyway. */
    private static final long SIGNAL_DRAIN_SECONDS = 60;

    @Spec
    CommandSpec spec;

    @Option(names = {"-n", "--tasks"}, paramLabel = "N", defaultValue = "200000",
        converter = PositiveCount.class,
        description = "Tasks to submit (default: ${DEFAULT-VALUE}).")
    int tasks;

    @Option(names = {"-s", "--strategy"}, paramLabel = "NAME", defaultValue = "least-connections",
        completionCandidates = StrategyNames.class,
        description = "Routing strategy, one of: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    String strategy;

    @Option(names = "--shadow", paramLabel = "NAME", completionCandidates = StrategyNames.class,
        description = "Also run this strategy as a shadow: it decides on every task without acting; the summary "
            + "reports how often it agreed with --strategy and its estimated regret (default: no shadow).")
    String shadow;

    @Option(names = "--predictive", description = "Run predictive pre-routing on top of --strategy: the built-in "
        + "'patterns' predictor learns from the demo's arrivals as they come and sends tasks of predicted keys to agents "
        + "holding them warm; the summary reports its predictions and their hit rate (journaled with --journal).")
    boolean predictive;

    @Option(names = "--model", paramLabel = "FILE", description = "With --predictive: start the predictor from a model "
        + "learnt offline ('ringmaster learn JOURNAL --out FILE', the default predictor) rather than from nothing; it "
        + "goes on learning from the run's arrivals.")
    Path model;

    @Option(names = "--context-load", paramLabel = "TIME", converter = BenchCommand.TimeOrZero.class,
        description = "What an agent pays, on top of a task's work, for a task whose session (affinity) key is not "
            + "among its 4 warm ones, e.g. 20ms; what pre-routing's warm preference saves (default: 0, nothing).")
    Long contextLoadNanos;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42", converter = Seed.class,
        description = "Seed of every random choice: workload, attempt outcomes, retry jitter (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json",
        description = "Print the summary as one JSON object on stdout (logs stay on stderr).")
    boolean json;

    @Option(names = "--producers", paramLabel = "P", defaultValue = "2", converter = PositiveCount.class,
        description = "Threads submitting tasks (default: ${DEFAULT-VALUE}).")
    int producers;

    @Option(names = "--workers", paramLabel = "W", converter = PositiveCount.class,
        description = "Dispatcher worker threads; the dispatcher runs at most one per agent: 15, or 15 per host "
            + "and a placeholder with --remote-hosts (default: one per core, as many).")
    Integer workers;

    /** Most waiting tasks per agent type and priority the demo accepts: 12 such queues hold about 12.6 million. */
    static final int MAX_QUEUE_CAPACITY = 1 << 20;

    @Option(names = "--queue-capacity", paramLabel = "Q", defaultValue = "1024", converter = PositiveCount.class,
        description = "Most waiting tasks per agent type and priority; producers block when it is reached "
            + "(default: ${DEFAULT-VALUE}).")
    int queueCapacity;

    @Option(names = "--journal", paramLabel = "DIR",
        description = "Journal every lifecycle event to a Chronicle Queue in DIR, for 'ringmaster replay' and "
            + "'ringmaster audit' (default: no journal).")
    Path journal;

    @Option(names = "--durability", paramLabel = "MODE", defaultValue = "async", converter = DurabilityConverter.class,
        description = "With --journal: async (the writer thread catches up) or acknowledged (each submission waits, "
            + "pipelined, until its ACCEPTED record is in the queue) (default: ${DEFAULT-VALUE}).")
    Durability durability;

    @Option(names = "--remote-hosts", paramLabel = "N", converter = PositiveCount.class,
        description = "Run the fleet on N agent-host processes (child JVMs of this program, each hosting the demo's "
            + "15 agents) over Aeron UDP on loopback, instead of in this process.")
    Integer remoteHosts;

    @Option(names = "--kill-host-after", paramLabel = "TIME", converter = BenchCommand.Time.class,
        description = "With --remote-hosts: kill the first host with kill -9 this long after submission starts "
            + "(e.g. 2s); its in-flight tasks are retried on the other hosts.")
    Long killHostAfterNanos;

    @Mixin
    PluginsOption plugins;

    @Override
    public Integer call() throws Exception
    {
        try (PluginRegistry registry = plugins.open())
        {
            return run(registry);
        }
    }

    private int run(final PluginRegistry registry) throws Exception
    {
        plugins.requireStrategies(registry, List.of(strategy), "--strategy");
        if (shadow != null)
        {
            plugins.requireStrategies(registry, List.of(shadow), "--shadow");
        }
        if (model != null)
        {
            DemoPredictions.checkModel(spec.commandLine(), model, predictive);
        }
        final DemoSettings settings = new DemoSettings(tasks, strategy, seed, producers,
            workers == null ? 0 : workers, queueCapacity, 0.0005, Duration.ofSeconds(30), shadow, predictive,
            Duration.ofNanos(contextLoadNanos == null ? 0 : contextLoadNanos), model);
        if (killHostAfterNanos != null && (remoteHosts == null || remoteHosts < 2))
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--kill-host-after needs --remote-hosts 2 " +
                "or more: with one host there is nowhere for its tasks to go");
        }
        if (journal == null && spec.commandLine().getParseResult().hasMatchedOption("--durability"))
        {
            // without a journal nothing waits for a record: an acknowledged run would silently be an unjournaled one
            throw new CommandLine.ParameterException(spec.commandLine(), "--durability needs --journal DIR: it says " +
                "when a submission counts as journaled, and without --journal nothing is; add e.g. --journal " +
                "/tmp/journal");
        }
        if (queueCapacity > MAX_QUEUE_CAPACITY)
        {
            // every queue is allocated at its capacity up front: 2^30 and up overflow it, far less exhausts the heap
            throw new CommandLine.ParameterException(spec.commandLine(), String.format(java.util.Locale.ROOT,
                "--queue-capacity %,d is more than the demo can allocate: each of its 12 queues (3 agent types x 4 " +
                "priorities) takes its whole capacity up front; give at most %,d", queueCapacity, MAX_QUEUE_CAPACITY));
        }
        if (remoteHosts != null && remoteHosts > 16)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--remote-hosts " + remoteHosts +
                " is more JVMs than this machine should start; give at most 16");
        }
        if (journal != null && holdsRecords(journal))
        {
            final PrintWriter err = spec.commandLine().getErr();
            err.println("error: " + journal + " already holds a journal an earlier run wrote; the demo's task ids start " +
                "at 0 every run, so they would collide with its tasks in replay, audit and recover: give --journal a " +
                "new directory, or remove this one (first, 'ringmaster recover " + journal + "' finishes the tasks a " +
                "demo left open there; 'ringmaster serve --config FILE --journal " + journal + "' those of a serve " +
                "--config run)");
            err.flush();
            return 1;
        }
        noteCappedWorkers(settings);
        final RemoteDemo remote = remoteHosts == null ? null :
            new RemoteDemo(remoteHosts, killHostAfterNanos == null ? 0 : killHostAfterNanos, seed, tasks);
        // Ctrl-C or SIGTERM: stop submitting, drain what was accepted (and journal it), report, then let the JVM exit
        final AtomicBoolean stop = new AtomicBoolean();
        final CountDownLatch finished = new CountDownLatch(1);
        final Thread hook = new Thread(() ->
        {
            stop.set(true);
            try
            {
                finished.await(SIGNAL_DRAIN_SECONDS, TimeUnit.SECONDS);
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
        }, "demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try
        {
            final DemoReport report = DemoRun.run(settings, journal, durability, registry.classLoader(), remote, stop);
            final PrintWriter out = spec.commandLine().getOut();
            out.print(json ? report.toJson() + System.lineSeparator() : report.toText());
            out.flush();
            if (!report.ok())
            {
                final PrintWriter err = spec.commandLine().getErr();
                final List<String> problems = new java.util.ArrayList<>(report.problems());
                final StrategyFailure failed = report.strategyFailure();
                if (failed != null)
                {
                    // not a check of the run's own counts: the run was fine, the strategy asked for never decided
                    problems.remove(failed.describe());
                    err.println("error: " + failed.describe());
                }
                if (!problems.isEmpty())
                {
                    err.println("error: the demo run failed its own checks: " + String.join("; ", problems));
                }
                err.flush();
                return 1;
            }
            return 0;
        }
        finally
        {
            finished.countDown();
            try
            {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
            catch (final IllegalStateException shuttingDown)
            {
                // a signal: the hook is running and returns now that the report is out
            }
        }
    }

    /**
     * The dispatcher starts at most one worker per agent and takes a larger count without complaint (an embedder may
     * size it by cores); a user who typed the count should still learn how many run. On stderr, so --json stays one
     * document on stdout.
     */
    private void noteCappedWorkers(final DemoSettings settings)
    {
        final int running = DemoRun.workerThreads(settings, remoteHosts == null ? 0 : remoteHosts);
        if (workers == null || workers <= running)
        {
            return;
        }
        final PrintWriter err = spec.commandLine().getErr();
        err.println("note: --workers " + workers + " runs " + running + " worker thread" + (running == 1 ? "" : "s") +
            ": the dispatcher runs at most one per agent, and the demo's fleet has " + running + " agents" +
            (remoteHosts == null ? "" : " (15 per host and the placeholder)"));
        err.flush();
    }

    /** @return true if {@code directory} holds a Ringmaster journal with at least one record. */
    private static boolean holdsRecords(final Path directory)
    {
        if (!java.nio.file.Files.isDirectory(directory))
        {
            return false;
        }
        try (dev.ringmaster.journal.JournalReader reader = dev.ringmaster.journal.JournalReader.open(directory))
        {
            return reader.poll(r -> { }, 1) > 0;
        }
        catch (final RuntimeException e)
        {
            // no journal yet, another program's queue, damage: opening it to write says which, as before
            return false;
        }
    }

    /** Parses async or acknowledged, in any case, with a message that names the choices; stateless. */
    static final class DurabilityConverter implements CommandLine.ITypeConverter<Durability>
    {
        @Override
        public Durability convert(final String value)
        {
            return switch (value.toLowerCase(java.util.Locale.ROOT))
            {
                case "async" -> Durability.ASYNC;
                case "acknowledged", "ack" -> Durability.ACKNOWLEDGED;
                default -> throw new CommandLine.TypeConversionException(
                    "'" + value + "' is not a durability; give async or acknowledged");
            };
        }
    }

        /** Lists the strategy names the ServiceLoader finds, for the help text; stateless. */
    static final class StrategyNames implements Iterable<String>
    {
        @Override
        public Iterator<String> iterator()
        {
            return RoutingStrategies.names(Dispatcher.class.getClassLoader()).iterator();
        }
    }

    /** Parses a seed (any 64-bit integer), with a message that names the fix; stateless. */
    static final class Seed implements CommandLine.ITypeConverter<Long>
    {
        @Override
        public Long convert(final String value)
        {
            try
            {
                return Long.parseLong(value.replace("_", ""));
            }
            catch (final NumberFormatException e)
            {
                throw new CommandLine.TypeConversionException(
                    "'" + value + "' is not a whole number; give a seed such as 42 (any 64-bit integer)");
            }
        }
    }

    /** Parses a count >= 1, with a message that names the fix; stateless. */
    static final class PositiveCount implements CommandLine.ITypeConverter<Integer>
    {
        @Override
        public Integer convert(final String value)
        {
            final long parsed;
            try
            {
                parsed = Long.parseLong(value.replace("_", ""));
            }
            catch (final NumberFormatException e)
            {
                throw new CommandLine.TypeConversionException(
                    "'" + value + "' is not a whole number; give a count such as 1000 (underscores allowed: 200_000)");
            }
            if (parsed < 1)
            {
                throw new CommandLine.TypeConversionException(
                    "'" + value + "' is " + (parsed == 0 ? "zero" : "negative") + "; give a count of at least 1");
            }
            if (parsed > Integer.MAX_VALUE)
            {
                throw new CommandLine.TypeConversionException(
                    "'" + value + "' is too large; give a count of at most " + Integer.MAX_VALUE);
            }
            return (int)parsed;
        }
    }
}
