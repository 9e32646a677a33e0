package dev.ringmaster.delegation;

import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.DispatchListener;
import dev.ringmaster.spi.TaskView;

import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Conservation check: records every accepted dispatcher task and its terminal events; written on the router thread,
 * read by the test thread.
 */
final class Tally implements DispatchListener
{
    final Set<Long> accepted = ConcurrentHashMap.newKeySet();
    final Map<Long, String> terminal = new ConcurrentHashMap<>();
    final Queue<String> duplicates = new ConcurrentLinkedQueue<>();

    @Override
    public void onAccepted(final TaskView task, final long nanos)
    {
        accepted.add(task.task().id());
    }

    @Override
    public void onCompleted(final TaskView task, final AgentView agent, final long tokensUsed, final long nanos)
    {
        end(task, "COMPLETED");
    }

    @Override
    public void onDeadLettered(final TaskView task, final String reason, final long nanos)
    {
        end(task, "DEAD_LETTERED");
    }

    @Override
    public void onExpired(final TaskView task, final long nanos)
    {
        end(task, "EXPIRED");
    }

    @Override
    public void onCancelled(final TaskView task, final long nanos)
    {
        end(task, "CANCELLED");
    }

    /** @return how many accepted tasks ended in {@code state}. */
    long count(final String state)
    {
        return terminal.values().stream().filter(state::equals).count();
    }

    /** Asserts that every accepted task reached exactly one terminal state, and nothing else did; call after drain. */
    void assertConserved()
    {
        assertThat(duplicates).as("tasks with more than one terminal state").isEmpty();
        assertThat(terminal.keySet()).as("tasks with a terminal state").isEqualTo(accepted);
    }

    private void end(final TaskView task, final String state)
    {
        final String previous = terminal.putIfAbsent(task.task().id(), state);
        if (previous != null)
        {
            duplicates.add("task " + task.task().id() + " was " + previous + " and then " + state);
        }
    }
}
