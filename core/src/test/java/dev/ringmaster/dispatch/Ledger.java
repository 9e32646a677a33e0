package dev.ringmaster.dispatch;

import dev.ringmaster.spi.TaskView;

import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Test result handler that records every terminal state delivered per task id and checks, with a listener's
 * {@link EventLog} and the metrics, that each accepted task got exactly one; called on any thread.
 */
final class Ledger implements ResultHandler
{
    final Map<Long, TerminalState> byTask = new ConcurrentHashMap<>();
    final Queue<String> duplicates = new ConcurrentLinkedQueue<>();
    final Set<Long> accepted = ConcurrentHashMap.newKeySet();

    @Override
    public void onResult(final TaskView task, final TerminalState state, final Object result, final String reason)
    {
        final TerminalState before = byTask.putIfAbsent(task.task().id(), state);
        if (before != null)
        {
            duplicates.add("task " + task.task().id() + " delivered " + before + " and then " + state);
        }
    }

    /** Records the submission's outcome; @return whether it was accepted. */
    boolean offered(final long taskId, final SubmitStatus status)
    {
        if (status.accepted())
        {
            accepted.add(taskId);
        }
        return status.accepted();
    }

    /** Every accepted task had exactly one terminal state, for the handler, the listener and the counters. */
    void assertConserved(final Dispatcher d, final EventLog log, final String seed)
    {
        assertThat(duplicates).as(seed + ": tasks delivered twice").isEmpty();
        assertThat(log.duplicates).as(seed + ": tasks with two terminal events").isEmpty();
        assertThat(byTask.keySet()).as(seed + ": tasks delivered").isEqualTo(accepted);
        assertThat(log.terminalByTask.keySet()).as(seed + ": tasks with a terminal event").isEqualTo(accepted);
        for (final Map.Entry<Long, String> e : log.terminalByTask.entrySet())
        {
            assertThat(byTask.get(e.getKey()).name()).as(seed + ": listener and handler agree on task " + e.getKey())
                .isEqualTo(e.getValue());
        }
        final var m = d.metrics();
        assertThat(m.accepted()).as(seed + ": accepted counter").isEqualTo(accepted.size());
        assertThat(m.terminal()).as(seed + ": completed + dead-lettered + expired + cancelled").isEqualTo(accepted.size());
        assertThat(m.completed()).as(seed + ": completed counter").isEqualTo(log.completed.get());
        assertThat(m.cancelled()).as(seed + ": cancelled counter").isEqualTo(log.cancelled.get());
        assertThat(m.deadLettered()).as(seed + ": dead-lettered counter").isEqualTo(log.deadLettered.get());
        assertThat(m.expired()).as(seed + ": expired counter").isEqualTo(log.expired.get());
        assertThat(m.outstanding()).as(seed + ": outstanding").isZero();
    }
}
