package dev.ringmaster.bench.sim;

import java.util.SplittableRandom;

/**
 * Starts a run in its steady state instead of from an empty fleet, where the simulator knows that state exactly;
 * stateless and thread-safe.
 *
 * <p>Where: the supermarket model (identical agents of capacity 1, early binding into FIFO queues, no stealing, no
 * context cost, Poisson arrivals, exponential work) under {@code random} routing. Random routing splits the Poisson
 * stream into one independent Poisson stream per agent, so each agent is an M/M/1 queue at the offered load rho,
 * independent of the others, and the stationary number of tasks at each agent is geometric:
 * P(L &gt;= k) = rho^k. Work is memoryless, so the task in service at time 0 has a full exponential work left. Filling
 * every agent's queue with an independent geometric number of exponential tasks is therefore the stationary process
 * itself, at any fleet size, not an approximation of it: every arrival sees the stationary queue (Poisson arrivals
 * see time averages), and the mean sojourn of every arrival is 1 / (1 - rho) mean works from the first on.
 *
 * <p>Why: an M/M/1 at rho relaxes on a time scale of 1 / (1 - sqrt(rho))^2 mean works (4 x 10^4 at 0.99), so from
 * an empty fleet the 10% warm-up would have to be 10^8 tasks at 1,000 agents for the figure to be near theory.
 *
 * <p>Not elsewhere: for two or more choices, join-the-shortest-queue or any other state-dependent strategy the
 * stationary law of a finite fleet has no closed form (Mitzenmacher's fixed point is the limit as the fleet grows,
 * not the law at 1,000 agents), so those runs start empty and rely on the warm-up; they relax within about
 * 1 / (1 - rho) mean works, which the warm-up covers.
 */
public final class StationaryStart
{
    /** The one strategy whose stationary law on the supermarket model is known exactly. */
    public static final String RANDOM = "random";

    private StationaryStart()
    {
    }

    /**
     * @param markovian whether arrivals are Poisson and work is exponential.
     * @return null if a run of the strategy on this fleet can start in its exact stationary state, else why not (a
     *     sentence naming what differs from the model).
     */
    public static String whyNot(final SimFleet fleet, final boolean markovian, final String strategy)
    {
        if (!RANDOM.equals(strategy))
        {
            return "the stationary law is known exactly only for random routing ('" + strategy + "' depends on the " +
                "queue lengths)";
        }
        if (fleet.binding() != SimFleet.Binding.EARLY || fleet.steals())
        {
            return "it needs early binding without stealing (each agent its own FIFO queue)";
        }
        if (!fleet.isHomogeneous() || fleet.spec(0).capacity() != 1 || fleet.spec(0).skillMask() != 0)
        {
            return "it needs identical agents of capacity 1 without skills";
        }
        if (fleet.contextLoadWork() > 0 || !markovian)
        {
            return "it needs Poisson arrivals, exponential work and no context cost";
        }
        return null;
    }

    /**
     * @return whether a run of the strategy starts stationary under the settings' start mode.
     * @throws IllegalArgumentException if {@link SimSettings.Start#STATIONARY} was asked for where the law is not
     *     known, saying why and what to do.
     */
    public static boolean applies(final SimSettings settings, final Scenario scenario, final SimFleet fleet,
                                  final String strategy)
    {
        final SimSettings.Start mode = settings.startMode();
        if (mode == SimSettings.Start.EMPTY)
        {
            return false;
        }
        final String why = whyNot(fleet, scenario.markovian(settings), strategy);
        if (why != null && mode == SimSettings.Start.STATIONARY)
        {
            throw new IllegalArgumentException("cannot start " + strategy + " on " + scenario.label() +
                " in its stationary state: " + why + "; use the default start (auto) or empty");
        }
        return why == null;
    }

    /**
     * @param load the offered load rho of each agent, in (0, 1).
     * @return one stationary queue length per agent (the task in service included), drawn independently:
     *     P(L &gt;= k) = rho^k.
     */
    public static int[] queueLengths(final SplittableRandom random, final int agents, final double load)
    {
        if (!(load > 0 && load < 1))
        {
            throw new IllegalArgumentException("a stationary M/M/1 needs a load in (0, 1), got " + load);
        }
        final int[] lengths = new int[agents];
        final double logLoad = Math.log(load);
        for (int a = 0; a < agents; a++)
        {
            // P(floor(ln U / ln rho) >= k) = P(U <= rho^k) = rho^k for U uniform in (0, 1]
            lengths[a] = (int)Math.floor(Math.log(1.0 - random.nextDouble()) / logLoad);
        }
        return lengths;
    }

    /** @return the pool position of each initial task, agent by agent in pool order, as many as its queue length. */
    static int[] agentsOf(final int[] lengths)
    {
        int total = 0;
        for (final int l : lengths)
        {
            total = Math.addExact(total, l);
        }
        final int[] agents = new int[total];
        int t = 0;
        for (int a = 0; a < lengths.length; a++)
        {
            for (int k = 0; k < lengths[a]; k++)
            {
                agents[t++] = a;
            }
        }
        return agents;
    }
}
