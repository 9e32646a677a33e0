package dev.ringmaster.bench.sim;

import dev.ringmaster.model.Priority;
import dev.ringmaster.model.Task;

/**
 * The tasks of one simulated run, by index in arrival order: arrival time, true work, required skills, domain, cost
 * estimate and the {@link Task} a strategy sees. {@link SimWorkload} holds every task in memory and may be shared
 * between threads and runs; a {@link StreamedWorkload} generates tasks as they are asked for and forgets those below
 * {@link #retireBelow}, so it serves one run, on one thread, in order.
 *
 * <p>The first {@link #initialTasks()} tasks, if any, are not arrivals: they are the fleet's state at time 0 (a
 * {@link StationaryStart}), each already in the FIFO queue of {@link #initialAgent(int) its agent}, never routed and
 * left out of every figure. The workload's tasks proper are the {@link #arrivals()} after them.
 */
public interface TaskSource
{
    /** @return every task, the initial ones included. */
    int size();

    /** @return tasks already queued at time 0 (indices 0 to this - 1); 0 for an empty start. */
    default int initialTasks()
    {
        return 0;
    }

    /** @return the pool position of the agent whose queue initial task i starts in. */
    default int initialAgent(final int i)
    {
        throw new IndexOutOfBoundsException("task " + i + " is not an initial task: this workload starts empty");
    }

    /** @return the tasks that arrive during the run: {@link #size()} - {@link #initialTasks()}. */
    default int arrivals()
    {
        return size() - initialTasks();
    }

    long arrival(int i);

    /** @return the arrival time of task 0 (also once a streamed workload retired it); 0 if there is none. */
    default long firstArrival()
    {
        return size() == 0 ? 0 : arrival(0);
    }

    long work(int i);

    long skills(int i);

    int domain(int i);

    Priority priority(int i);

    long costTokens(int i);

    /** @return the task a strategy is shown for task i. */
    Task task(int i);

    /**
     * Says that no task below i will be asked about again, so that a streamed workload may reuse its memory; a
     * workload held in memory ignores it.
     */
    default void retireBelow(final int i)
    {
    }

    /** @return whether the tasks are generated as the run goes (one run, in order) rather than held in memory. */
    default boolean streamed()
    {
        return false;
    }

    /** @return {@link SimWorkload#makespanLowerBound} of these tasks on the fleet. */
    double makespanLowerBound(SimFleet fleet);
}
