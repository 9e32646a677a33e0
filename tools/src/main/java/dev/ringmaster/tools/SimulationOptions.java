package dev.ringmaster.tools;

import dev.ringmaster.bench.sim.Scenario;
import dev.ringmaster.bench.sim.SimFleet;
import dev.ringmaster.bench.sim.SimSettings;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.function.DoublePredicate;

/**
 * The fleet and workload options of {@code ringmaster simulate} (agents, capacity, prefetch, stealing, binding, loads,
 * bursts, start, work distribution) and their converters, each of which names the problem and the fix; a picocli mixin,
 * filled and read on the executing thread.
 */
public final class SimulationOptions
{
    /** Most agent slots (capacity plus prefetch, over the fleet) a run may ask for. */
    static final long MAX_SLOTS = 10_000_000;

    @Option(names = "--agents", paramLabel = "N", converter = DemoCommand.PositiveCount.class,
        description = "Agents in every fleet (default: each scenario's, 8; supermarket 100).")
    Integer agents;

    @Option(names = "--capacity", paramLabel = "C", converter = DemoCommand.PositiveCount.class,
        description = "Slots per agent (default: each scenario's, 2; supermarket 1).")
    Integer capacity;

    @Option(names = "--prefetch", paramLabel = "P", converter = NonNegativeCount.class,
        description = "Tasks an agent may hold beyond its capacity under late binding (default: 1; supermarket 0).")
    Integer prefetch;

    @Option(names = "--no-steal", description = "Idle agents do not steal waiting tasks from busy ones (default: they "
        + "do, at most one per idle agent per cycle as the dispatcher's worker; the supermarket never steals).")
    boolean noSteal;

    @Option(names = "--binding", paramLabel = "late|early", converter = BindingConverter.class,
        description = "late: a task waits in the central queue until an agent has room (the dispatcher's default); "
            + "early: bound at arrival to the chosen agent's FIFO queue (default: late; supermarket early).")
    SimFleet.Binding binding;

    @Option(names = "--loads", paramLabel = "L,...", split = ",", converter = Load.class,
        description = "Offered loads, fractions of the fleet's capacity in (0, 1) (default: 0.5,0.8,0.95).")
    List<Double> loads;

    @Option(names = "--burst", paramLabel = "F", converter = Burst.class,
        description = "On/off arrivals at F times the mean rate while on, F > 1 (default: bursty scenario 2, the "
            + "others Poisson).")
    Double burst;

    @Option(names = "--period", paramLabel = "T", converter = Period.class,
        description = "Mean length of a burst in seconds; the gaps last T x (F - 1) on average (default: 30).")
    Double period;

    @Option(names = "--start", paramLabel = "auto|empty|stationary", converter = StartConverter.class,
        description = "How each run's fleet starts: stationary = in its exact steady state (random routing on the "
            + "supermarket model: each agent an independent M/M/1, a geometric number of tasks queued at time 0); "
            + "empty = every queue empty; auto = stationary where that state is known, else empty (default).")
    SimSettings.Start start;

    @Option(names = "--work", paramLabel = "exp|pareto:ALPHA", converter = WorkConverter.class,
        description = "Task work distribution, mean 1 s: exponential, or Pareto with shape ALPHA > 1 (default: "
            + "pareto scenario pareto:1.5, the others exp).")
    SimSettings.Work work;

    /**
     * @return the settings these options give, after checks that need more than one option.
     * @throws CommandLine.ParameterException naming the conflict and the fix.
     */
    SimSettings settings(final CommandLine commandLine, final List<Scenario> scenarios)
    {
        if (prefetch != null && binding == SimFleet.Binding.EARLY)
        {
            throw new CommandLine.ParameterException(commandLine, "--prefetch applies to late binding only: with "
                + "--binding early every agent's queue is unbounded; drop --prefetch or use --binding late");
        }
        if (prefetch != null && binding == null && scenarios.contains(Scenario.SUPERMARKET))
        {
            // the supermarket binds early by default: the prefetch was ignored without a word
            throw new CommandLine.ParameterException(commandLine, "--prefetch applies to late binding only, and the " +
                "supermarket scenario binds early (each task to one agent's unbounded queue); drop --prefetch, or " +
                "add --binding late");
        }
        if (period != null && burst == null && !scenarios.contains(Scenario.BURSTY))
        {
            throw new CommandLine.ParameterException(commandLine, "--period sets the length of bursts, and these "
                + "arrivals have none; add --burst F (e.g. --burst 2) or use --scenario bursty");
        }
        final SimSettings settings = new SimSettings(agents == null ? 0 : agents, capacity == null ? 0 : capacity,
            prefetch == null ? -1 : prefetch, noSteal ? Boolean.FALSE : null, binding,
            burst == null ? Double.NaN : burst, period == null ? Double.NaN : period, work, start);
        long slots = 0;
        for (final Scenario s : scenarios)
        {
            slots = Math.max(slots, s.taskSlots(settings)); // an option left out counts at the scenario's own value
        }
        if (slots > MAX_SLOTS)
        {
            // each slot is allocated up front, several times over (the run, the references): beyond this the heap
            // runs out, reported as a bug
            throw new CommandLine.ParameterException(commandLine, String.format(java.util.Locale.ROOT, "--agents, " +
                "--capacity and --prefetch add up to %,d task slots, more than the simulator holds in memory (%,d); " +
                "give fewer agents or fewer slots per agent", slots, MAX_SLOTS));
        }
        requireEverySkill(commandLine, settings, scenarios);
        if (loads != null)
        {
            requireOnce(commandLine, "--loads", loads);
        }
        if (loads != null && loads.isEmpty())
        {
            throw new CommandLine.ParameterException(commandLine, "--loads needs loads separated by commas, e.g. "
                + "--loads 0.5,0.9; leave the option out for 0.5,0.8,0.95");
        }
        return settings;
    }

    /**
     * Refuses an agent count under which a scenario's fleet lacks a skill that its own fleet has: the tasks that need
     * it would wait for good, and the run end with them unfinished (exit 1), when the count that suffices is knowable
     * up front. A scenario's agents get their skills by index, so more agents than its own have at least as many.
     *
     * @throws CommandLine.ParameterException naming the scenario and the fewest agents that have every skill.
     */
    private void requireEverySkill(final CommandLine commandLine, final SimSettings settings,
                                   final List<Scenario> scenarios)
    {
        for (final Scenario s : scenarios)
        {
            final SimFleet own = s.fleet(withAgents(settings, 0));
            final java.util.Set<String> needed = skills(own);
            if (agents == null || agents >= own.size() || needed.isEmpty() ||
                skills(s.fleet(settings)).containsAll(needed))
            {
                continue;
            }
            int enough = agents + 1;
            while (enough < own.size() && !skills(s.fleet(withAgents(settings, enough))).containsAll(needed))
            {
                enough++;
            }
            throw new CommandLine.ParameterException(commandLine, "--agents " + agents + " is too few for the " +
                s.label() + " scenario: it needs at least " + enough + " agents to have every skill its tasks need (" +
                String.join(", ", new java.util.TreeSet<>(needed)) + "), or the tasks that need a missing one never " +
                "finish; give --agents " + enough + " or more" + (scenarios.size() > 1 ? ", or one --scenario" : ""));
        }
    }

    private static SimSettings withAgents(final SimSettings s, final int agents)
    {
        return new SimSettings(agents, s.capacity(), s.prefetch(), s.steal(), s.binding(), s.burst(),
            s.periodSeconds(), s.work(), s.start());
    }

    private static java.util.Set<String> skills(final SimFleet fleet)
    {
        final java.util.Set<String> skills = new java.util.HashSet<>();
        for (int i = 0; i < fleet.size(); i++)
        {
            skills.addAll(fleet.spec(i).proficiency().keySet());
        }
        return skills;
    }

    /**
     * Refuses a list that names a value twice: each would run twice, and print two identical rows that a reader of
     * the JSON, keyed by scenario, load and strategy, cannot tell apart.
     *
     * @throws CommandLine.ParameterException naming the repeated value.
     */
    static void requireOnce(final CommandLine commandLine, final String option, final List<?> values)
    {
        final java.util.Set<Object> seen = new java.util.HashSet<>();
        for (final Object v : values)
        {
            if (!seen.add(v))
            {
                throw new CommandLine.ParameterException(commandLine, option + " names " + v + " twice; give each " +
                    "once");
            }
        }
    }

    /** @return the loads to simulate, in the order given. */
    double[] loads(final double[] defaults)
    {
        return loads == null ? defaults : loads.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double number(final String value, final String example)
    {
        try
        {
            return Double.parseDouble(value);
        }
        catch (final NumberFormatException e)
        {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a number; give one such as " + example);
        }
    }

    /** Parses a count >= 0; stateless. */
    static final class NonNegativeCount implements CommandLine.ITypeConverter<Integer>
    {
        @Override
        public Integer convert(final String value)
        {
            if ("0".equals(value.strip()))
            {
                return 0;
            }
            try
            {
                return new DemoCommand.PositiveCount().convert(value);
            }
            catch (final CommandLine.TypeConversionException e)
            {
                throw new CommandLine.TypeConversionException(e.getMessage().replace("at least 1", "at least 0"));
            }
        }
    }

    /** @return the number, if {@code ok} holds for it. @throws CommandLine.TypeConversionException saying why not. */
    private static double checked(final String value, final String example, final DoublePredicate ok, final String why)
    {
        final double number = number(value, example);
        if (!ok.test(number))
        {
            throw new CommandLine.TypeConversionException("'" + value + "' " + why);
        }
        return number;
    }

    /** Parses a load strictly between 0 and 1; stateless. */
    static final class Load implements CommandLine.ITypeConverter<Double>
    {
        @Override
        public Double convert(final String value)
        {
            return checked(value, "0.9", load -> load > 0 && load < 1, "is not a load in (0, 1), a fraction of the " +
                "fleet's capacity: at 0 nothing arrives, at 1 or more the queues grow without bound; give e.g. 0.9");
        }
    }

    /** Parses a burst factor above 1; stateless. */
    static final class Burst implements CommandLine.ITypeConverter<Double>
    {
        @Override
        public Double convert(final String value)
        {
            return checked(value, "2", burst -> burst > 1 && !Double.isInfinite(burst), "is not a burst factor above "
                + "1 (the rate while on, as a multiple of the mean rate); give one such as 2, or leave --burst out for "
                + "Poisson");
        }
    }

    /** Parses a positive period in seconds; stateless. */
    static final class Period implements CommandLine.ITypeConverter<Double>
    {
        @Override
        public Double convert(final String value)
        {
            return checked(value, "30", seconds -> seconds > 0 && !Double.isInfinite(seconds), "is not a positive "
                + "number of seconds; give a mean burst length such as 30");
        }
    }

    /** Parses {@code late} or {@code early}; stateless. */
    static final class BindingConverter implements CommandLine.ITypeConverter<SimFleet.Binding>
    {
        @Override
        public SimFleet.Binding convert(final String value)
        {
            return switch (value)
            {
                case "late" -> SimFleet.Binding.LATE;
                case "early" -> SimFleet.Binding.EARLY;
                default -> throw new CommandLine.TypeConversionException("unknown binding '" + value + "'; use late "
                    + "(central queue, the default) or early (bound at arrival to one agent's FIFO queue)");
            };
        }
    }

    /** Parses {@code auto}, {@code empty} or {@code stationary}; stateless. */
    static final class StartConverter implements CommandLine.ITypeConverter<SimSettings.Start>
    {
        @Override
        public SimSettings.Start convert(final String value)
        {
            return switch (value)
            {
                case "auto" -> SimSettings.Start.AUTO;
                case "empty" -> SimSettings.Start.EMPTY;
                case "stationary" -> SimSettings.Start.STATIONARY;
                default -> throw new CommandLine.TypeConversionException("unknown start '" + value + "'; use auto (the "
                    + "default), empty or stationary");
            };
        }
    }

    /** Parses {@code exp} or {@code pareto:ALPHA}; stateless. */
    static final class WorkConverter implements CommandLine.ITypeConverter<SimSettings.Work>
    {
        @Override
        public SimSettings.Work convert(final String value)
        {
            try
            {
                return SimSettings.Work.parse(value);
            }
            catch (final IllegalArgumentException e)
            {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
