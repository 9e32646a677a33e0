package dev.ringmaster.dispatch;

import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.DispatchListener;
import dev.ringmaster.spi.TaskView;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/** Test listener that counts every event per task id; written on the router thread, read by the test thread. */
final class EventLog implements DispatchListener
{
    final Map<Long, String> terminalByTask = new ConcurrentHashMap<>();
    final Queue<String> duplicates = new ConcurrentLinkedQueue<>();
    final Queue<String> steals = new ConcurrentLinkedQueue<>();
    final Queue<Long> cancelledIds = new ConcurrentLinkedQueue<>();
    final Map<Long, Integer> startsByTask = new ConcurrentHashMap<>();
    final AtomicLong accepted = new AtomicLong();
    final AtomicLong started = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong retried = new AtomicLong();
    final AtomicLong completed = new AtomicLong();
    final AtomicLong deadLettered = new AtomicLong();
    final AtomicLong expired = new AtomicLong();
    final AtomicLong cancelled = new AtomicLong();

    private void terminal(final TaskView t, final String state)
    {
        final String previous = terminalByTask.putIfAbsent(t.task().id(), state);
        if (previous != null)
        {
            duplicates.add("task " + t.task().id() + " was " + previous + " and then " + state);
        }
    }

    long terminalCount()
    {
        return completed.get() + deadLettered.get() + expired.get() + cancelled.get();
    }

    @Override
    public void onAccepted(final TaskView task, final long nanos)
    {
        accepted.incrementAndGet();
    }

    @Override
    public void onStolen(final TaskView task, final AgentView from, final AgentView to, final long nanos)
    {
        steals.add(from.id() + "->" + to.id());
    }

    @Override
    public void onStarted(final TaskView task, final AgentView agent, final long nanos)
    {
        started.incrementAndGet();
        startsByTask.merge(task.task().id(), 1, Integer::sum);
    }

    @Override
    public void onCompleted(final TaskView task, final AgentView agent, final long tokensUsed, final long nanos)
    {
        completed.incrementAndGet();
        terminal(task, "COMPLETED");
    }

    @Override
    public void onFailed(final TaskView task, final AgentView agent, final String reason, final long nanos)
    {
        failed.incrementAndGet();
    }

    @Override
    public void onRetried(final TaskView task, final long retryAtNanos, final long nanos)
    {
        retried.incrementAndGet();
    }

    @Override
    public void onExpired(final TaskView task, final long nanos)
    {
        expired.incrementAndGet();
        terminal(task, "EXPIRED");
    }

    @Override
    public void onDeadLettered(final TaskView task, final String reason, final long nanos)
    {
        deadLettered.incrementAndGet();
        terminal(task, "DEAD_LETTERED");
    }

    @Override
    public void onCancelled(final TaskView task, final long nanos)
    {
        cancelled.incrementAndGet();
        cancelledIds.add(task.task().id());
        terminal(task, "CANCELLED");
    }
}
