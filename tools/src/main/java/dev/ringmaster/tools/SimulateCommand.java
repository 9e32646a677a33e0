package dev.ringmaster.tools;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.ringmaster.bench.sim.QualityRow;
import dev.ringmaster.bench.sim.QualityTable;
import dev.ringmaster.bench.sim.Scenario;
import dev.ringmaster.bench.sim.SimFleet;
import dev.ringmaster.bench.sim.SimRun;
import dev.ringmaster.bench.sim.SimSettings;
import dev.ringmaster.bench.sim.SimulationSuite;
import dev.ringmaster.bench.sim.StationaryStart;
import dev.ringmaster.plugin.PluginRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code ringmaster simulate}: runs the routing strategies through the scheduling-quality simulator (virtual time,
 * seeded fleets and workloads) and prints one table; picocli creates one instance per execution and calls it on the
 * executing thread, which also runs every simulation.
 */
@Command(name = "simulate",
    mixinStandardHelpOptions = true,
    versionProvider = RingmasterCli.Version.class,
    sortOptions = false,
    description = {
        "Compare routing strategies in a discrete-event simulation: the real strategy classes on a virtual clock, "
            + "against seeded fleets and workloads at 50%%, 80%% and 95%% load (or --loads), beside references: "
            + "a clairvoyant join-shortest-queue heuristic that knows every task's true duration, a lower bound "
            + "(each task alone on its fastest agent), and queueing theory where it applies (M/M/c central queue; "
            + "Mitzenmacher's supermarket model).",
        "",
        "Columns: mean and p99 sojourn (arrival to finish, seconds of virtual time), makespan over its lower bound, "
            + "Gini of work per agent and of work / speed (busy time), context waste ratio (sessions scenario only), "
            + "and what a reference row is. The first 10%% of the tasks by arrival are a warm-up, left out of "
            + "sojourn and Gini. A '!' after a strategy's name means it left tasks unfinished. The same seed prints "
            + "the same table, byte for byte.",
        "",
        "Random routing on the supermarket model starts in its exact steady state (--start): each agent an "
            + "independent M/M/1 with a geometric number of tasks queued at time 0, marked 'stationary start'. Runs "
            + "of more than 2,000,000 tasks are streamed: tasks are generated as the run goes and folded into the "
            + "figures when they finish, so 10^8 tasks fit in the memory of the tasks in the system (other draws "
            + "than an in-memory run of the same seed, the arrival times aside).",
        ""},
    footer = {"", "Exit code: 0 if every strategy finished every task, 1 if one did not or had decisions fail (the "
        + "fallback placed those tasks; an error line says which and why), 2 for bad options (such as --agents too few for the skills a scenario's tasks need).",
        "Example: ringmaster simulate --seed 1 --tasks 20000 --strategies least-connections,p2c --scenario speeds-1248",
        "         ringmaster simulate --scenario supermarket --agents 1000 --loads 0.99 --strategies random,p2c,p3c "
            + "--tasks 4000000",
        "(near load 1 the queues of choice strategies, which start empty, take about 1 / (1 - load) mean works to "
            + "reach their steady state: give enough --tasks that the run lasts many times that)"})
public final class SimulateCommand implements Callable<Integer>
{
    private static final JsonFactory JSON = JsonFactory.builder().build();

    @Spec
    CommandSpec spec;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", converter = DemoCommand.Seed.class,
        description = "Seed of every workload (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = {"-n", "--tasks"}, paramLabel = "N", defaultValue = "20000", converter = DemoCommand.PositiveCount.class,
        description = "Tasks per run, one run per strategy, scenario and load (default: ${DEFAULT-VALUE}).")
    int tasks;

    @Option(names = "--strategies", paramLabel = "A,B,...", split = ",",
        description = "Strategies to compare (default: every one installed: ${COMPLETION-CANDIDATES}).",
        completionCandidates = DemoCommand.StrategyNames.class)
    List<String> strategies;

    @Option(names = "--scenario", paramLabel = "NAME", defaultValue = "all",
        description = "One scenario, or all (default: ${DEFAULT-VALUE}): homogeneous, speeds-1248, skill-mixed, "
            + "bursty, pareto, sessions, supermarket, periodic.")
    String scenario;

    @Option(names = "--json", description = "Print the rows as one JSON object on stdout instead of the table.")
    boolean json;

    @Option(names = "--alloc",
        description = "Also measure the bytes each strategy allocates per decision (thread allocation counter, second "
            + "half of each run); depends on the JIT, so it is printed apart from the reproducible table.")
    boolean alloc;

    @Option(names = "--predictive",
        description = "Also run each strategy with predictive pre-routing (the dispatcher's built-in 'patterns' "
            + "predictor, trained online from the simulated arrivals; threshold 0.7): rows named NAME+predictive.")
    boolean predictive;

    @Mixin
    PluginsOption plugins;

    @Mixin
    SimulationOptions fleet;

    /**
     * The suite, one scenario and load at a time so that a terminal shows how far it is; each (scenario, load) is
     * independent of the others, so the rows are those of one run over all of them.
     */
    private static List<QualityRow> simulate(final long seed, final int tasks, final List<String> chosen,
                                             final List<Scenario> scenarios, final double[] loads,
                                             final SimSettings settings, final ClassLoader loader,
                                             final boolean alloc, final boolean json, final boolean predictive)
    {
        final List<QualityRow> rows = new ArrayList<>();
        try (TerminalProgress progress = TerminalProgress.open("simulate", (long) scenarios.size() * loads.length, json))
        {
            for (final Scenario s : scenarios)
            {
                for (final double load : loads)
                {
                    rows.addAll(SimulationSuite.run(seed, tasks, chosen, List.of(s), new double[] {load}, loader,
                        alloc, settings, predictive));
                    progress.step();
                }
            }
        }
        return rows;
    }

    @Override
    public Integer call() throws IOException
    {
        try (PluginRegistry registry = plugins.open())
        {
            return run(registry);
        }
    }

    /**
     * @return the strategies of the default set that can be made; a BROKEN one (its create() fails) is left out with a
     *     warning, as 'strategies' lists it, rather than refusing the run of every other one. Named with --strategies,
     *     it is refused.
     */
    private List<String> usable(final PluginRegistry registry, final List<String> available)
    {
        final List<String> usable = new ArrayList<>();
        for (final String name : available)
        {
            try
            {
                registry.createStrategy(name);
                usable.add(name);
            }
            catch (final RuntimeException e)
            {
                spec.commandLine().getErr().println("warning: leaving out strategy '" + name + "', which is BROKEN: " +
                    e.getMessage() + " (name it with --strategies to make the run fail on it)");
            }
        }
        return usable;
    }

    private int run(final PluginRegistry registry) throws IOException
    {
        final ClassLoader loader = registry.classLoader();
        final List<String> available = new ArrayList<>(registry.strategies().keySet());
        if (strategies != null && (strategies.isEmpty() || strategies.stream().anyMatch(String::isBlank)))
        {
            // ",," splits into nothing: silently running every strategy would hide the typo
            throw new ParameterException(spec.commandLine(), "--strategies needs strategy names separated by commas, " +
                "e.g. --strategies least-connections,p2c; leave the option out to run all of " + String.join(", ", available));
        }
        final List<String> chosen = strategies == null ? usable(registry, available) : strategies;
        SimulationOptions.requireOnce(spec.commandLine(), "--strategies", chosen);
        plugins.requireStrategies(registry, chosen, "--strategies");
        final List<Scenario> scenarios = new ArrayList<>();
        if ("all".equals(scenario))
        {
            scenarios.addAll(List.of(Scenario.values()));
        }
        else
        {
            try
            {
                scenarios.add(Scenario.byLabel(scenario));
            }
            catch (final IllegalArgumentException e)
            {
                throw new ParameterException(spec.commandLine(), e.getMessage() + ", or all (for --scenario)");
            }
        }

        final SimSettings settings = fleet.settings(spec.commandLine(), scenarios);
        for (final Scenario s : scenarios)
        {
            for (final String name : chosen)
            {
                try
                {
                    StationaryStart.applies(settings, s, s.fleet(settings), name);
                }
                catch (final IllegalArgumentException e)
                {
                    throw new ParameterException(spec.commandLine(), e.getMessage() + " (for --start)");
                }
            }
        }
        final double[] loads = fleet.loads(SimulationSuite.LOADS);
        final long t0 = System.nanoTime();
        final List<QualityRow> rows = simulate(seed, tasks, chosen, scenarios, loads, settings, loader, alloc, json,
            predictive);
        final double elapsed = (System.nanoTime() - t0) / 1e9;

        final PrintWriter out = spec.commandLine().getOut();
        if (json)
        {
            out.println(toJson(rows, scenarios, settings));
        }
        else
        {
            out.printf(Locale.ROOT, "Scheduling quality: seed %d, %d tasks per run, the first %d (%.0f%%) a warm-up " +
                    "left out of sojourn and Gini; virtual time (sojourn in seconds; mean task work 1 s on a speed-1 " +
                    "agent)%n", seed, tasks, (int)(tasks * SimRun.WARMUP_FRACTION), 100 * SimRun.WARMUP_FRACTION);
            for (final Scenario s : scenarios)
            {
                out.printf(Locale.ROOT, "  %-12s %s%n", s.label(), s.description());
                out.printf(Locale.ROOT, "  %-12s as run: %s%s%n", "", describe(s.fleet(settings), settings, s),
                    SimulationSuite.streams(s, tasks) ? "; streamed (tasks drawn as the run goes, folded as they finish)" : "");
            }
            out.println();
            out.print(QualityTable.table(rows));
            out.println();
            out.print(QualityTable.health(rows));
            if (alloc)
            {
                out.println();
                out.println("allocation per decision, steady state (JIT-dependent, not reproducible):");
                out.print(QualityTable.allocation(rows));
            }
        }
        out.flush();
        final PrintWriter err = spec.commandLine().getErr();
        err.printf(Locale.ROOT, "%d runs simulated in %.1f s%n", rows.size(), elapsed);
        err.flush();
        final List<String> unfinished = new ArrayList<>();
        final List<String> failed = new ArrayList<>();
        int runs = 0;
        for (final QualityRow row : rows)
        {
            runs += QualityRow.STRATEGY.equals(row.kind()) || row.completed() < row.tasks() ? 1 : 0;
            if (row.completed() < row.tasks())
            {
                unfinished.add(unfinished(row));
            }
            else if (row.errors() > 0)
            {
                failed.add(String.format(Locale.ROOT, "%s on %s at %.0f%%: %,d failed, first: %s", row.strategy(),
                    row.scenario(), row.load() * 100, row.errors(), row.firstError()));
            }
        }
        if (!failed.isEmpty())
        {
            // as replay --what-if and demo: the fallback placed those tasks, so the row ranks it, not the strategy
            err.printf(Locale.ROOT, "error: %d of %d strategy runs had decisions fail, so their rows are partly the " +
                "fallback's (the agent with the fewest tasks in flight), not the strategy's: %s; fix the strategy's " +
                "select() (route() for a version 2 strategy) and run again%n", failed.size(), runs,
                String.join("; ", failed));
            err.flush();
        }
        if (!unfinished.isEmpty())
        {
            // the table marks these with '!', and a reader of a pipe or of --json sees only the exit code: say it here
            err.printf(Locale.ROOT, "error: %d of %d strategy runs left tasks unfinished: %s; a task waits until its " +
                "strategy places it on an agent that can take it, so fix the strategy's select() (route() for a " +
                "version 2 strategy), or give a fleet with the skills its tasks need%n", unfinished.size(), runs, String.join("; ", unfinished));
            err.flush();
            return 1;
        }
        return failed.isEmpty() ? 0 : 1;
    }

    /** @return which run of a row left tasks unfinished, how many, and what its strategy did meanwhile. */
    private static String unfinished(final QualityRow row)
    {
        final String why = row.errors() > 0 ? String.format(Locale.ROOT, "its decisions failed %,d time(s), first: %s",
            row.errors(), row.firstError()) : row.declines() > 0 ? String.format(Locale.ROOT, "it declined " +
            "%,d time(s)", row.declines()) : "no agent took them";
        return String.format(Locale.ROOT, "%s on %s at %.0f%%: %,d of %,d never finished (%s)", row.strategy(),
            row.scenario(), row.load() * 100, row.tasks() - row.completed(), row.tasks(), why);
    }

    /** @return the fleet and workload a scenario ran with, after the options' overrides. */
    private static String describe(final SimFleet fleet, final SimSettings settings, final Scenario scenario)
    {
        final boolean bursty = !Double.isNaN(settings.burst()) || scenario == Scenario.BURSTY;
        return String.format(Locale.ROOT, "%d agents x capacity %d, %s binding%s, %s, %s arrivals, %s work",
            fleet.size(), fleet.spec(0).capacity(), fleet.binding() == SimFleet.Binding.EARLY ? "early" : "late",
            fleet.binding() == SimFleet.Binding.LATE ? " (prefetch " + fleet.prefetch() + ")" : "",
            fleet.steals() ? "stealing" : "no stealing", bursty ? "on/off" : "Poisson",
            settings.work() != null ? settings.work() : scenario.defaultWork());
    }

    private String toJson(final List<QualityRow> rows, final List<Scenario> scenarios, final SimSettings settings)
        throws IOException
    {
        final StringWriter text = new StringWriter();
        try (JsonGenerator j = JSON.createGenerator(text))
        {
            j.writeStartObject();
            j.writeNumberField("seed", seed);
            j.writeNumberField("tasksPerRun", tasks);
            j.writeNumberField("warmupFraction", SimRun.WARMUP_FRACTION);
            j.writeArrayFieldStart("scenarios");
            for (final Scenario s : scenarios)
            {
                j.writeStartObject();
                j.writeStringField("name", s.label());
                j.writeStringField("description", s.description());
                j.writeStringField("asRun", describe(s.fleet(settings), settings, s));
                j.writeBooleanField("streamed", SimulationSuite.streams(s, tasks));
                j.writeEndObject();
            }
            j.writeEndArray();
            j.writeArrayFieldStart("rows");
            for (final QualityRow r : rows)
            {
                j.writeStartObject();
                j.writeStringField("scenario", r.scenario());
                j.writeNumberField("load", r.load());
                j.writeStringField("strategy", r.strategy());
                j.writeNumberField("tasks", r.tasks());
                j.writeNumberField("completed", r.completed());
                j.writeNumberField("meanSojournSeconds", r.meanSojournNanos() / 1e9);
                if (r.p99SojournNanos() < 0)
                {
                    j.writeNullField("p99SojournSeconds");
                }
                else
                {
                    j.writeNumberField("p99SojournSeconds", r.p99SojournNanos() / 1e9);
                }
                j.writeNumberField("makespanSeconds", r.makespanNanos() / 1e9);
                j.writeNumberField("makespanLowerBoundSeconds", r.lowerBoundNanos() / 1e9);
                j.writeNumberField("makespanRatio", r.makespanRatio());
                nullable(j, "gini", r.gini());
                nullable(j, "contextWasteRatio", r.contextWaste());
                j.writeNumberField("decisions", r.decisions());
                j.writeNumberField("declines", r.declines());
                j.writeNumberField("errors", r.errors());
                j.writeNumberField("steals", r.steals());
                if (r.firstError() != null)
                {
                    j.writeStringField("firstError", r.firstError());
                }
                if (!Double.isNaN(r.allocatedBytesPerDecision()))
                {
                    j.writeNumberField("allocatedBytesPerDecision", r.allocatedBytesPerDecision());
                }
                nullable(j, "giniBusyTime", r.giniBusyTime());
                j.writeStringField("kind", r.kind());
                j.writeNumberField("warmupTasks", r.warmupTasks());
                j.writeStringField("start", r.initialTasks() > 0 ? "stationary" : "empty");
                j.writeNumberField("initialTasks", r.initialTasks());
                j.writeEndObject();
            }
            j.writeEndArray();
            j.writeEndObject();
        }
        return text.toString();
    }

    /** Writes NaN, a figure a row does not define, as null: JSON has no NaN. */
    private static void nullable(final JsonGenerator j, final String field, final double value) throws IOException
    {
        if (Double.isNaN(value))
        {
            j.writeNullField(field);
        }
        else
        {
            j.writeNumberField(field, value);
        }
    }
}
