package dev.ringmaster.bench.latency;

import dev.ringmaster.model.Priority;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.TaskView;

/**
 * A task on its first attempt, whose sequence and acceptance time a benchmark may move on between operations (the
 * journal records the acceptance time, so a benchmark sets it to the time it passes the listener, as the router's
 * would be); confined to the benchmark thread.
 */
final class FirstAttemptTask implements TaskView
{
    private final Task task;
    long sequence;
    long acceptedNanos;

    FirstAttemptTask(final Task task)
    {
        this(task, 0);
    }

    FirstAttemptTask(final Task task, final long sequence)
    {
        this.task = task;
        this.sequence = sequence;
    }

    @Override
    public Task task()
    {
        return task;
    }

    @Override
    public Priority priority()
    {
        return task.priority();
    }

    @Override
    public int attempt()
    {
        return 1;
    }

    @Override
    public long acceptedNanos()
    {
        return acceptedNanos;
    }

    @Override
    public long sequence()
    {
        return sequence;
    }
}
