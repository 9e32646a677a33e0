package dev.ringmaster.tools;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Skills;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.AgentTelemetry;
import dev.ringmaster.spi.Completion;
import dev.ringmaster.spi.TaskView;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An asynchronous simulated agent: {@link #execute} decides the attempt's outcome and duration, hands it to the
 * {@link SimulationClock} and returns at once; thread-safe and stateless per call, so any worker thread may call it.
 *
 * <p>Every decision is a hash of (seed, task id, attempt, agent), so the same seed gives the same attempt outcomes
 * whichever worker runs them and in whatever order.
 */
public final class SimulatedAgent implements AgentAdapter
{
    private static final long SALT_ATTEMPT = 0x5EED_A77EL;
    /** Context keys an agent holds warm at once, as the simulator's agents and pre-routing's defaults. */
    static final int WARM_KEYS = 4;

    private final AgentSpec spec;
    private final int index;
    private final int speed;
    private final double baseFailureRate;
    private final long seed;
    private final SimulationClock clock;
    /** Proficiency by skill id (see {@link Skills#id}); 0 where the agent lacks the skill. */
    private final double[] proficiency = new double[Skills.MAX_SKILLS];
    private final double meanProficiency;
    private final String result;
    private final SimulatedFailure transientFailure;
    /** Context keys held warm, most recent first; guarded by itself (workers run attempts concurrently). */
    private final String[] warmKeys = new String[WARM_KEYS];
    private long contextLoadNanos;
    private final AtomicLong coldLoads = new AtomicLong();
    private final AtomicLong warmUps = new AtomicLong();

    /**
     * @param index           the agent's position in the fleet, part of the hash so agents decide independently.
     * @param speed           work units per nanosecond relative to the slowest agent (1, 2, 4, 8).
     * @param baseFailureRate probability that an attempt fails for no reason of the task's.
     */
    public SimulatedAgent(final AgentSpec spec, final int index, final int speed, final double baseFailureRate,
                          final long seed, final SimulationClock clock)
    {
        this.spec = spec;
        this.index = index;
        this.speed = speed;
        this.baseFailureRate = baseFailureRate;
        this.seed = seed;
        this.clock = clock;
        double sum = 0;
        for (final Map.Entry<String, Double> e : spec.proficiency().entrySet())
        {
            proficiency[Skills.id(e.getKey())] = e.getValue();
            sum += e.getValue();
        }
        this.meanProficiency = spec.proficiency().isEmpty() ? 0.8 : sum / spec.proficiency().size();
        // shared, immutable outcome objects: an attempt allocates only its timer entry and a hasher (the JIT
        // usually scalar-replaces the latter); this is the dispatcher's client, not its hot path
        this.result = "done by " + spec.id();
        this.transientFailure = new SimulatedFailure("transient failure on agent '" + spec.id() + "' (simulated, p=" +
            baseFailureRate + " plus a little for low proficiency)");
    }

    public AgentSpec spec()
    {
        return spec;
    }

    /**
     * Makes a task whose affinity key is not among the agent's {@value #WARM_KEYS} most recent ones (or warmed) take
     * {@code nanos} longer, the context-load cost; 0 (the default) for none. Call before the agent runs tasks.
     *
     * @return this.
     */
    SimulatedAgent contextLoad(final long nanos)
    {
        this.contextLoadNanos = nanos;
        return this;
    }

    /** @return attempts that loaded their context cold. */
    long coldLoads()
    {
        return coldLoads.get();
    }

    /** @return contexts warmed ahead of their tasks through {@link #warm}. */
    long warmUps()
    {
        return warmUps.get();
    }

    /** Loads the key's context ahead of its tasks, at once; only when contexts cost anything to load. */
    @Override
    public boolean warm(final String contextKey)
    {
        if (contextLoadNanos == 0 || contextKey == null)
        {
            return false;
        }
        if (!touch(contextKey))
        {
            warmUps.incrementAndGet();
        }
        return true;
    }

    /** @return whether the key was warm; it is the most recent one now, the least recent dropped if it was not. */
    private boolean touch(final String key)
    {
        synchronized (warmKeys)
        {
            int at = warmKeys.length - 1;
            for (int i = 0; i < warmKeys.length; i++)
            {
                if (key.equals(warmKeys[i]))
                {
                    at = i;
                    break;
                }
            }
            final boolean wasWarm = key.equals(warmKeys[at]);
            System.arraycopy(warmKeys, 0, warmKeys, 1, at);
            warmKeys[0] = key;
            return wasWarm;
        }
    }

    /** @return relative speed: a task's work is divided by it. */
    public int speed()
    {
        return speed;
    }

    @Override
    public void execute(final TaskView view, final Completion completion, final AgentTelemetry telemetry)
    {
        // read everything from the view now: it is recycled once the completion is called on the clock thread
        final Task task = view.task();
        final Workload.Work work = task.payload() instanceof Workload.Work w ? w : Workload.Work.DEFAULT;
        final SplitMix random = new SplitMix(SplitMix.seedFor(seed, SALT_ATTEMPT,
            task.id() * 131 + view.attempt() * 31L + index));

        final double skill = proficiencyFor(task.requiredSkills());
        // agents slower than their nominal speed on tasks outside their strength: 1x at proficiency 1, 1.5x at 0.5
        final double skillSlowdown = 1.0 + (1.0 - skill);
        final double jitter = 0.8 + 0.4 * random.nextDouble();
        final boolean cold = contextLoadNanos > 0 && task.affinityKey() != null && !touch(task.affinityKey());
        if (cold)
        {
            coldLoads.incrementAndGet();
        }
        final long durationNanos = Math.max(1_000L, (long)(work.workNanos() * skillSlowdown * jitter / speed)) +
            (cold ? contextLoadNanos : 0);

        final double failureRate = baseFailureRate + 0.02 * (1.0 - skill);
        final boolean fails = work.poison() || random.nextDouble() < failureRate;
        final long now = System.nanoTime();
        if (fails)
        {
            // failures surface part-way through, as a crashed call or a rejected answer would
            clock.schedule(completion, now + durationNanos / 2, null, 0, Double.NaN,
                work.poison() ? SimulatedFailure.POISON : transientFailure);
            return;
        }
        final long tokens = Math.max(1, (long)(task.costTokens() * (0.8 + 0.4 * random.nextDouble())));
        final double quality = Math.max(0.0, Math.min(1.0, skill - 0.15 * random.nextDouble() + 0.05));
        // the context an agent loads for a task outside its strength is partly irrelevant setup: the seed's waste
        telemetry.contextTokens(tokens, Math.round(tokens * skill));
        clock.schedule(completion, now + durationNanos, result, tokens, quality, null);
    }

    private double proficiencyFor(final long requiredSkills)
    {
        if (requiredSkills == 0)
        {
            return meanProficiency;
        }
        double min = 1.0;
        long remaining = requiredSkills;
        while (remaining != 0)
        {
            final int bit = Long.numberOfTrailingZeros(remaining);
            min = Math.min(min, proficiency[bit]);
            remaining &= remaining - 1;
        }
        return min;
    }

    @Override
    public String toString()
    {
        return "SimulatedAgent{" + spec.id() + ", speed=" + speed + '}';
    }

    /**
     * The cause of a simulated failed attempt; immutable and thread-safe, shared by all attempts, without a stack
     * trace (it would only show the clock thread).
     */
    public static final class SimulatedFailure extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        /** A task that fails on every agent: it ends in the dead letters once its retries are spent. */
        static final SimulatedFailure POISON =
            new SimulatedFailure("poison task: malformed input fails on every agent (simulated)");

        SimulatedFailure(final String message)
        {
            super(message, null, false, false);
        }

        /** Just the message: the dispatcher quotes the cause in dead-letter reasons, where a class name is noise. */
        @Override
        public String toString()
        {
            return getMessage();
        }
    }
}
