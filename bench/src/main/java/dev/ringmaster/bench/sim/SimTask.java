package dev.ringmaster.bench.sim;

import dev.ringmaster.model.Priority;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.TaskView;

/**
 * The task a strategy is asked about, a flyweight re-pointed at each decision; single-threaded, valid during one
 * {@code select}. Acceptance times are virtual nanoseconds, and every task is on its first attempt (the simulator
 * models no failures).
 */
final class SimTask implements TaskView
{
    private Task task;
    private long acceptedNanos;
    private long sequence;

    void set(final Task task, final long acceptedNanos, final long sequence)
    {
        this.task = task;
        this.acceptedNanos = acceptedNanos;
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
