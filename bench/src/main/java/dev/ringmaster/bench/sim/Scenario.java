package dev.ringmaster.bench.sim;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Skills;

import java.util.SplittableRandom;

/**
 * The named fleets and workloads of the scheduling-quality table; immutable and thread-safe. Every workload has mean
 * work {@link SimWorkload#MEAN_WORK} (one second on a speed-1 agent), tasks spread uniformly over
 * {@value #DOMAINS} sessions (their affinity keys), and cost estimates within +-50% of the true work. The load is
 * the arrival rate times the mean work over the fleet's {@link SimFleet#capacitySpeed()}: nominal, so a strategy that
 * causes skill mismatch or context loading pushes the real load above it. {@link SimSettings} override the agent
 * count, capacity, prefetch, binding, stealing, bursts and work distribution of any scenario.
 */
public enum Scenario
{
    /** 8 identical agents (speed 1, capacity 2), Poisson arrivals, exponential work. */
    HOMOGENEOUS("homogeneous", "8 identical agents (speed 1, capacity 2, prefetch 1); Poisson arrivals; exponential work"),
    /** 8 agents with speeds 1, 2, 4, 8 twice over, weight = declared speed = true speed. */
    SPEEDS("speeds-1248", "8 agents, speeds 1:2:4:8 (twice), weight = speed, capacity 2; Poisson; exponential work"),
    /** Each task needs one of 4 skills; each agent is strong (1.0) in one and weak (0.5, 1.5x slower) in the next. */
    SKILL_MIXED("skill-mixed", "8 agents, each proficiency 1.0 in one of 4 skills and 0.5 in the next (1.5x slower); " +
        "every task needs one skill; Poisson; exponential work"),
    /** Homogeneous fleet, on/off arrivals: twice the mean rate for bursts of about 30 mean tasks' time, then silence. */
    BURSTY("bursty", "homogeneous fleet; on/off arrivals (2x the mean rate while on, on and off periods exponential " +
        "with mean 30 s); exponential work"),
    /** Homogeneous fleet, Pareto work with shape 1.5 (finite mean, infinite variance). */
    PARETO("pareto", "homogeneous fleet; Poisson; Pareto work, shape 1.5 (infinite variance), mean 1 s"),
    /** Homogeneous fleet with a context cost: a task of a session not among the agent's 4 warm ones costs +0.25 s of work. */
    SESSIONS("sessions", "homogeneous fleet; each agent keeps 4 of the 32 sessions warm, and a task of a cold " +
        "session costs 0.25 s of extra work (context loading); Poisson; exponential work"),
    /**
     * Mitzenmacher's supermarket model: identical agents of capacity 1, each task bound at arrival to the agent the
     * strategy picks and served FIFO there, no stealing; Poisson arrivals, exponential work of mean 1 s.
     */
    SUPERMARKET("supermarket", "100 identical agents (speed 1, capacity 1); early binding: each task joins the FIFO " +
        "queue of the agent the strategy picks at arrival, no stealing; Poisson; exponential work"),
    /**
     * Patterns to predict ({@link PeriodicWorkload}): daily and hourly cycles of rate and context keys, follow-on
     * sequences of keys, each key needing one skill, on the skill-mixed fleet with a cold key costing 0.5 s.
     */
    PERIODIC("periodic", "skill-mixed fleet; daily and hourly cycles of rate and keys (a day = 24 min of virtual " +
        "time), follow-on key sequences, each key needs one skill; a key not among the agent's 4 warm ones costs " +
        "0.5 s of extra work; the load is that at the peak of both cycles; exponential work");

    /** Sessions (affinity keys, context domains) in every workload. */
    public static final int DOMAINS = 32;
    private static final int AGENTS = 8;
    /** "At least 100 agents": the supermarket model's asymptotics need many queues. */
    private static final int SUPERMARKET_AGENTS = 100;
    private static final String[] SKILLS = {"sim-java", "sim-python", "sim-sql", "sim-docs"};

    private final String label;
    private final String description;

    Scenario(final String label, final String description)
    {
        this.label = label;
        this.description = description;
    }

    /** @return the name used on the command line and in tables. */
    public String label()
    {
        return label;
    }

    public String description()
    {
        return description;
    }

    /** @return the scenario with that label. @throws IllegalArgumentException naming the labels that exist. */
    public static Scenario byLabel(final String label)
    {
        for (final Scenario s : values())
        {
            if (s.label.equals(label))
            {
                return s;
            }
        }
        final StringBuilder known = new StringBuilder();
        for (final Scenario s : values())
        {
            known.append(known.length() == 0 ? "" : ", ").append(s.label);
        }
        throw new IllegalArgumentException("unknown scenario '" + label + "'; the scenarios are " + known);
    }

    /** @return this scenario's fleet as defined (a new instance; fleets are immutable). */
    public SimFleet fleet()
    {
        return fleet(SimSettings.DEFAULTS);
    }

    /**
     * @return the task slots this scenario's fleet has with the settings' overrides: agents x (capacity, plus prefetch
     *     under late binding); each is allocated up front, so a command line can refuse a fleet too large to hold.
     */
    public long taskSlots(final SimSettings settings)
    {
        final long perAgent = (long)capacity(settings) + (binding(settings) == SimFleet.Binding.EARLY ? 0 : prefetch(settings));
        return agents(settings) * perAgent;
    }

    private int agents(final SimSettings settings)
    {
        return settings.agents() > 0 ? settings.agents() : this == SUPERMARKET ? SUPERMARKET_AGENTS : AGENTS;
    }

    private int capacity(final SimSettings settings)
    {
        return settings.capacity() > 0 ? settings.capacity() : this == SUPERMARKET ? 1 : 2;
    }

    private int prefetch(final SimSettings settings)
    {
        return settings.prefetch() >= 0 ? settings.prefetch() : this == SUPERMARKET ? 0 : 1;
    }

    private SimFleet.Binding binding(final SimSettings settings)
    {
        return settings.binding() != null ? settings.binding() :
            this == SUPERMARKET ? SimFleet.Binding.EARLY : SimFleet.Binding.LATE;
    }

    /** @return this scenario's fleet with the settings' overrides. */
    public SimFleet fleet(final SimSettings settings)
    {
        final int agents = agents(settings);
        final int capacity = capacity(settings);
        final int prefetch = prefetch(settings);
        final SimFleet.Binding binding = binding(settings);
        final boolean steal = settings.steal() != null ? settings.steal() : this != SUPERMARKET;
        final AgentSpec[] specs = new AgentSpec[agents];
        final double[] speeds = new double[agents];
        for (int i = 0; i < agents; i++)
        {
            final double speed = this == SPEEDS ? 1 << (i % 4) : 1.0;
            final AgentSpec.Builder b = AgentSpec.builder(SimFleet.agentId(i), SimFleet.TYPE)
                .capacity(capacity)
                .weight((int)speed)
                .speed(speed);
            if (this == SKILL_MIXED || this == PERIODIC)
            {
                b.skill(SKILLS[i % SKILLS.length], 1.0).skill(SKILLS[(i + 1) % SKILLS.length], 0.5);
            }
            specs[i] = b.build();
            speeds[i] = speed;
        }
        final long contextLoad = this == SESSIONS ? SimWorkload.MEAN_WORK / 4 : this == PERIODIC ?
            SimWorkload.MEAN_WORK / 2 : 0;
        return new SimFleet(specs, speeds, prefetch, 4, contextLoad, binding, steal);
    }

    /**
     * @param seed  the run's seed; the workload is a pure function of (seed, scenario, load, tasks), and at another
     *              load only the arrival times change, by the ratio of the loads (bursts aside; in {@code periodic}
     *              the keys follow the time of day, so they change too).
     * @param load  nominal offered load in (0, 1), e.g. 0.8.
     * @param tasks how many tasks.
     */
    public SimWorkload workload(final long seed, final double load, final int tasks)
    {
        return workload(seed, load, tasks, SimSettings.DEFAULTS);
    }

    /** @return {@link #workload(long, double, int)} with the settings' overrides (fleet, bursts, work). */
    public SimWorkload workload(final long seed, final double load, final int tasks, final SimSettings settings)
    {
        // the load is not part of the stream's seed: the same draws at every load (common random numbers), so that
        // rows of one scenario differ by the load and not by the luck of the draw
        final SplittableRandom random = root(seed);
        final SplittableRandom arrivalDraws = random.split();
        final SplittableRandom taskDraws = random.split();
        final double rate = load * fleet(settings).capacitySpeed() / SimWorkload.MEAN_WORK;
        final SimSettings.Work shape = settings.work() != null ? settings.work() : defaultWork();
        if (this == PERIODIC)
        {
            // its own arrival process: the cycles are the point, so --burst does not apply
            return PeriodicWorkload.create(arrivalDraws, taskDraws, tasks, rate, shape, SKILLS);
        }
        final ArrivalProcess process = arrivals(arrivalDraws, rate, settings);
        final long[] arrivals = new long[tasks];
        for (int i = 0; i < tasks; i++)
        {
            arrivals[i] = process.next();
        }
        final long[] work = new long[tasks];
        final long[] skills = new long[tasks];
        final int[] domains = new int[tasks];
        for (int i = 0; i < tasks; i++)
        {
            work[i] = shape.exponential() ? SimWorkload.exponentialWork(taskDraws, SimWorkload.MEAN_WORK) :
                SimWorkload.paretoWork(taskDraws, SimWorkload.MEAN_WORK, shape.paretoAlpha());
            domains[i] = taskDraws.nextInt(DOMAINS);
            if (this == SKILL_MIXED)
            {
                skills[i] = 1L << Skills.id(SKILLS[taskDraws.nextInt(SKILLS.length)]);
            }
        }
        return new SimWorkload(arrivals, work, skills, domains, SimWorkload.costTokens(taskDraws, work));
    }

    /**
     * @return the workload of {@link #workload(long, double, int, SimSettings)} generated as a run asks for it
     *     ({@link StreamedWorkload}: the same arrival times, other draws of the rest), optionally after the fleet's
     *     stationary state at time 0; a new one per run.
     * @param stationary start from {@link StationaryStart#queueLengths} drawn from the seed (random routing only).
     * @throws IllegalArgumentException for {@code periodic}, whose workload is built whole.
     */
    public StreamedWorkload streamed(final long seed, final double load, final int tasks, final SimSettings settings,
                                     final boolean stationary)
    {
        if (this == PERIODIC)
        {
            throw new IllegalArgumentException("the periodic workload is built whole, not streamed; give it fewer tasks");
        }
        final SplittableRandom random = root(seed);
        final SplittableRandom arrivalDraws = random.split();
        final SplittableRandom taskDraws = random.split();
        final SplittableRandom initialDraws = random.split();
        final SimFleet fleet = fleet(settings);
        final double rate = load * fleet.capacitySpeed() / SimWorkload.MEAN_WORK;
        final long[] skillChoices = new long[this == SKILL_MIXED ? SKILLS.length : 0];
        for (int s = 0; s < skillChoices.length; s++)
        {
            skillChoices[s] = 1L << Skills.id(SKILLS[s]);
        }
        final int[] initialAgents = stationary ?
            StationaryStart.agentsOf(StationaryStart.queueLengths(initialDraws, fleet.size(), load)) : new int[0];
        return new StreamedWorkload(fleet, arrivals(arrivalDraws, rate, settings), taskDraws,
            settings.work() != null ? settings.work() : defaultWork(), skillChoices, DOMAINS, tasks, initialAgents,
            initialDraws);
    }

    /** @return the in-memory workload after the fleet's stationary state at time 0, drawn from the seed. */
    public SimWorkload stationary(final SimWorkload workload, final long seed, final double load, final SimSettings settings)
    {
        final SplittableRandom random = root(seed);
        random.split();
        random.split();
        final SplittableRandom initialDraws = random.split();
        return workload.startingWith(StationaryStart.agentsOf(
            StationaryStart.queueLengths(initialDraws, fleet(settings).size(), load)), initialDraws);
    }

    private SplittableRandom root(final long seed)
    {
        return new SplittableRandom(seed * 0x9E37_79B9_7F4A_7C15L + ordinal() * 1_000_003L);
    }

    private ArrivalProcess arrivals(final SplittableRandom arrivalDraws, final double rate, final SimSettings settings)
    {
        final double burst = Double.isNaN(settings.burst()) ? 2.0 : settings.burst();
        final double period = Double.isNaN(settings.periodSeconds()) ? 30.0 : settings.periodSeconds();
        return settings.bursty(this == BURSTY) ?
            ArrivalProcess.onOff(arrivalDraws, rate, burst, period * SimWorkload.MEAN_WORK) :
            ArrivalProcess.poisson(arrivalDraws, rate);
    }

    /** @return whether arrivals are Poisson and work exponential, with the settings' overrides: queueing theory applies. */
    public boolean markovian(final SimSettings settings)
    {
        return this != PERIODIC && !settings.bursty(this == BURSTY) &&
            (settings.work() != null ? settings.work() : defaultWork()).exponential();
    }

    /** @return the scenario's own work distribution: Pareto 1.5 for {@code pareto}, exponential for the others. */
    public SimSettings.Work defaultWork()
    {
        return this == PARETO ? new SimSettings.Work(1.5) : SimSettings.Work.EXPONENTIAL;
    }
}
