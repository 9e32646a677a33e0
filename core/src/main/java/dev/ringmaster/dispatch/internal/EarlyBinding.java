package dev.ringmaster.dispatch.internal;

import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * Early binding: tasks of an early-bound type wait in their agent's own FIFO ({@link AgentState#bound}) instead of
 * the central queue, and move into the agent's inbox as it gets room; with stealing, an agent with room and nothing
 * bound takes the newest task of the agent with the longest queue. Routing role only.
 *
 * <p>A bound task counts in its agent's {@link AgentState#inFlight()} and tokens from the moment it is bound (the
 * strategy's {@code onAssigned} then), so strategies see the queue they are building; moving to the inbox changes
 * nothing they see. Stealing is a release by the victim and an assignment to the thief. Stealing costs a scan of the
 * type's agents for the longest queue, made only when an agent runs dry while tasks wait bound elsewhere.
 */
final class EarlyBinding extends RouterPart
{
    /** Agents that released a task since the last feed, each listed once. */
    private final ArrayDeque<AgentState> toFeed = new ArrayDeque<>();

    EarlyBinding(final Router router)
    {
        super(router);
    }

    /** Binds a routed task to its agent's queue, then feeds the agent (and, if it has to wait, a hungry agent). */
    void bind(final TaskRecord r, final AgentState agent, final long now)
    {
        agent.bound.addLast(r);
        agent.addBound(1);
        if (r.deadlineNanos < agent.boundEarliestDeadline)
        {
            agent.boundEarliestDeadline = r.deadlineNanos;
        }
        agent.lane.boundTotal++;
        router.selection.assigned(agent, r, now);
        feed(agent, now);
        if (agent.boundCount() > 0 && agent.lane.stealsBound)
        {
            feedHungry(agent.lane, now);
        }
    }

    /** After a release of one of the agent's tasks: it is fed at the next {@link #feedReleased}. */
    void released(final AgentState agent)
    {
        if (!agent.feedListed)
        {
            agent.feedListed = true;
            toFeed.addLast(agent);
        }
    }

    /** Moves bound tasks into the inboxes of agents that released some. @return tasks moved. */
    int feedReleased(final long now)
    {
        int moved = 0;
        AgentState agent;
        while ((agent = toFeed.pollFirst()) != null)
        {
            agent.feedListed = false;
            moved += feed(agent, now);
        }
        return moved;
    }

    /** Moves the agent's bound tasks into its inbox while it has room; if it runs dry, it may steal. @return moved. */
    int feed(final AgentState agent, final long now)
    {
        int moved = 0;
        while (agent.hasRoom() && agent.boundCount() > 0)
        {
            final TaskRecord r = agent.bound.pollFirst();
            agent.addBound(-1);
            agent.lane.boundTotal--;
            router.placement.toInbox(r, agent);
            moved++;
        }
        final Lane lane = agent.lane;
        // an ejected or ramping agent steals nothing: ejection keeps work away from it, slow start caps its share,
        // and stealing would bring back the work or fill the agent past its share (see AgentState.maySteal)
        if (lane.stealsBound && agent.hasRoom() && agent.boundCount() == 0 && !agent.removed && agent.maySteal(now))
        {
            while (lane.boundTotal > 0 && agent.hasRoom() && steal(agent, now))
            {
                moved++;
            }
            if (agent.hasRoom() && !agent.hungryListed)
            {
                agent.hungryListed = true; // still room: it takes the next task that has to wait elsewhere
                lane.hungry.addLast(agent);
            }
        }
        return moved;
    }

    /** A task had to wait in a queue: the first agent still hungry (room, nothing bound) steals. */
    private void feedHungry(final Lane lane, final long now)
    {
        AgentState h;
        while ((h = lane.hungry.pollFirst()) != null)
        {
            h.hungryListed = false;
            if (!h.removed && !h.retiring && h.maySteal(now) && h.hasRoom() && h.boundCount() == 0 && h.lane == lane)
            {
                feed(h, now);
                return;
            }
        }
    }

    /** Takes the newest task of the longest queue of the thief's type that it can run. @return true if one moved. */
    private boolean steal(final AgentState thief, final long now)
    {
        AgentState victim = null;
        for (final AgentState a : thief.lane.agents)
        {
            if (a != thief && a.boundCount() > 0 && (victim == null || a.boundCount() > victim.boundCount()))
            {
                victim = a;
            }
        }
        if (victim == null)
        {
            return false;
        }
        final TaskRecord r = victim.bound.peekLast();
        final dev.ringmaster.model.Task task = r.task;
        if (!thief.hasSkills(task.requiredSkills()) || task.targetAgent() != null || thief.id().equals(task.avoidAgent()) ||
            !Inbox.movable(router.engine.config.stealGuard, r, victim, thief))
        {
            return false; // its newest task is not for this agent (or must stay): leave the queue as it is
        }
        victim.bound.pollLast();
        unbind(victim, r);
        thief.addTokens(task.costTokens());
        r.assignedTo = thief;
        r.stolenFrom = victim; // counted, and heard by listeners, when the thief starts it
        router.placement.toInbox(r, thief);
        router.selection.assigned(thief, r, now); // after the load changed, as for any assignment
        return true;
    }

    /** Undoes the binding of a task already taken out of the agent's queue. */
    private void unbind(final AgentState agent, final TaskRecord r)
    {
        router.selection.beforeLoadChange(agent.lane);
        agent.addBound(-1);
        agent.lane.boundTotal--;
        agent.addTokens(-r.task.costTokens());
        router.selection.released(agent, r);
    }

    /** The agent leaves (removed, crashed): its bound tasks go back to the type's central queue, to be routed again. */
    void returnBound(final AgentState agent, final long now)
    {
        TaskRecord r;
        while ((r = agent.bound.pollFirst()) != null)
        {
            unbind(agent, r);
            r.clearAttempt();
            agent.lane.enqueue(r, now);
        }
    }

    /** @return the bound task with this id, taken out of its queue and unbound, or null. */
    TaskRecord take(final long taskId)
    {
        for (final AgentState agent : router.agents)
        {
            if (agent.boundCount() == 0)
            {
                continue;
            }
            for (final TaskRecord r : agent.bound)
            {
                if (r.task.id() == taskId)
                {
                    agent.bound.remove(r);
                    unbind(agent, r);
                    return r;
                }
            }
        }
        return null;
    }

    /**
     * Takes the tasks whose TTL passed by {@code now} out of the agent's queue, unbound, and hands them to
     * {@code expire}; the others keep their order. @return how many expired.
     */
    int expireBound(final AgentState agent, final long now, final Consumer<TaskRecord> expire)
    {
        java.util.List<TaskRecord> expired = null;
        long earliest = Long.MAX_VALUE;
        for (final java.util.Iterator<TaskRecord> it = agent.bound.iterator(); it.hasNext(); )
        {
            final TaskRecord r = it.next();
            if (r.expiredAt(now))
            {
                it.remove();
                unbind(agent, r);
                if (expired == null)
                {
                    expired = new java.util.ArrayList<>();
                }
                expired.add(r);
            }
            else
            {
                earliest = Math.min(earliest, r.deadlineNanos);
            }
        }
        agent.boundEarliestDeadline = earliest;
        if (expired == null)
        {
            return 0;
        }
        expired.forEach(expire); // after the pass: each expiry calls the embedder's callbacks
        return expired.size();
    }

    /** @return the id of the agent whose queue holds the task, or null. */
    String whereBound(final long taskId)
    {
        for (final AgentState agent : router.agents)
        {
            if (agent.boundCount() == 0)
            {
                continue; // as in take: late-bound agents hold nothing here, and an iterator would be made for nothing
            }
            for (final TaskRecord r : agent.bound)
            {
                if (r.task.id() == taskId)
                {
                    return agent.id();
                }
            }
        }
        return null;
    }

    /** At shutdown: hands every bound task, unbound, to {@code cancel}. */
    void sweep(final Consumer<TaskRecord> cancel)
    {
        for (final AgentState agent : router.agents)
        {
            TaskRecord r;
            while ((r = agent.bound.pollFirst()) != null)
            {
                unbind(agent, r);
                cancel.accept(r);
            }
        }
    }
}
