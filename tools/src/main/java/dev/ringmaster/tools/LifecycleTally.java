package dev.ringmaster.tools;

import dev.ringmaster.model.Priority;
import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.DispatchListener;
import dev.ringmaster.spi.TaskView;
import org.HdrHistogram.Histogram;

import java.util.BitSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts lifecycle events independently of the dispatcher's own metrics, so that the demo can prove no task was
 * lost; the callbacks run on the router thread only (single writer), and the readers run on the caller's thread
 * after {@code drain} returned, whose completion publishes everything written here.
 *
 * <p>Besides totals it keeps, per task id in {@code [0, expectedTasks)}, whether the task was accepted and whether it
 * reached a terminal state, which catches what totals cannot: a task with two terminal events and another with
 * none.
 */
public final class LifecycleTally implements DispatchListener
{
    // single-writer counters: lazySet(get() + 1) is safe with one writer and lets readers see progress mid-run
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong expired = new AtomicLong();
    private final AtomicLong cancelled = new AtomicLong();
    private final AtomicLong failedAttempts = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final AtomicLong stolen = new AtomicLong();
    private final AtomicLong duplicateTerminals = new AtomicLong();

    private final int expectedTasks;
    private final BitSet acceptedIds;
    private final BitSet terminalIds;
    /** End-to-end latency of completed tasks by priority: shows that priority and aging do what they promise. */
    private final Histogram[] endToEndByPriority = new Histogram[Priority.COUNT];

    /** @param expectedTasks tasks of the run, whose ids are 0 to expectedTasks - 1. */
    public LifecycleTally(final int expectedTasks)
    {
        this.expectedTasks = expectedTasks;
        this.acceptedIds = new BitSet(expectedTasks);
        this.terminalIds = new BitSet(expectedTasks);
        for (int i = 0; i < Priority.COUNT; i++)
        {
            endToEndByPriority[i] = new Histogram(TimeUnit.MINUTES.toNanos(10), 3);
        }
    }

    @Override
    public void onAccepted(final TaskView task, final long nanos)
    {
        increment(accepted);
        final long id = task.task().id();
        if (id >= 0 && id < expectedTasks)
        {
            acceptedIds.set((int)id);
        }
    }

    @Override
    public void onStolen(final TaskView task, final AgentView from, final AgentView to, final long nanos)
    {
        increment(stolen);
    }

    @Override
    public void onCompleted(final TaskView task, final AgentView agent, final long tokensUsed, final long nanos)
    {
        increment(completed);
        final Histogram h = endToEndByPriority[task.task().priority().ordinal()];
        h.recordValue(Math.max(0, Math.min(nanos - task.acceptedNanos(), h.getHighestTrackableValue())));
        terminal(task);
    }

    @Override
    public void onFailed(final TaskView task, final AgentView agent, final String reason, final long nanos)
    {
        increment(failedAttempts);
    }

    @Override
    public void onRetried(final TaskView task, final long retryAtNanos, final long nanos)
    {
        increment(retried);
    }

    @Override
    public void onExpired(final TaskView task, final long nanos)
    {
        increment(expired);
        terminal(task);
    }

    @Override
    public void onDeadLettered(final TaskView task, final String reason, final long nanos)
    {
        increment(deadLettered);
        terminal(task);
    }

    @Override
    public void onCancelled(final TaskView task, final long nanos)
    {
        increment(cancelled);
        terminal(task);
    }

    private void terminal(final TaskView task)
    {
        final long id = task.task().id();
        if (id >= 0 && id < expectedTasks)
        {
            if (terminalIds.get((int)id))
            {
                increment(duplicateTerminals);
            }
            terminalIds.set((int)id);
        }
    }

    private static void increment(final AtomicLong counter)
    {
        counter.lazySet(counter.get() + 1);
    }

    public long accepted()
    {
        return accepted.get();
    }

    public long completed()
    {
        return completed.get();
    }

    public long deadLettered()
    {
        return deadLettered.get();
    }

    public long expired()
    {
        return expired.get();
    }

    public long cancelled()
    {
        return cancelled.get();
    }

    /** @return accepted minus every terminal event: the tasks that vanished. 0 is the only acceptable answer. */
    public long lost()
    {
        return accepted() - (completed() + deadLettered() + expired() + cancelled());
    }

    public long failedAttempts()
    {
        return failedAttempts.get();
    }

    public long retried()
    {
        return retried.get();
    }

    public long stolen()
    {
        return stolen.get();
    }

    /** @return terminal events for a task id that already had one; call after drain. */
    public long duplicateTerminals()
    {
        return duplicateTerminals.get();
    }

    /** @return ids accepted without any terminal event; call after drain. */
    public int acceptedWithoutTerminal()
    {
        final BitSet missing = (BitSet)acceptedIds.clone();
        missing.andNot(terminalIds);
        return missing.cardinality();
    }

    /** @return a copy of the end-to-end histogram of completed tasks of one priority; call after drain. */
    public Histogram endToEnd(final Priority priority)
    {
        return endToEndByPriority[priority.ordinal()].copy();
    }
}
