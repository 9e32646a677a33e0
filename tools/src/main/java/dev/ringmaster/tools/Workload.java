package dev.ringmaster.tools;

import dev.ringmaster.model.Priority;
import dev.ringmaster.model.Skills;
import dev.ringmaster.model.Task;

import java.time.Duration;
import java.util.List;

/**
 * The demo's mixed workload: task {@code i} of a run is a pure function of (seed, i), so producers can split the
 * index range any way they like and still generate the same tasks; immutable and thread-safe.
 *
 * <p>The mix: half coder tasks, a quarter each reviewer and researcher; priorities 5% CRITICAL, 20% HIGH, 50% MEDIUM,
 * 25% LOW; most tasks need a skill, some one that only two agents have (rust, security, math); token costs
 * log-uniform in [200, 10,000]; work Pareto-distributed (alpha 1.7: a few tasks are hundreds of times the median);
 * a poison fraction that fails on every agent and ends in the dead letters; skewed session (affinity) keys on 70% of
 * tasks; three tenants.
 */
public final class Workload
{
    /** Tail index of the work distribution: heavy tail, finite mean, infinite variance. */
    static final double PARETO_ALPHA = 1.7;
    /** Attempts that run longer are timed out by the dispatcher and retried. */
    static final Duration ATTEMPT_TIMEOUT = Duration.ofMillis(250);
    /** A CRITICAL task that waits this long is worthless: it expires instead of running. */
    static final Duration CRITICAL_TTL = Duration.ofSeconds(5);
    /** Longest work of one task, so one absurd sample cannot stall a run. */
    static final long MAX_WORK_NANOS = Duration.ofSeconds(1).toNanos();

    private static final long SALT_TASK = 0x7A5C_0001L;
    private static final int SESSIONS_PER_TYPE = 200;
    private static final String[] TENANTS = {"team-a", "team-b", "team-c"};
    /** Session keys, interned once so that generating a task does not build strings. */
    private final String[][] sessions;

    /**
     * What a simulated agent needs to know about a task beyond the {@link Task} itself; immutable and thread-safe.
     *
     * @param workNanos time the task takes an agent of speed 1, before proficiency and jitter.
     * @param poison    true if the task fails on every attempt.
     */
    public record Work(long workNanos, boolean poison)
    {
        static final Work DEFAULT = new Work(200_000, false);
    }

    private record TypeMix(String type, double share, long meanWorkNanos, String[] skills, double[] skillShares)
    {
    }

    private final long seed;
    private final double poisonRate;
    private final TypeMix[] types;
    private final long[][] skillMasks;

    /**
     * @param seed       the run's seed.
     * @param poisonRate fraction of tasks that fail on every attempt.
     */
    public Workload(final long seed, final double poisonRate)
    {
        this.seed = seed;
        this.poisonRate = poisonRate;
        // skill shares are cumulative within a type; the rest of the type's tasks need no particular skill
        this.types = new TypeMix[] {
            new TypeMix("coder", 0.50, 600_000, new String[] {"java", "python", "sql", "rust"},
                new double[] {0.25, 0.45, 0.52, 0.60}),
            new TypeMix("reviewer", 0.25, 300_000, new String[] {"style", "security"},
                new double[] {0.30, 0.50}),
            new TypeMix("researcher", 0.25, 800_000, new String[] {"web", "papers", "math"},
                new double[] {0.25, 0.50, 0.60}),
        };
        this.sessions = new String[types.length][SESSIONS_PER_TYPE];
        for (int t = 0; t < types.length; t++)
        {
            for (int k = 0; k < SESSIONS_PER_TYPE; k++)
            {
                sessions[t][k] = types[t].type() + "-session-" + k;
            }
        }
        this.skillMasks = new long[types.length][];
        for (int t = 0; t < types.length; t++)
        {
            skillMasks[t] = new long[types[t].skills().length];
            for (int s = 0; s < types[t].skills().length; s++)
            {
                skillMasks[t][s] = Skills.mask(List.of(types[t].skills()[s]));
            }
        }
    }

    /** @return task number {@code index} of the run, with {@code index} as its id. */
    public Task task(final long index)
    {
        final SplitMix random = new SplitMix(SplitMix.seedFor(seed, SALT_TASK, index));

        final double typeDraw = random.nextDouble();
        int t = 0;
        double cumulative = types[0].share();
        while (typeDraw >= cumulative && t < types.length - 1)
        {
            cumulative += types[++t].share();
        }
        final TypeMix mix = types[t];

        final double priorityDraw = random.nextDouble();
        final Priority priority = priorityDraw < 0.05 ? Priority.CRITICAL :
            priorityDraw < 0.25 ? Priority.HIGH :
            priorityDraw < 0.75 ? Priority.MEDIUM : Priority.LOW;

        final double skillDraw = random.nextDouble();
        long skills = 0;
        for (int s = 0; s < mix.skillShares().length; s++)
        {
            if (skillDraw < mix.skillShares()[s])
            {
                skills = skillMasks[t][s];
                break;
            }
        }

        final long costTokens = Math.round(200 * Math.pow(50, random.nextDouble())); // log-uniform 200..10,000
        final long work = Math.min(MAX_WORK_NANOS, (long)random.nextPareto(mix.meanWorkNanos(), PARETO_ALPHA));
        final boolean poison = random.nextDouble() < poisonRate;
        // sessions are skewed (a few hot ones, a long tail), as conversations with agents are: hashing, sticky and
        // bounded-load strategies see realistic key skew; 30% of tasks belong to no session
        final double sessionDraw = random.nextDouble();
        final String session = sessionDraw < 0.3 ? null :
            sessions[t][(int)Math.floor(Math.pow(SESSIONS_PER_TYPE, random.nextDouble())) - 1];
        final String tenant = TENANTS[(int)(random.nextDouble() * TENANTS.length)];

        final Task.Builder b = Task.builder(mix.type())
            .id(index)
            .priority(priority)
            .costTokens(costTokens)
            .requiredSkillMask(skills)
            .maxRetries(3)
            .timeout(ATTEMPT_TIMEOUT)
            .affinityKey(session)
            .tenant(tenant)
            .payload(new Work(work, poison));
        if (priority == Priority.CRITICAL)
        {
            b.ttl(CRITICAL_TTL);
        }
        return b.build();
    }
}
