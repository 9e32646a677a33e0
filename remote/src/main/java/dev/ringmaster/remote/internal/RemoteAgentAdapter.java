package dev.ringmaster.remote.internal;

import dev.ringmaster.remote.PayloadCodec;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.AgentTelemetry;
import dev.ringmaster.spi.Completion;
import dev.ringmaster.spi.TaskView;
import io.aeron.Publication;

/**
 * One remote agent as the dispatcher sees it: {@link #execute} (on a dispatcher worker) registers the attempt and
 * offers it to the host's publication, and the poller completes it when the host answers; never blocks or spins.
 *
 * <ul>
 *   <li>sent: the attempt waits in {@link PendingAttempts} for the host's completion;</li>
 *   <li>back-pressured (or an Aeron admin action): it waits in the link's backlog for the poller to send, still
 *       counting in the agent's load, so the agent is full for the moment and the router places elsewhere;</li>
 *   <li>not connected, closed, or the host given up: the attempt fails at once and is retried under the task's
 *       retry rules, on another agent if this one has left. (A new session's agents are added only once its link is
 *       connected, so this is a host lost or unreachable, not one still connecting.)</li>
 * </ul>
 */
public final class RemoteAgentAdapter implements AgentAdapter
{
    private static final ThreadLocal<Wire> WIRE = ThreadLocal.withInitial(Wire::writer);

    private final HostLink link;
    private final int agentIndex;
    private final PendingAttempts pending;
    private final PayloadCodec codec;
    private final RemoteCounters counters;
    /** The dispatcher's telemetry sink for this agent, captured on the first attempt; host reports go there. */
    private volatile AgentTelemetry telemetry;

    public RemoteAgentAdapter(final HostLink link, final int agentIndex, final PendingAttempts pending,
                              final PayloadCodec codec, final RemoteCounters counters)
    {
        this.link = link;
        this.agentIndex = agentIndex;
        this.pending = pending;
        this.codec = codec;
        this.counters = counters;
    }

    @Override
    public void execute(final TaskView task, final Completion completion, final AgentTelemetry telemetry)
        throws Exception
    {
        if (this.telemetry == null)
        {
            this.telemetry = telemetry;
        }
        if (!link.live())
        {
            counters.fastFailures.increment();
            throw RemoteFailure.HOST_LOST;
        }
        final Attempt attempt = pending.add(link, agentIndex, task, completion);
        if (attempt == null)
        {
            counters.fastFailures.increment();
            throw RemoteFailure.TABLE_FULL;
        }
        final long result = link.offer(attempt, WIRE.get(), codec);
        if (result > 0)
        {
            return;
        }
        if ((result == Publication.BACK_PRESSURED || result == Publication.ADMIN_ACTION) && link.backlog.offer(attempt))
        {
            counters.backPressured.increment();
            return;
        }
        // the completion belongs to whoever removes the attempt: if the poller gave the host up meanwhile, it has
        // already failed the attempt, and failing it again here would be a second answer
        if (pending.remove(attempt.correlationId) != null)
        {
            counters.fastFailures.increment();
            throw RemoteFailure.NOT_CONNECTED;
        }
    }

    /**
     * Applies a host's telemetry report; called by the poller. Before the agent's first attempt there is no sink.
     *
     * @return false if the utilization was outside [0, 1] and left out (the rest of the report is applied), since
     *     the dispatcher's agent state refuses such a value.
     */
    boolean telemetry(final double utilization, final long budgetLeft)
    {
        final boolean inRange = Double.isNaN(utilization) || utilization >= 0.0 && utilization <= 1.0;
        final AgentTelemetry sink = telemetry;
        if (sink != null)
        {
            if (!Double.isNaN(utilization) && inRange)
            {
                sink.contextUtilization(utilization);
            }
            if (budgetLeft >= 0)
            {
                sink.tokenBudgetLeft(budgetLeft);
            }
        }
        return inRange;
    }

    String agentId()
    {
        return link.agents.get(agentIndex).id();
    }

    @Override
    public String toString()
    {
        return "RemoteAgent{" + link.agents.get(agentIndex).id() + " on " + link.hostId + '}';
    }
}
