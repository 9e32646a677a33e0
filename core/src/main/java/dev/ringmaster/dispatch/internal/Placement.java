package dev.ringmaster.dispatch.internal;

import dev.ringmaster.dispatch.TerminalState;
import dev.ringmaster.model.Priority;

/**
 * Placement: takes waiting tasks from a lane's levels (aging, set-aside tasks, throttled tenants' backlogs) and puts
 * each on the agent the strategy selects, then wakes the workers concerned; routing role only.
 */
final class Placement extends RouterPart
{
    private static final int DISPATCH_BATCH = 256;

    /** The engine's workers; replaced by the fleet (on the routing role too) when a worker is added. */
    private Worker[] workers;
    private boolean[] wakeWorker;
    /** Set when a lane stopped at its batch cap with more placeable: the role's holder runs another cycle. */
    boolean capHit;

    Placement(final Router router, final Worker[] workers)
    {
        super(router);
        this.workers = workers;
        this.wakeWorker = new boolean[workers.length];
    }

    /** Routing role only: the workers now include one added for a new agent; wakes still pending are kept. */
    void workersChanged(final Worker[] all)
    {
        workers = all;
        wakeWorker = java.util.Arrays.copyOf(wakeWorker, all.length);
    }

    int dispatch(final long now)
    {
        int work = router.binding.feedReleased(now);
        for (final Lane lane : router.lanes)
        {
            if (lane.placeable() && !lane.paused)
            {
                work += dispatchLane(lane, now);
            }
        }
        for (int w = 0; w < wakeWorker.length; w++)
        {
            if (wakeWorker[w])
            {
                wakeWorker[w] = false;
                workers[w].wakeServer();
            }
        }
        return work;
    }

    int dispatchLane(final Lane lane, final long now)
    {
        int dispatched = 0;
        while (lane.placeable() && dispatched < DISPATCH_BATCH)
        {
            final int outcome = placeOne(lane, now);
            if (outcome == 0)
            {
                break;
            }
            dispatched++;
        }
        capHit |= dispatched == DISPATCH_BATCH;
        return dispatched;
    }

    /**
     * Places a task as it arrives, without a trip through its queue, when nothing in the lane is older than it and
     * nothing holds it back (a rate limit, a paused lane): the common case at light and steady load. The queue's
     * offer and poll, and a second look at the record once it has gone cold, cost more than the routing decision.
     * Listeners hear the acceptance and the assignment in one call, which the journal writes as one record.
     *
     * @param behind tasks after this one in the ingress batch being read.
     * @return false if the task must wait in its queue (the caller enqueues it).
     */
    boolean placeDirect(final TaskRecord r, final long now, final long behind)
    {
        final Lane lane = r.lane;
        // room for this task and every one behind it in the batch, and no retry due: then all of them are placed in
        // this pass whatever their order, so placing this one first cannot pass over a more urgent one
        if ((lane.room <= behind && !lane.early) || lane.paused || lane.bucket != null || control.runState >= Control.STOPPING ||
            router.limits.tenantBucket(r) != null || router.outcomes.retries.nextDueNanos() - now <= 0)
        {
            return false;
        }
        for (int level = 0; level < Priority.COUNT; level++)
        {
            if (lane.hasWaiting(level))
            {
                return false; // older tasks go first, in the order aging and priority give them
            }
        }
        r.enqueuedNanos = now;
        final AgentState agent = router.selection.route(lane, r, now);
        if (agent == null)
        {
            return false;
        }
        lane.aging.served(r.level, lane.waiting);
        assign(r, agent, now, true);
        return true;
    }

    /** @return 1 if a task was placed or expired, 0 if nothing in the lane can be placed now. */
    int placeOne(final Lane lane, final long now)
    {
        final int aged = lane.aging.agedLevel(lane.waiting);
        if (aged >= 0)
        {
            final int r = tryLevel(lane, aged, now);
            if (r != 0)
            {
                return r;
            }
        }
        for (int level = 0; level < Priority.COUNT; level++)
        {
            final int r = tryLevel(lane, level, now);
            if (r != 0)
            {
                return r;
            }
        }
        return 0;
    }

    int tryLevel(final Lane lane, final int level, final long now)
    {
        if (lane.backlogged[level] > 0)
        {
            final int placed = tryBacklogs(lane, level, now);
            if (placed != 0)
            {
                return placed;
            }
        }
        // tasks set aside for want of a free skilled agent are older than the queue's head: they go first
        for (int i = 0; i < lane.deferredCount[level]; i++)
        {
            final TaskRecord r = lane.deferred[level][i];
            if (r.expiredAt(now))
            {
                lane.removeDeferred(level, i);
                router.outcomes.expire(r, now, "time to live passed while queued");
                return 1;
            }
            if (lane.bucket != null && !router.limits.allows(lane.bucket, r, now))
            {
                return 0; // the whole type is over its limit: nothing of it starts until the bucket refills
            }
            final TokenBucket tenant = router.limits.tenantBucket(r);
            if (tenant != null && !router.limits.allows(tenant, r, now))
            {
                continue;
            }
            final AgentState agent = router.selection.route(lane, r, now);
            if (agent != null)
            {
                lane.removeDeferred(level, i);
                router.limits.takeTokens(lane, tenant, r);
                dispatched(lane, level, r, agent, now);
                return 1;
            }
            final String orphaned = router.fleet.orphaned(r);
            if (orphaned != null)
            {
                lane.removeDeferred(level, i);
                router.outcomes.terminal(r, TerminalState.DEAD_LETTERED, orphaned, now);
                return 1;
            }
        }
        final var queue = lane.queues[level];
        while (true)
        {
            final TaskRecord head = queue.relaxedPeek();
            if (head == null)
            {
                return 0;
            }
            if (head.expiredAt(now))
            {
                queue.relaxedPoll();
                router.outcomes.expire(head, now, "time to live passed while queued");
                return 1;
            }
            if (lane.bucket != null && !router.limits.allows(lane.bucket, head, now))
            {
                return 0; // the type is over its limit; the task waits in its queue, it is not dropped
            }
            final TokenBucket tenant = router.limits.tenantBucket(head);
            if (tenant != null && (lane.hasBacklog(level, head.task.tenant()) || !router.limits.allows(tenant, head, now)))
            {
                // its tenant is over its limit (or already has older tasks waiting for it): queue it behind them,
                // out of the way of other tenants' tasks
                queue.relaxedPoll();
                lane.backlog(level, head.task.tenant()).tasks.addLast(head);
                lane.backlogged[level]++;
                continue;
            }
            final AgentState agent = router.selection.route(lane, head, now);
            if (agent != null)
            {
                queue.relaxedPoll();
                router.limits.takeTokens(lane, tenant, head);
                dispatched(lane, level, head, agent, now);
                return 1;
            }
            final String orphaned = router.fleet.orphaned(head);
            if (orphaned != null)
            {
                queue.relaxedPoll();
                router.outcomes.terminal(head, TerminalState.DEAD_LETTERED, orphaned, now);
                return 1;
            }
            // the lane has room (the caller checked) but not on an agent able to take the head now (skills, its
            // tenant's limit, a declining strategy): set the head aside so the tasks behind it can use the free
            // router.agents, instead of blocking the whole level (a deserted lane: so that what can never run behind
            // it ends too; the set-aside tasks stay first in line for an agent added later)
            if (!lane.defer(head))
            {
                return 0;
            }
            queue.relaxedPoll();
        }
    }

    /** Tries the oldest task of each throttled tenant at a level. @return 1 if one was placed or expired. */
    int tryBacklogs(final Lane lane, final int level, final long now)
    {
        for (final Lane.TenantBacklog backlog : lane.backlogs[level])
        {
            final TaskRecord r = backlog.tasks.peekFirst();
            if (r == null)
            {
                continue;
            }
            if (r.expiredAt(now))
            {
                backlog.tasks.pollFirst();
                lane.backlogged[level]--;
                router.outcomes.expire(r, now, "time to live passed while its tenant was over its rate limit");
                return 1;
            }
            if (lane.bucket != null && !router.limits.allows(lane.bucket, r, now))
            {
                return 0;
            }
            final TokenBucket tenant = router.limits.tenantBucket(r);
            if (tenant != null && !router.limits.allows(tenant, r, now))
            {
                continue;
            }
            final AgentState agent = router.selection.route(lane, r, now);
            if (agent != null)
            {
                backlog.tasks.pollFirst();
                lane.backlogged[level]--;
                router.limits.takeTokens(lane, tenant, r);
                dispatched(lane, level, r, agent, now);
                return 1;
            }
            final String orphaned = router.fleet.orphaned(r);
            if (orphaned != null)
            {
                backlog.tasks.pollFirst();
                lane.backlogged[level]--;
                router.outcomes.terminal(r, TerminalState.DEAD_LETTERED, orphaned, now);
                return 1;
            }
        }
        return 0;
    }

    void dispatched(final Lane lane, final int level, final TaskRecord r, final AgentState agent, final long now)
    {
        lane.aging.served(level, lane.waiting);
        assign(r, agent, now);
    }

    void assign(final TaskRecord r, final AgentState agent, final long now)
    {
        assign(r, agent, now, false);
    }

    /** @param justAccepted placed as it arrived: its acceptance has not been announced yet, it goes with this. */
    private void assign(final TaskRecord r, final AgentState agent, final long now, final boolean justAccepted)
    {
        agent.addTokens(r.task.costTokens());
        r.assignedTo = agent;
        r.assignedNanos = now;
        stages.record(Stage.QUEUE_WAIT, now - r.enqueuedNanos);
        Counters.increment(counters.assigned);
        final Selection selection = router.selection;
        if (justAccepted)
        {
            listener.onAcceptedAndAssigned(r, now, agent, selection.trail, now);
        }
        else
        {
            listener.onAssigned(r, agent, selection.trail, now);
        }
        if (agent.lane.early)
        {
            router.binding.bind(r, agent, now); // into the agent's own queue; into its inbox when it has room
            return;
        }
        toInbox(r, agent);
        selection.assigned(agent, r, now); // after the load changed: the strategy re-keys the agent by what it sees
    }

    /** Puts an assigned task into its agent's inbox, taking one of the agent's slots of room. */
    void toInbox(final TaskRecord r, final AgentState agent)
    {
        agent.addAssigned(1);
        r.lane.room--;
        agent.inbox.put(r);
        wakeWorker[agent.workerIndex] = true;
    }

    void unassign(final TaskRecord r)
    {
        final AgentState agent = r.assignedTo;
        router.selection.beforeLoadChange(agent.lane);
        agent.addAssigned(-1);
        agent.addTokens(-r.task.costTokens());
        if (!agent.retiring)
        {
            r.lane.room++; // a retiring agent's room was taken out of the lane when it began to drain
        }
        router.selection.released(agent, r);
        if (agent.lane.early)
        {
            router.binding.released(agent); // room again: its next bound task moves in at the next placement
        }
    }
}
