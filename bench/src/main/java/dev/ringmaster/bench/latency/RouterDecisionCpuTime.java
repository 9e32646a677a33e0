package dev.ringmaster.bench.latency;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * {@link RouterDecisionLatency}'s decision timed by the calling thread's CPU time instead of the wall clock, for a
 * shared machine: on one whose cores other processes keep busy, a niced JMH fork is preempted inside its iterations
 * and reads several times the cost, while CPU time leaves the preemption out (not the caches the other processes
 * evict). Run one configuration per JVM, as JMH forks, so one strategy's profile does not slow another's calls:
 * {@code java -cp bench/target/benchmarks.jar dev.ringmaster.bench.latency.RouterDecisionCpuTime p2c 1024}.
 * Prints the fastest and the median of 7 rounds, in ns per decision, and the bytes allocated per decision.
 * Single-threaded.
 */
public final class RouterDecisionCpuTime
{
    private static final int ROUNDS = 7;

    private RouterDecisionCpuTime()
    {
    }

    public static void main(final String[] args)
    {
        if (args.length != 2)
        {
            throw new IllegalArgumentException("usage: RouterDecisionCpuTime STRATEGY AGENTS, e.g. p2c 1024");
        }
        final com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final RouterDecisionLatency b = new RouterDecisionLatency();
        b.strategy = args[0];
        b.agents = Integer.parseInt(args[1]);
        b.setUp();
        final int ops = 500_000;
        Object sink = null;
        for (int i = 0; i < 4 * ops; i++)
        {
            sink = b.decide();
        }
        final long allocated = mx.getCurrentThreadAllocatedBytes();
        final double[] nanos = new double[ROUNDS];
        for (int k = 0; k < ROUNDS; k++)
        {
            final long t0 = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < ops; i++)
            {
                sink = b.decide();
            }
            nanos[k] = (mx.getCurrentThreadCpuTime() - t0) / (double)ops;
        }
        final double bytes = (mx.getCurrentThreadAllocatedBytes() - allocated) / ((double)ops * ROUNDS);
        Arrays.sort(nanos);
        System.out.printf("%-24s %6d  fastest %8.1f  median %8.1f ns per decision (CPU time)  %.2f B per decision%s%n",
            b.strategy, b.agents, nanos[0], nanos[ROUNDS / 2], bytes, sink == null ? " (last declined)" : "");
    }
}
