package dev.ringmaster.bench.sim;

import dev.ringmaster.metrics.Gini;
import org.HdrHistogram.Histogram;

/**
 * The outcome of one simulated run: its figures ({@link RunStats}), what the strategy did (decisions, declines,
 * errors) and, unless the run was streamed, per-task start and finish times and agents. Immutable once the simulation
 * returns it, so it may be read from any thread.
 *
 * <p>Warm-up: the first {@link #WARMUP_FRACTION} of the tasks by arrival are simulated but left out of the sojourn and
 * Gini figures, because they meet an empty fleet and would bias the steady state low. Makespan, completions and the
 * strategy's counts are over every task. The initial tasks of a {@link StationaryStart} are the fleet's state at time
 * 0, not arrivals: they count in nothing but the makespan ({@link #warmupTasks()} includes them).
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
    private final TaskSource workload;
    private final RunStats stats;
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

    /** A run that kept every task: {@code start} and {@code finish} -1 for a task that never started or finished. */
    SimRun(final String strategy, final SimFleet fleet, final TaskSource workload, final long[] start,
           final long[] finish, final int[] executedBy, final int[] assignedTo, final double contextWork, final double performedWork,
           final long decisions, final long declines, final long errors, final String firstError, final long steals,
           final double allocatedBytesPerDecision)
    {
        this(strategy, fleet, workload, RunStats.of(workload, fleet.size(), warmupTasks(workload), finish, executedBy),
            start, finish, executedBy, assignedTo, contextWork, performedWork, decisions, declines, errors, firstError,
            steals, allocatedBytesPerDecision);
    }

    /** A streamed run: its figures were folded as tasks finished, and no task is kept (the per-task reads throw). */
    SimRun(final String strategy, final SimFleet fleet, final TaskSource workload, final RunStats stats,
           final double contextWork, final double performedWork, final long decisions, final long declines,
           final long errors, final String firstError, final long steals, final double allocatedBytesPerDecision)
    {
        this(strategy, fleet, workload, stats, null, null, null, null, contextWork, performedWork, decisions, declines,
            errors, firstError, steals, allocatedBytesPerDecision);
    }

    private SimRun(final String strategy, final SimFleet fleet, final TaskSource workload, final RunStats stats,
                   final long[] start, final long[] finish, final int[] executedBy, final int[] assignedTo,
                   final double contextWork, final double performedWork, final long decisions, final long declines,
                   final long errors, final String firstError, final long steals, final double allocatedBytesPerDecision)
    {
        this.strategy = strategy;
        this.fleet = fleet;
        this.workload = workload;
        this.stats = stats;
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

    public TaskSource workload()
    {
        return workload;
    }

    /** @return the tasks of the workload: its arrivals, the initial tasks of a stationary start aside. */
    public int tasks()
    {
        return workload.arrivals();
    }

    /**
     * @return the first tasks by index that no figure but the makespan includes: the initial tasks, if any, and the
     *     first {@link #WARMUP_FRACTION} of the arrivals.
     */
    public int warmupTasks()
    {
        return warmupTasks(workload);
    }

    static int warmupTasks(final TaskSource workload)
    {
        return workload.initialTasks() + (int)(workload.arrivals() * WARMUP_FRACTION);
    }

    /** @return whether the run kept every task, so that the per-task reads ({@link #finish(int)}...) work. */
    public boolean keptTasks()
    {
        return finish != null;
    }

    /** @return arrivals that finished; less than {@link #tasks()} means the strategy left some waiting forever. */
    public int completed()
    {
        return stats.completed();
    }

    /** @return when task i started, or -1 if it never did. */
    public long start(final int i)
    {
        return kept(start)[i];
    }

    /** @return when task i finished, or -1 if it never did. */
    public long finish(final int i)
    {
        return kept(finish)[i];
    }

    /**
     * @return the pool position of the agent the strategy chose for task i (it may have been stolen since), or -1 if no
     *     agent was ever chosen for it (the strategy declined it to the end).
     */
    public int assignedTo(final int i)
    {
        return kept(assignedTo)[i];
    }

    /** @return the pool position of the agent that ran task i, valid only if it started. */
    public int executedBy(final int i)
    {
        return kept(executedBy)[i];
    }

    private static <T> T kept(final T column)
    {
        if (column == null)
        {
            throw new IllegalStateException("a streamed run keeps no per-task record, only its figures; run the " +
                "Simulator on a SimWorkload to read tasks one by one");
        }
        return column;
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
        return stats.meanSojournNanos();
    }

    /** @return the mean wait (start - arrival) of the tasks from index {@code from} on that started; NaN if none. */
    public double meanWaitNanos(final int from)
    {
        final long[] start = kept(this.start);
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
        return stats.sojournHistogram();
    }

    /** @return the last finish minus the first arrival, virtual nanoseconds; 0 if nothing finished. */
    public long makespanNanos()
    {
        final long last = stats.lastFinish();
        return last < 0 ? 0 : last - workload.firstArrival();
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
        return stats.workPerAgent();
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

    /** @return decisions that threw or chose no candidate (the one with the fewest tasks in flight was taken instead). */
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
