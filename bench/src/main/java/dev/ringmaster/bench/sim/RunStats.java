package dev.ringmaster.bench.sim;

import org.HdrHistogram.Histogram;

/**
 * The figures of one run, folded one finished task at a time, so that a run need not keep its tasks: the sum and the
 * HdrHistogram of the sojourns of the measured tasks (those from the warm-up boundary on), their work per executing
 * agent, the tasks of the workload that finished and the last finish. Single-threaded while a run folds into it;
 * read-only afterwards.
 */
final class RunStats
{
    private final int firstArrival;
    private final int measuredFrom;
    private final long[] workPerAgent;
    private final Histogram sojourns = new Histogram(3);
    private double sojournSum;
    private long measured;
    private int completed;
    private long lastFinish = -1;

    /**
     * @param agents       agents in the fleet.
     * @param firstArrival the first task that is an arrival ({@link TaskSource#initialTasks()}): the initial ones
     *                     count in nothing but the makespan.
     * @param measuredFrom the first task of the sojourn and Gini figures, after the warm-up.
     */
    RunStats(final int agents, final int firstArrival, final int measuredFrom)
    {
        this.workPerAgent = new long[agents];
        this.firstArrival = firstArrival;
        this.measuredFrom = measuredFrom;
    }

    /** @return the figures of a run kept in arrays (-1 = never finished), folded in task order. */
    static RunStats of(final TaskSource workload, final int agents, final int measuredFrom, final long[] finish,
                       final int[] executedBy)
    {
        final RunStats stats = new RunStats(agents, workload.initialTasks(), measuredFrom);
        for (int i = 0; i < finish.length; i++)
        {
            if (finish[i] >= 0)
            {
                stats.finished(i, workload.arrival(i), finish[i], executedBy[i], workload.work(i));
            }
        }
        return stats;
    }

    /** Folds task i, which arrived at {@code arrival} and finished at {@code finish} on agent {@code executedBy}. */
    void finished(final int i, final long arrival, final long finish, final int executedBy, final long work)
    {
        lastFinish = Math.max(lastFinish, finish);
        if (i < firstArrival)
        {
            return;
        }
        completed++;
        if (i >= measuredFrom)
        {
            final long sojourn = finish - arrival;
            sojournSum += sojourn;
            measured++;
            sojourns.recordValue(Math.max(0, sojourn));
            workPerAgent[executedBy] += work;
        }
    }

    /** @return tasks of the workload (initial ones aside) that finished. */
    int completed()
    {
        return completed;
    }

    /** @return the mean sojourn of the measured tasks, ns; NaN if none finished. */
    double meanSojournNanos()
    {
        return measured == 0 ? Double.NaN : sojournSum / measured;
    }

    /** @return a copy of the measured sojourns' histogram. */
    Histogram sojournHistogram()
    {
        return sojourns.copy();
    }

    /** @return the last finish of any task, -1 if none finished. */
    long lastFinish()
    {
        return lastFinish;
    }

    /** @return a copy of the measured work per executing agent. */
    long[] workPerAgent()
    {
        return workPerAgent.clone();
    }
}
