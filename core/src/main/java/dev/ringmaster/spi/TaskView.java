package dev.ringmaster.spi;

import dev.ringmaster.model.Priority;
import dev.ringmaster.model.Task;

/**
 * A read-only view of one accepted task's dispatch state, valid on the thread that received it (router or worker)
 * during that callback only: the dispatcher recycles it once the task is terminal.
 */
public interface TaskView
{
    /** @return the task as submitted. */
    Task task();

    /** @return the priority it is queued at now (re-prioritization may change it). */
    Priority priority();

    /** @return 1 for the first attempt, 2 for the first retry, and so on. */
    int attempt();

    /** @return {@link System#nanoTime()} when the router accepted the task. */
    long acceptedNanos();

    /** @return the dispatcher's acceptance sequence number, lower is older. */
    long sequence();
}
