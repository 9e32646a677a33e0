package dev.ringmaster.delegation;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.dispatch.DispatcherState;
import dev.ringmaster.dispatch.RejectedTaskException;
import dev.ringmaster.dispatch.SubmitStatus;
import dev.ringmaster.dispatch.TaskResult;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentView;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

/**
 * The Broadcast delegation model: every agent of the task's type gets a copy, the first successful result wins and
 * the other copies are cancelled. Thread-safe: {@link #submitAsync} may be called from any thread.
 *
 * <p>Guarantees and limits:
 * <ul>
 *   <li>each copy is a new dispatcher task (fresh id) addressed to one agent with {@code targetAgent}; it waits for
 *       that agent while it is busy, and is never taken by another agent;</li>
 *   <li>the winner is the first copy to COMPLETE; its {@link TaskResult} (the copy, its agent) completes the stage;</li>
 *   <li>losers still waiting are cancelled (terminal state CANCELLED); losers already running cannot be preempted:
 *       they run to their end and their results are ignored (counted by {@link #losersRunning()});</li>
 *   <li>if every copy fails the stage fails with a {@link DelegationException} listing each copy's reason;</li>
 *   <li>agents are those of the type listed when the task is submitted, minus its {@code avoidAgent} and those
 *       lacking a required skill; a task with a {@code targetAgent} is "broadcast" to that agent only.</li>
 * </ul>
 *
 * <p>Cost: one dispatcher task per agent of the type, O(agents) per broadcast, and O(agents) cancel commands.
 */
public final class Broadcast implements TaskSubmitter
{
    private final Dispatcher dispatcher;
    private final Race.Stats stats = new Race.Stats();
    private final LongAdder broadcasts = new LongAdder();

    /** @param dispatcher a started dispatcher whose agents receive the copies. */
    public Broadcast(final Dispatcher dispatcher)
    {
        this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher must not be null");
    }

    /**
     * Sends a copy of the task to every eligible agent of its type.
     *
     * @return completes with the first successful copy's result; exceptionally with {@link RejectedTaskException} if
     *     no agent can take it (or the only copy was refused), or {@link DelegationException} if every copy failed.
     */
    @Override
    public CompletableFuture<TaskResult> submitAsync(final Task task)
    {
        Objects.requireNonNull(task, "task must not be null");
        final DispatcherState state = dispatcher.state();
        if (state != DispatcherState.RUNNING)
        {
            // refused as one task: every copy would be, and a DelegationException listing each refusal hid the status
            return CompletableFuture.failedFuture(new RejectedTaskException(task, SubmitStatus.NOT_RUNNING,
                "the dispatcher is " + state));
        }
        final List<AgentView> agents = eligibleAgents(task);
        if (agents.isEmpty())
        {
            final SubmitStatus status = dispatcher.types().containsKey(task.type()) ?
                SubmitStatus.NO_CAPABLE_AGENT : SubmitStatus.UNKNOWN_AGENT_TYPE;
            return CompletableFuture.failedFuture(new RejectedTaskException(task, status,
                "broadcast found no agent of type '" + task.type() + "' to send a copy to" +
                (task.avoidAgent() == null ? "" : " (avoiding '" + task.avoidAgent() + "')")));
        }
        broadcasts.increment();
        final Race race = new Race(dispatcher, task, "broadcast", stats);
        for (final AgentView agent : agents)
        {
            race.launch(Task.Builder.from(task).targetAgent(agent.id()).avoidAgent(null).build(),
                "agent '" + agent.id() + "'");
        }
        race.seal();
        return race.outcome();
    }

    /** @return tasks broadcast so far. */
    public long broadcasts()
    {
        return broadcasts.sum();
    }

    /** @return copies submitted to the dispatcher so far. */
    public long copiesSent()
    {
        return stats.copiesSent.sum();
    }

    /** @return losing copies cancelled before they started. */
    public long losersCancelled()
    {
        return stats.losersCancelled.sum();
    }

    /** @return losing copies that were already running when the race was decided: they ran, their results ignored. */
    public long losersRunning()
    {
        return stats.losersRunning.sum();
    }

    private List<AgentView> eligibleAgents(final Task task)
    {
        final List<AgentView> eligible = new ArrayList<>();
        final long required = task.requiredSkills();
        for (final AgentView agent : dispatcher.agents())
        {
            if (agent.spec().type().equals(task.type()) &&
                (agent.spec().skillMask() & required) == required &&
                !agent.id().equals(task.avoidAgent()) &&
                (task.targetAgent() == null || agent.id().equals(task.targetAgent())))
            {
                eligible.add(agent);
            }
        }
        return eligible;
    }
}
