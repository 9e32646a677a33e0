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
public final class SimWorkload
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
            keys[d] = KEY_PREFIX + d;
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
        final long[] arrivals = new long[n];
        double t = 0;
        for (int i = 0; i < n; i++)
        {
            arrivals[i] = (long)t;
            t += exponential(random, 1.0 / ratePerNano);
        }
        return arrivals;
    }

    /**
     * @return arrival times of an on/off (interrupted Poisson) process: Poisson at {@code burst x meanRate} while on,
     *     nothing while off, on periods exponential with mean {@code meanPeriodNanos} and off periods with mean
     *     {@code meanPeriodNanos x (burst - 1)}, so the long-run rate is {@code meanRate}; a burst of 2 at 80% load
     *     offers 160% of the fleet for a while.
     */
    static long[] onOffArrivals(final SplittableRandom random, final int n, final double meanRatePerNano,
                                final double burst, final double meanPeriodNanos)
    {
        final long[] arrivals = new long[n];
        final double onRate = burst * meanRatePerNano;
        final double meanOffNanos = meanPeriodNanos * (burst - 1);
        // the periods come from a stream of their own, so that the same seed gives the same bursts at every load
        final SplittableRandom periods = random.split();
        double t = 0;
        double onUntil = exponential(periods, meanPeriodNanos);
        for (int i = 0; i < n; i++)
        {
            double next = t + exponential(random, 1.0 / onRate);
            while (next > onUntil)
            {
                // memoryless: the arrival that would fall past the burst is redrawn from the start of the next one
                final double onFrom = onUntil + exponential(periods, meanOffNanos);
                onUntil = onFrom + exponential(periods, meanPeriodNanos);
                next = onFrom + exponential(random, 1.0 / onRate);
            }
            t = next;
            arrivals[i] = (long)t;
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
            tokens[i] = Math.max(1, Math.round(work[i] * TOKENS_PER_WORK * (0.5 + random.nextDouble())));
        }
        return tokens;
    }

    static int[] filled(final int n, final int value)
    {
        final int[] a = new int[n];
        java.util.Arrays.fill(a, value);
        return a;
    }

    private static double exponential(final SplittableRandom random, final double mean)
    {
        return -mean * Math.log(1.0 - random.nextDouble());
    }

    public int size()
    {
        return arrivals.length;
    }

    public long arrival(final int i)
    {
        return arrivals[i];
    }

    public long work(final int i)
    {
        return work[i];
    }

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

    public int domain(final int i)
    {
        return domains[i];
    }

    public Task task(final int i)
    {
        return tasks[i];
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
