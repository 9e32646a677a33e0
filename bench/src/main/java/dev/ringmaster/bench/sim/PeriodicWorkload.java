package dev.ringmaster.bench.sim;

import dev.ringmaster.model.Skills;

import java.util.SplittableRandom;

/**
 * The {@link Scenario#PERIODIC} workload: arrivals and context keys with patterns a predictor can learn, on a
 * compressed clock; a pure function of its arguments, stateless and thread-safe.
 *
 * <p>The patterns, each seeded:
 * <ul>
 *   <li><b>daily</b>: the arrival rate follows {@code 1 + 0.6 sin} over a {@link #DAY_NANOS day}, and each quarter of
 *       the day (a shift) sends {@value #SHIFT_SHARE} of its tasks to its own eight of the 32 context keys;</li>
 *   <li><b>hourly</b>: the rate also follows {@code 1 + 0.3 sin} over an {@link #HOUR_NANOS hour}, and in the first
 *       tenth of every hour half of the tasks are that hour's check (context key {@code hour mod 32}, as a cron job's
 *       monitoring sweep);</li>
 *   <li><b>sequences</b>: with probability {@value #FOLLOW_ON} a task follows on from the one before it: its key is
 *       the seeded successor of the previous task's key (after a deployment come its checks; after reviews of a
 *       module, the next review of it);</li>
 *   <li>every key needs one skill ({@code key mod 4}), and the fleet prices a cold key (see {@link Scenario}).</li>
 * </ul>
 * The load is the load at the peak of both cycles: the mean rate is that over {@link #PEAK}, since the two sines
 * average out over a day of 24 hours.
 */
public final class PeriodicWorkload
{
    /** One hour of the scenario's clock: a minute of virtual time, 60 mean tasks' work. */
    public static final long HOUR_NANOS = 60 * SimWorkload.MEAN_WORK;
    /** One day of the scenario's clock: 24 of its hours. */
    public static final long DAY_NANOS = 24 * HOUR_NANOS;
    static final double DAILY_AMPLITUDE = 0.6;
    static final double HOURLY_AMPLITUDE = 0.3;
    static final double SHIFT_SHARE = 0.7;
    static final double FOLLOW_ON = 0.5;
    /** The share of an hour, from its start, in which its check runs. */
    static final double CHECK_WINDOW = 0.1;
    static final double CHECK_SHARE = 0.5;

    private PeriodicWorkload()
    {
    }

    /** The peak of the two cycles together, over their mean: the scenario's load is its load at the peak. */
    public static final double PEAK = (1 + DAILY_AMPLITUDE) * (1 + HOURLY_AMPLITUDE);

    /**
     * @param ratePerNano arrivals per virtual nanosecond at the peak of the day and the hour (the mean rate is this
     *                    over {@link #PEAK}): a load of 0.95 overloads no hour, before skill mismatch and cold keys.
     * @param skills      the four skill names; key k needs {@code skills[k % 4]}.
     */
    static SimWorkload create(final SplittableRandom arrivalDraws, final SplittableRandom taskDraws, final int tasks,
                              final double ratePerNano, final SimSettings.Work shape, final String[] skills)
    {
        final long[] arrivals = arrivals(arrivalDraws, tasks, ratePerNano);
        final int[] successor = successors(taskDraws.split(), Scenario.DOMAINS);
        final long[] work = new long[tasks];
        final long[] skillMasks = new long[tasks];
        final int[] domains = new int[tasks];
        int previous = -1;
        for (int i = 0; i < tasks; i++)
        {
            work[i] = shape.exponential() ? SimWorkload.exponentialWork(taskDraws, SimWorkload.MEAN_WORK) :
                SimWorkload.paretoWork(taskDraws, SimWorkload.MEAN_WORK, shape.paretoAlpha());
            final int domain = domain(taskDraws, arrivals[i], previous, successor);
            domains[i] = domain;
            skillMasks[i] = 1L << Skills.id(skills[domain % skills.length]);
            previous = domain;
        }
        return new SimWorkload(arrivals, work, skillMasks, domains, SimWorkload.costTokens(taskDraws, work));
    }

    /** @return the relative arrival rate at a time: the product of the daily and the hourly cycles. */
    public static double relativeRate(final long nanos)
    {
        return (1 + DAILY_AMPLITUDE * Math.sin(2 * Math.PI * (nanos % DAY_NANOS) / DAY_NANOS)) *
            (1 + HOURLY_AMPLITUDE * Math.sin(2 * Math.PI * (nanos % HOUR_NANOS) / HOUR_NANOS));
    }

    /** @return the hour of the day, 0 to 23, at a time. */
    public static int hourOfDay(final long nanos)
    {
        return (int)((nanos % DAY_NANOS) / HOUR_NANOS);
    }

    /** @return the key of the check that runs at the start of the hour of this time. */
    public static int checkKey(final long nanos)
    {
        return (int)((nanos / HOUR_NANOS) % Scenario.DOMAINS);
    }

    /** @return the seeded successor of every key (a permutation), the same for every load of one seed. */
    static int[] successors(final SplittableRandom random, final int keys)
    {
        final int[] next = new int[keys];
        for (int k = 0; k < keys; k++)
        {
            next[k] = k;
        }
        for (int k = keys - 1; k > 0; k--)
        {
            final int j = random.nextInt(k + 1);
            final int t = next[k];
            next[k] = next[j];
            next[j] = t;
        }
        return next;
    }

    /** Non-homogeneous Poisson arrivals by thinning: candidates at the peak rate, kept in proportion to the rate. */
    private static long[] arrivals(final SplittableRandom random, final int n, final double ratePerNano)
    {
        final double peak = PEAK;
        final double meanGap = 1.0 / ratePerNano;
        final long[] arrivals = new long[n];
        double t = 0;
        int i = 0;
        while (i < n)
        {
            t += -meanGap * Math.log(1.0 - random.nextDouble());
            if (random.nextDouble() * peak < relativeRate((long)t))
            {
                arrivals[i++] = (long)t;
            }
        }
        return arrivals;
    }

    private static int domain(final SplittableRandom random, final long at, final int previous, final int[] successor)
    {
        if ((at % HOUR_NANOS) < CHECK_WINDOW * HOUR_NANOS && random.nextDouble() < CHECK_SHARE)
        {
            return checkKey(at);
        }
        if (previous >= 0 && random.nextDouble() < FOLLOW_ON)
        {
            return successor[previous];
        }
        final int perShift = Scenario.DOMAINS / 4;
        if (random.nextDouble() < SHIFT_SHARE)
        {
            final int shift = hourOfDay(at) / 6;
            return shift * perShift + random.nextInt(perShift);
        }
        return random.nextInt(Scenario.DOMAINS);
    }
}
