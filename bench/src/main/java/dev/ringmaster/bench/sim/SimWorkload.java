package dev.ringmaster.bench.sim;

import dev.ringmaster.model.Priority;
import dev.ringmaster.model.Task;

import java.util.SplittableRandom;

/**
 * A finite stream of tasks in arrival order: arrival time, true work, required skills, domain and cost estimate of
 * each, and the {@link Task} a strategy sees; immutable once built, so every strategy of a comparison gets the very
 * same stream (common random numbers), and safe to share between threads.
 *
 * <p>Units: times are virtual nanoseconds; work is in work units, which an agent of speed 1 completes at one per
 * nanosecond, so a task of work w takes w / speed nanoseconds on a perfect-fit agent with a warm context.
 */
public final class SimWorkload implements TaskSource
{
    /** Mean work of a task in every scenario: one second on a speed-1 agent, the scale of an LLM call. */
    public static final long MEAN_WORK = 1_000_000_000L;
    /** Tokens per work unit of the cost estimate: 1,000 tokens for the mean task. */
    private static final double TOKENS_PER_WORK = 1e-6;

    private static final String KEY_PREFIX = "session-";

    private final long[] arrivals;
    private final long[] work;
    private final long[] skills;
    private final int[] domains;
    private final Task[] tasks;
    private final long totalWork;
    private final long longestWork;
    private final int[] initialAgents;

    /**
     * @param arrivals   arrival times, non-decreasing, non-negative.
     * @param work       true work of each task, at least 1.
     * @param skills     required skill mask of each task (see {@link dev.ringmaster.model.Skills}), 0 for none.
     * @param domains    domain of each task, its affinity key and the unit of the context model; -1 for none.
     * @param costTokens the cost estimate strategies see ({@link Task#costTokens()}); may differ from the work.
     */
    public SimWorkload(final long[] arrivals, final long[] work, final long[] skills, final int[] domains,
                       final long[] costTokens)
    {
        this(arrivals, work, skills, domains, costTokens, null);
    }

    /**
     * As {@link #SimWorkload(long[], long[], long[], int[], long[])}, with each task's priority (a replayed journal's
     * mix); null for every task MEDIUM.
     */
    public SimWorkload(final long[] arrivals, final long[] work, final long[] skills, final int[] domains,
                       final long[] costTokens, final Priority[] priorities)
    {
        this(arrivals, work, skills, domains, costTokens, priorities, new int[0]);
    }

    /** @param initialAgents the agent of each of the first tasks, which are already queued at time 0 (see {@link TaskSource}). */
    private SimWorkload(final long[] arrivals, final long[] work, final long[] skills, final int[] domains,
                        final long[] costTokens, final Priority[] priorities, final int[] initialAgents)
    {
        this.initialAgents = initialAgents;
        final int n = arrivals.length;
        if (work.length != n || skills.length != n || domains.length != n || costTokens.length != n ||
            (priorities != null && priorities.length != n))
        {
            throw new IllegalArgumentException("every per-task array needs " + n + " entries");
        }
        this.arrivals = arrivals.clone();
        this.work = work.clone();
        this.skills = skills.clone();
        this.domains = domains.clone();
        this.tasks = new Task[n];
        int maxDomain = -1;
        for (final int d : domains)
        {
            maxDomain = Math.max(maxDomain, d);
        }
        final String[] keys = new String[maxDomain + 1];
        for (int d = 0; d < keys.length; d++)
        {
            keys[d] = key(d);
        }
        long total = 0;
        long longest = 0;
        for (int i = 0; i < n; i++)
        {
            if (arrivals[i] < 0 || (i > 0 && arrivals[i] < arrivals[i - 1]))
            {
                throw new IllegalArgumentException("arrivals must be non-negative and in order; task " + i + " arrives at " +
                    arrivals[i] + (i > 0 ? " after " + arrivals[i - 1] : ""));
            }
            if (work[i] < 1)
            {
                throw new IllegalArgumentException("work of task " + i + " must be >= 1, got " + work[i]);
            }
            total += work[i];
            longest = Math.max(longest, work[i]);
            tasks[i] = Task.builder(SimFleet.TYPE)
                .id(i + 1)
                .priority(priorities == null ? Priority.MEDIUM : priorities[i])
                .affinityKey(domains[i] >= 0 ? keys[domains[i]] : null)
                .requiredSkillMask(skills[i])
                .costTokens(costTokens[i])
                .maxRetries(0)
                .build();
        }
        this.totalWork = total;
        this.longestWork = longest;
    }

    /**
     * @param initialAgents the agent of each task already in the system at time 0, in queue order per agent (see
     *                      {@link StationaryStart}); each gets exponential work of mean {@link #MEAN_WORK}, no skill,
     *                      no domain, drawn from {@code random}.
     * @return these tasks, after that many initial ones queued at time 0.
     */
    public SimWorkload startingWith(final int[] initialAgents, final SplittableRandom random)
    {
        if (this.initialAgents.length > 0)
        {
            throw new IllegalStateException("this workload already starts with " + this.initialAgents.length + " tasks");
        }
        final int k = initialAgents.length;
        final int n = k + arrivals.length;
        final long[] work = new long[n];
        final long[] costs = new long[n];
        final Priority[] priorities = new Priority[n];
        final long[] prefixWork = new long[k];
        for (int i = 0; i < k; i++)
        {
            prefixWork[i] = exponentialWork(random, MEAN_WORK);
        }
        System.arraycopy(prefixWork, 0, work, 0, k);
        System.arraycopy(costTokens(random, prefixWork), 0, costs, 0, k);
        java.util.Arrays.fill(priorities, 0, k, Priority.MEDIUM);
        for (int i = 0; i < arrivals.length; i++)
        {
            work[k + i] = this.work[i];
            costs[k + i] = tasks[i].costTokens();
            priorities[k + i] = tasks[i].priority();
        }
        final long[] arrivalTimes = new long[n];
        System.arraycopy(arrivals, 0, arrivalTimes, k, arrivals.length);
        final long[] skillMasks = new long[n];
        System.arraycopy(skills, 0, skillMasks, k, arrivals.length);
        final int[] domainIds = filled(n, -1);
        System.arraycopy(domains, 0, domainIds, k, arrivals.length);
        return new SimWorkload(arrivalTimes, work, skillMasks, domainIds, costs, priorities, initialAgents.clone());
    }

    /** @return every task of the source held in memory, the initial ones included (the source is read once, in order). */
    static SimWorkload copyOf(final TaskSource source)
    {
        final int n = source.size();
        final long[] arrivals = new long[n];
        final long[] work = new long[n];
        final long[] skills = new long[n];
        final int[] domains = new int[n];
        final long[] costs = new long[n];
        final Priority[] priorities = new Priority[n];
        final int[] initialAgents = new int[source.initialTasks()];
        for (int i = 0; i < n; i++)
        {
            arrivals[i] = source.arrival(i);
            work[i] = source.work(i);
            skills[i] = source.skills(i);
            domains[i] = source.domain(i);
            costs[i] = source.costTokens(i);
            priorities[i] = source.priority(i);
            if (i < initialAgents.length)
            {
                initialAgents[i] = source.initialAgent(i);
            }
            source.retireBelow(i + 1);
        }
        return new SimWorkload(arrivals, work, skills, domains, costs, priorities, initialAgents);
    }

    @Override
    public int initialTasks()
    {
        return initialAgents.length;
    }

    @Override
    public int initialAgent(final int i)
    {
        return initialAgents[i];
    }

    /**
     * The M/M/c validation workload: Poisson arrivals at rate {@code rho x c x mu} and exponential work of mean
     * {@link #MEAN_WORK} (mu = 1 / MEAN_WORK per nanosecond), no skills, no domains.
     */
    public static SimWorkload markovian(final long seed, final int tasks, final int c, final double rho)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final double ratePerNano = rho * c / MEAN_WORK;
        final long[] arrivals = poissonArrivals(random, tasks, ratePerNano);
        final long[] work = new long[tasks];
        for (int i = 0; i < tasks; i++)
        {
            work[i] = exponentialWork(random, MEAN_WORK);
        }
        return new SimWorkload(arrivals, work, new long[tasks], filled(tasks, -1), costTokens(random, work));
    }

    /** @return arrival times of a Poisson process of the given rate per nanosecond, starting at 0. */
    static long[] poissonArrivals(final SplittableRandom random, final int n, final double ratePerNano)
    {
        return times(ArrivalProcess.poisson(random, ratePerNano), n);
    }

    private static long[] times(final ArrivalProcess process, final int n)
    {
        final long[] arrivals = new long[n];
        for (int i = 0; i < n; i++)
        {
            arrivals[i] = process.next();
        }
        return arrivals;
    }

    static long exponentialWork(final SplittableRandom random, final long mean)
    {
        return Math.max(1, Math.round(exponential(random, mean)));
    }

    /** @return Pareto work with shape alpha (> 1) scaled to the given mean: x_m = mean (alpha - 1) / alpha. */
    static long paretoWork(final SplittableRandom random, final long mean, final double alpha)
    {
        final double scale = mean * (alpha - 1) / alpha;
        return Math.max(1, Math.round(scale * Math.pow(1.0 - random.nextDouble(), -1.0 / alpha)));
    }

    /** @return cost estimates: the true work in tokens times a uniform error in [0.5, 1.5), at least 1. */
    static long[] costTokens(final SplittableRandom random, final long[] work)
    {
        final long[] tokens = new long[work.length];
        for (int i = 0; i < work.length; i++)
        {
            tokens[i] = costTokens(random, work[i]);
        }
        return tokens;
    }

    /** @return one cost estimate: the true work in tokens times a uniform error in [0.5, 1.5), at least 1. */
    static long costTokens(final SplittableRandom random, final long work)
    {
        return Math.max(1, Math.round(work * TOKENS_PER_WORK * (0.5 + random.nextDouble())));
    }

    /** @return the affinity key of a domain, which {@link #domainOf} reads back. */
    static String key(final int domain)
    {
        return KEY_PREFIX + domain;
    }

    static int[] filled(final int n, final int value)
    {
        final int[] a = new int[n];
        java.util.Arrays.fill(a, value);
        return a;
    }

    private static double exponential(final SplittableRandom random, final double mean)
    {
        return ArrivalProcess.exponential(random, mean);
    }

    @Override
    public int size()
    {
        return arrivals.length;
    }

    @Override
    public long arrival(final int i)
    {
        return arrivals[i];
    }

    @Override
    public long work(final int i)
    {
        return work[i];
    }

    @Override
    public long skills(final int i)
    {
        return skills[i];
    }

    /** @return the domain of an affinity key this class made ("session-D"), or -1 for another key. */
    public static int domainOf(final String key)
    {
        if (key == null || !key.startsWith(KEY_PREFIX))
        {
            return -1;
        }
        try
        {
            return Integer.parseInt(key.substring(KEY_PREFIX.length()));
        }
        catch (final NumberFormatException e)
        {
            return -1;
        }
    }

    @Override
    public int domain(final int i)
    {
        return domains[i];
    }

    @Override
    public Task task(final int i)
    {
        return tasks[i];
    }

    @Override
    public Priority priority(final int i)
    {
        return tasks[i].priority();
    }

    @Override
    public long costTokens(final int i)
    {
        return tasks[i].costTokens();
    }

    /** @return the sum of every task's work. */
    public long totalWork()
    {
        return totalWork;
    }

    /** @return the largest work of one task. */
    public long longestWork()
    {
        return longestWork;
    }

    /**
     * The makespan lower bound, from the first arrival: no schedule on the fleet finishes sooner. It is the largest of
     * <ul>
     *   <li>{@code a_k - a_0 + W(>= k) / C} for every k, where W(>= k) is the work of the tasks arriving at or after
     *       a_k and C the fleet's {@link SimFleet#capacitySpeed()}: that work cannot start before a_k and the fleet
     *       does at most C per nanosecond (for k = 0 this is the textbook total work / total capacity);</li>
     *   <li>{@code a_i - a_0 + w_i / maxSpeed} for every task: it cannot run faster than on the fastest agent (for
     *       tasks arriving together this is the textbook longest task).</li>
     * </ul>
     * Skill mismatch and context loading only add work, so the bound holds under every strategy.
     *
     * @return the bound in virtual nanoseconds; 0 for an empty workload.
     */
    @Override
    public double makespanLowerBound(final SimFleet fleet)
    {
        final int n = arrivals.length;
        if (n == 0)
        {
            return 0;
        }
        final double c = fleet.capacitySpeed();
        final double maxSpeed = fleet.maxSpeed();
        final long first = arrivals[0];
        double bound = 0;
        double suffix = 0;
        for (int k = n - 1; k >= 0; k--)
        {
            suffix += work[k];
            final double since = arrivals[k] - first;
            bound = Math.max(bound, since + suffix / c);
            bound = Math.max(bound, since + work[k] / maxSpeed);
        }
        return bound;
    }
}
