package dev.ringmaster.bench.sim;

import dev.ringmaster.metrics.Gini;
import org.HdrHistogram.Histogram;

/**
 * The outcome of one simulated run: per-task start and finish times and executing agent, and what the strategy did
 * (decisions, declines, errors); the metrics are computed from them on demand. Immutable once the simulation returns
 * it, so it may be read from any thread.
 *
 * <p>Warm-up: the first {@link #WARMUP_FRACTION} of the tasks by arrival ({@link #warmupTasks()}) are simulated but
 * left out of the sojourn and Gini figures, because they meet an empty fleet and would bias the steady state low.
 * Makespan, completions and the strategy's counts are over every task.
 *
 * <p>Definitions, over the measured tasks (after the warm-up) that finished:
 * <ul>
 *   <li>sojourn: finish - arrival (queueing plus execution); wait: start - arrival;</li>
 *   <li>makespan: the last finish - the first arrival, against {@link SimWorkload#makespanLowerBound};</li>
 *   <li>Gini: of the work units of the tasks each agent finished (core's {@link Gini}); with unequal speeds a good
 *       schedule is <em>meant</em> to be unequal there, so {@link #giniOfBusyTime()} is the Gini of work / speed per
 *       agent (the time each agent spent executing, skill mismatch and context loading aside): 0 when every agent
 *       is kept equally busy whatever its speed;</li>
 *   <li>context waste ratio: context-loading work (work units spent loading the domain of a task that was not warm
 *       on the agent that ran it, see {@link SimFleet}) / all work units the fleet performed (task work times the
 *       skill-mismatch factor, plus context loading); 0 when the fleet's context cost is 0.</li>
 * </ul>
 */
public final class SimRun
{
    /** The share of the tasks, the first by arrival, left out of the sojourn and Gini figures. */
    public static final double WARMUP_FRACTION = 0.1;

    private final String strategy;
    private final SimFleet fleet;
    private final SimWorkload workload;
    private final long[] start;
    private final long[] finish;
    private final int[] executedBy;
    private final int[] assignedTo;
    private final double contextWork;
    private final double performedWork;
    private final long decisions;
    private final long declines;
    private final long errors;
    private final String firstError;
    private final long steals;
    private final double allocatedBytesPerDecision;
    private int completed = -1;

    SimRun(final String strategy, final SimFleet fleet, final SimWorkload workload, final long[] start,
           final long[] finish, final int[] executedBy, final int[] assignedTo, final double contextWork, final double performedWork,
           final long decisions, final long declines, final long errors, final String firstError, final long steals,
           final double allocatedBytesPerDecision)
    {
        this.strategy = strategy;
        this.fleet = fleet;
        this.workload = workload;
        this.start = start;
        this.finish = finish;
        this.executedBy = executedBy;
        this.assignedTo = assignedTo;
        this.contextWork = contextWork;
        this.performedWork = performedWork;
        this.decisions = decisions;
        this.declines = declines;
        this.errors = errors;
        this.firstError = firstError;
        this.steals = steals;
        this.allocatedBytesPerDecision = allocatedBytesPerDecision;
    }

    public String strategy()
    {
        return strategy;
    }

    public SimWorkload workload()
    {
        return workload;
    }

    /** @return the first tasks by arrival that no figure but the makespan and the counts includes. */
    public int warmupTasks()
    {
        return (int)(finish.length * WARMUP_FRACTION);
    }

    /** @return tasks that finished; less than the workload's size means the strategy left some waiting forever. */
    public int completed()
    {
        if (completed < 0)
        {
            int n = 0;
            for (final long f : finish)
            {
                if (f >= 0)
                {
                    n++;
                }
            }
            completed = n;
        }
        return completed;
    }

    /** @return when task i started, or -1 if it never did. */
    public long start(final int i)
    {
        return start[i];
    }

    /** @return when task i finished, or -1 if it never did. */
    public long finish(final int i)
    {
        return finish[i];
    }

    /** @return the pool position of the agent the strategy chose for task i (it may have been stolen since). */
    public int assignedTo(final int i)
    {
        return assignedTo[i];
    }

    /** @return the pool position of the agent that ran task i, valid only if it started. */
    public int executedBy(final int i)
    {
        return executedBy[i];
    }

    /** @return work units spent loading contexts that were not warm. */
    public double contextWork()
    {
        return contextWork;
    }

    /** @return every work unit the fleet performed: task work times the skill-mismatch factor, plus context loading. */
    public double performedWork()
    {
        return performedWork;
    }

    /** @return the exact mean sojourn over the measured tasks that finished, virtual nanoseconds; NaN if none did. */
    public double meanSojournNanos()
    {
        double sum = 0;
        int n = 0;
        for (int i = warmupTasks(); i < finish.length; i++)
        {
            if (finish[i] >= 0)
            {
                sum += finish[i] - workload.arrival(i);
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** @return the mean wait (start - arrival) of the tasks from index {@code from} on that started; NaN if none. */
    public double meanWaitNanos(final int from)
    {
        double sum = 0;
        int n = 0;
        for (int i = from; i < start.length; i++)
        {
            if (start[i] >= 0)
            {
                sum += start[i] - workload.arrival(i);
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** @return sojourn times of the measured tasks that finished, in an HdrHistogram (3 significant digits), ns. */
    public Histogram sojournHistogram()
    {
        final Histogram histogram = new Histogram(3);
        for (int i = warmupTasks(); i < finish.length; i++)
        {
            if (finish[i] >= 0)
            {
                histogram.recordValue(Math.max(0, finish[i] - workload.arrival(i)));
            }
        }
        return histogram;
    }

    /** @return the last finish minus the first arrival, virtual nanoseconds; 0 if nothing finished. */
    public long makespanNanos()
    {
        long last = -1;
        for (final long f : finish)
        {
            last = Math.max(last, f);
        }
        return last < 0 ? 0 : last - workload.arrival(0);
    }

    /** @return {@link SimWorkload#makespanLowerBound} for this run's fleet. */
    public double makespanLowerBoundNanos()
    {
        return workload.makespanLowerBound(fleet);
    }

    /** @return the Gini coefficient of the work units each agent finished (measured tasks). */
    public double gini()
    {
        return Gini.of(workPerAgent());
    }

    /** @return the Gini coefficient of each agent's finished work over its speed (measured tasks): busy time. */
    public double giniOfBusyTime()
    {
        final long[] work = workPerAgent();
        for (int a = 0; a < work.length; a++)
        {
            work[a] = Math.round(work[a] / fleet.speed(a));
        }
        return Gini.of(work);
    }

    /** @return work units of the measured tasks each agent finished, in pool order (a new array). */
    public long[] workPerAgent()
    {
        final long[] work = new long[fleet.size()];
        for (int i = warmupTasks(); i < finish.length; i++)
        {
            if (finish[i] >= 0)
            {
                work[executedBy[i]] += workload.work(i);
            }
        }
        return work;
    }

    /** @return context-loading work / all performed work, in [0, 1). */
    public double contextWasteRatio()
    {
        return performedWork == 0 ? 0 : contextWork / performedWork;
    }

    /** @return routing decisions asked of the strategy (one per select call). */
    public long decisions()
    {
        return decisions;
    }

    /** @return selects that returned DECLINE. */
    public long declines()
    {
        return declines;
    }

    /** @return selects that threw or returned an index out of range (the first candidate was taken instead). */
    public long errors()
    {
        return errors;
    }

    /** @return the first error's description, or null. */
    public String firstError()
    {
        return firstError;
    }

    /** @return tasks an idle agent stole from a busy agent's inbox. */
    public long steals()
    {
        return steals;
    }

    /** @return bytes allocated per decision in the second half of the run, or NaN if not measured. */
    public double allocatedBytesPerDecision()
    {
        return allocatedBytesPerDecision;
    }
}
