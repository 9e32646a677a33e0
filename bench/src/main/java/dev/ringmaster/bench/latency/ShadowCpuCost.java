package dev.ringmaster.bench.latency;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * The cost of a shadow strategy per routing decision on a shared machine, where JMH's wall-clock figures swing by
 * more than the shadow costs: the decisions of {@link RouterDecisionLatency} timed in the thread's CPU time, the
 * configurations (no shadow, and each shadow) interleaved round by round, the median round reported per
 * configuration. Run as {@code java -cp bench/target/benchmarks.jar dev.ringmaster.bench.latency.ShadowCpuCost
 * [STRATEGY [AGENTS [SHADOWS [ROUNDS]]]]}; single-threaded, a main program, not a JMH benchmark.
 */
public final class ShadowCpuCost
{
    private ShadowCpuCost()
    {
    }

    public static void main(final String[] args)
    {
        final String strategy = args.length > 0 ? args[0] : "least-connections";
        final int agents = args.length > 1 ? Integer.parseInt(args[1]) : 1024;
        final String[] shadows = (args.length > 2 ? "none," + args[2] : "none,p2c,least-connections").split(",");
        final int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 15;
        final int decisions = 200_000;
        final RouterDecisionLatency[] benches = new RouterDecisionLatency[shadows.length];
        for (int s = 0; s < shadows.length; s++)
        {
            benches[s] = new RouterDecisionLatency();
            benches[s].strategy = strategy;
            benches[s].agents = agents;
            benches[s].shadow = shadows[s];
            benches[s].setUp();
        }
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        final double[][] nanosPerDecision = new double[shadows.length][rounds];
        for (int round = -3; round < rounds; round++) // three rounds of warm-up
        {
            for (int s = 0; s < shadows.length; s++)
            {
                final long t0 = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < decisions; i++)
                {
                    benches[s].decide();
                }
                final long cpu = threads.getCurrentThreadCpuTime() - t0;
                if (round >= 0)
                {
                    nanosPerDecision[s][round] = (double)cpu / decisions;
                }
            }
        }
        final double base = median(nanosPerDecision[0]);
        System.out.printf(Locale.ROOT, "%s, %d agents, %d rounds of %,d decisions, median CPU ns per decision%n",
            strategy, agents, rounds, decisions);
        for (int s = 0; s < shadows.length; s++)
        {
            final double m = median(nanosPerDecision[s]);
            System.out.printf(Locale.ROOT, "  shadow %-20s %8.0f ns  %5.2fx%n", shadows[s], m, m / base);
        }
    }

    private static double median(final double[] values)
    {
        final double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
