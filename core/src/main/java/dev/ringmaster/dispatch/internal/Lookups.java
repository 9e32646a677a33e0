package dev.ringmaster.dispatch.internal;

import dev.ringmaster.model.Priority;

/**
 * Operator commands on single tasks by id: cancel, re-prioritize, locate; O(waiting tasks), for rare commands, never
 * per task. Routing role only.
 */
final class Lookups extends RouterPart
{
    /** Set by takeWaiting: the task it returned was waiting out a retry back-off. */
    private boolean takenFromRetries;

    Lookups(final Router router)
    {
        super(router);
    }

    dev.ringmaster.dispatch.ReprioritizeOutcome reprioritize(final long taskId, final int newLevel, final long now)
    {
        final TaskRecord r = takeWaiting(taskId);
        if (r == null)
        {
            return whereRunning(taskId) != null ? dev.ringmaster.dispatch.ReprioritizeOutcome.ALREADY_RUNNING :
                dev.ringmaster.dispatch.ReprioritizeOutcome.NOT_FOUND;
        }
        final boolean moved = moveAdmission(r, newLevel);
        if (takenFromRetries)
        {
            router.outcomes.retries.add(r); // still waiting out its back-off, now at the new priority
        }
        else
        {
            r.lane.enqueue(r, r.enqueuedNanos);
        }
        return moved ? dev.ringmaster.dispatch.ReprioritizeOutcome.MOVED : dev.ringmaster.dispatch.ReprioritizeOutcome.QUEUE_FULL;
    }

    dev.ringmaster.dispatch.CancelOutcome cancel(final long taskId, final long now)
    {
        final TaskRecord r = takeWaiting(taskId);
        if (r != null)
        {
            router.outcomes.cancel(r, now, "cancelled on request before it started");
            return dev.ringmaster.dispatch.CancelOutcome.CANCELLED;
        }
        for (final AgentState agent : router.agents)
        {
            final TaskRecord inInbox = agent.inbox.take(taskId);
            if (inInbox != null)
            {
                router.placement.unassign(inInbox);
                router.outcomes.cancel(inInbox, now, "cancelled on request before it started");
                return dev.ringmaster.dispatch.CancelOutcome.CANCELLED;
            }
        }
        final TaskRecord bound = router.binding.take(taskId);
        if (bound != null)
        {
            router.outcomes.cancel(bound, now, "cancelled on request while bound to agent '" + bound.assignedTo.id() + "'");
            return dev.ringmaster.dispatch.CancelOutcome.CANCELLED;
        }
        return whereRunning(taskId) != null ? dev.ringmaster.dispatch.CancelOutcome.RUNNING :
            dev.ringmaster.dispatch.CancelOutcome.NOT_FOUND;
    }

    /** @return the id of the agent holding the task (its inbox or a slot), "" if it waits centrally, null if unknown. */
    String whereIs(final long taskId)
    {
        final String agent = whereRunning(taskId);
        if (agent != null)
        {
            return agent;
        }
        return isWaiting(taskId) ? "" : null;
    }

    /** Read-only: looks for a waiting task without moving it (a full rotation of a queue restores its order). */
    boolean isWaiting(final long taskId)
    {
        boolean found = false;
        for (final Lane lane : router.lanes)
        {
            for (int level = 0; level < Priority.COUNT; level++)
            {
                for (int i = 0; i < lane.deferredCount[level]; i++)
                {
                    found |= lane.deferred[level][i].task.id() == taskId;
                }
                for (final Lane.TenantBacklog backlog : lane.backlogs[level])
                {
                    for (final TaskRecord r : backlog.tasks)
                    {
                        found |= r.task.id() == taskId;
                    }
                }
                final var q = lane.queues[level];
                for (int n = q.size(); n > 0; n--)
                {
                    final TaskRecord r = q.relaxedPoll();
                    if (r == null)
                    {
                        break;
                    }
                    found |= r.task.id() == taskId;
                    q.offer(r);
                }
            }
        }
        return found || router.outcomes.retries.find(taskId) != null;
    }

    String whereRunning(final long taskId)
    {
        for (final AgentState agent : router.agents)
        {
            for (final Slot slot : agent.slots)
            {
                final long phase = Slot.phase(slot.stateVolatile());
                if (phase != Slot.RUNNING && phase != Slot.COMPLETING)
                {
                    // a timed-out attempt's record stays in its slot (ABANDONED, and FREE after the late answer, until
                    // the next start): its task went on in a copy, retried or ended, and is not running here
                    continue;
                }
                final TaskRecord r = slot.record;
                if (r != null && r.task != null && r.task.id() == taskId)
                {
                    return agent.id();
                }
            }
            if (agent.inbox.contains(taskId))
            {
                return agent.id();
            }
        }
        return router.binding.whereBound(taskId);
    }

    /**
     * Removes a task that waits centrally (queue, set-aside, tenant backlog or retry back-off) and returns it, or null.
     * O(waiting tasks): one rotation of each queue, which keeps the order of the others since the router is the
     * queues' only producer. For rare operator commands, never per task.
     */
    TaskRecord takeWaiting(final long taskId)
    {
        takenFromRetries = false;
        for (final Lane lane : router.lanes)
        {
            for (int level = 0; level < Priority.COUNT; level++)
            {
                for (int i = 0; i < lane.deferredCount[level]; i++)
                {
                    if (lane.deferred[level][i].task.id() == taskId)
                    {
                        return lane.removeDeferred(level, i);
                    }
                }
                for (final Lane.TenantBacklog backlog : lane.backlogs[level])
                {
                    for (final TaskRecord r : backlog.tasks)
                    {
                        if (r.task.id() == taskId)
                        {
                            backlog.tasks.remove(r);
                            lane.backlogged[level]--;
                            return r;
                        }
                    }
                }
                final var q = lane.queues[level];
                TaskRecord found = null;
                for (int n = q.size(); n > 0; n--)
                {
                    final TaskRecord r = q.relaxedPoll();
                    if (r == null)
                    {
                        break;
                    }
                    if (found == null && r.task.id() == taskId)
                    {
                        found = r;
                    }
                    else
                    {
                        q.offer(r);
                    }
                }
                if (found != null)
                {
                    return found;
                }
            }
        }
        final TaskRecord retry = router.outcomes.retries.find(taskId);
        if (retry != null)
        {
            router.outcomes.retries.remove(retry);
            takenFromRetries = true;
        }
        return retry;
    }

    /** Moves the task's admission to the new level so that every queue stays within its capacity. */
    static boolean moveAdmission(final TaskRecord r, final int newLevel)
    {
        if (newLevel == r.admissionLevel)
        {
            r.level = newLevel;
            r.urgency = TaskRecord.urgencyOf(newLevel, r.sequence);
            return true;
        }
        if (!r.lane.admit(newLevel))
        {
            return false;
        }
        r.lane.release(r.admissionLevel);
        r.admissionLevel = newLevel;
        r.level = newLevel;
        r.urgency = TaskRecord.urgencyOf(newLevel, r.sequence);
        return true;
    }
}
