package dev.ringmaster.dispatch.internal;

import dev.ringmaster.model.Priority;

import java.util.ArrayList;
import java.util.List;

/**
 * Fleet changes applied by the routing role: agents added, drained and removed, crashed and handed to supervision,
 * types paused and resumed.
 */
final class Fleet extends RouterPart
{
    private final java.util.List<Retirement> retirements = new ArrayList<>();
    /** Crashed agents that supervision will bring back, by id: tasks addressed to them, or needing their skills, wait. */
    private final java.util.Map<String, dev.ringmaster.model.AgentSpec> restarting = new java.util.HashMap<>();
    /** Of those, the ones their owner (a crash handler) replaces: only it may give them up. */
    private final java.util.Set<String> ownerReplaces = new java.util.HashSet<>();
    /**
     * Why owners gave up replacing crashed agents, by id, for the reason a task addressed to one dies with; the latest
     * few only, since a task still waiting for one meets it at its next routing pass, within one duty cycle.
     */
    private final java.util.Map<String, String> givenUp = new java.util.LinkedHashMap<>(16, 0.75f, false)
    {
        @Override
        protected boolean removeEldestEntry(final java.util.Map.Entry<String, String> eldest)
        {
            return size() > 64;
        }
    };
    /**
     * Crashed agents still holding a live attempt: the watchdog times it out through the agent list, so they leave
     * that list only once none is (see {@link #drop}).
     */
    private final java.util.List<AgentState> departing = new ArrayList<>();
    /** The next agent's index: never reused, so a strategy's arrays indexed by it never mistake a new agent for a gone one. */
    private int nextIndex;

    Fleet(final Router router)
    {
        super(router);
        this.nextIndex = router.agents.length;
    }

    /** @return true while removals wait for their agents' last tasks, or crashed agents for their live attempts. */
    boolean retiring()
    {
        return !retirements.isEmpty() || !departing.isEmpty();
    }

    AgentState addAgent(final dev.ringmaster.model.AgentSpec spec, final dev.ringmaster.spi.AgentAdapter adapter)
    {
        int slots = 0;
        for (final AgentState a : router.agents)
        {
            if (!a.removed && a.spec.id().equals(spec.id()))
            {
                throw new IllegalArgumentException("duplicate agent id '" + spec.id() + "': every agent needs its own id");
            }
            slots += a.removed ? 0 : a.limit;
        }
        if (slots + spec.capacity() + engine.config.prefetch > Engine.MAX_FLEET_SLOTS)
        {
            throw new IllegalArgumentException("adding '" + spec.id() + "' would exceed the " + Engine.MAX_FLEET_SLOTS +
                " slots one dispatcher supports; remove agents or use another dispatcher");
        }
        restarting.remove(spec.id());
        ownerReplaces.remove(spec.id());
        givenUp.remove(spec.id());
        final int index = nextIndex++;
        final int workerIndex = workerFor();
        final Worker[] workers = engine.workers;
        final AgentState agent = new AgentState(index, spec, adapter, engine.config.prefetch, workerIndex, engine.signals);
        agent.worker = workers[workerIndex];

        Lane lane = engine.lanesByType.get(spec.type());
        if (lane == null)
        {
            lane = new Lane(spec.type(), engine.config.queueCapacity, new AgentState[]{agent},
                engine.config.binding(spec.type()));
            lane.bucket = router.limits.typeBuckets.get(spec.type());
            lane.aging = new Aging(router.agingQuantum);
            lane.id = router.lanes.length;
            final Lane[] grown = java.util.Arrays.copyOf(router.lanes, router.lanes.length + 1);
            grown[router.lanes.length] = lane;
            router.lanes = grown;
            engine.lanes = grown;
            final java.util.Map<String, Lane> byType = new java.util.HashMap<>(engine.lanesByType);
            byType.put(spec.type(), lane);
            engine.lanesByType = byType; // volatile store: submitters see the lane with its agent
        }
        else
        {
            final AgentState[] pool = java.util.Arrays.copyOf(lane.agents, lane.agents.length + 1);
            pool[pool.length - 1] = agent;
            lane.agents = pool;
            lane.room += agent.limit;
            lane.refreshSkills();
            lane.deserted = false;
        }
        agent.lane = lane;
        if (router.health.slowStartNanos > 0)
        {
            agent.slowStartFromNanos = System.nanoTime(); // a new agent ramps up instead of taking a full share at once
            agent.stealNothingUntil(agent.slowStartFromNanos + router.health.slowStartNanos);
        }
        lane.index.rebuild(lane.agents);
        final AgentState[] all = java.util.Arrays.copyOf(router.agents, router.agents.length + 1);
        all[all.length - 1] = agent;
        router.agents = all;
        engine.agents = all;
        final Worker worker = workers[workerIndex];
        final AgentState[] mine = java.util.Arrays.copyOf(worker.mine, worker.mine.length + 1);
        mine[mine.length - 1] = agent;
        worker.mine = mine; // volatile store: the worker starts driving the agent on its next duty cycle
        return agent;
    }

    /**
     * The worker of an agent being added: a new one while there are fewer workers than {@code workers(n)} and than
     * agents (the new one included), as the initial fleet has one per agent up to that bound; else the one with
     * fewest agents (the lowest index among equals), which spreads agents in turn as the initial fleet does, and
     * gives an agent to a worker whose agents all left. A worker inside an adapter call counts for neither: it may be
     * held by a call that outlived its agent (a hung call a removal does not wait for), and would start nothing else
     * until the call returns.
     */
    private int workerFor()
    {
        final Worker[] workers = engine.workers;
        int live = 1;
        for (final AgentState a : router.agents)
        {
            live += a.removed ? 0 : 1;
        }
        int free = 0;
        int best = -1; // fewest agents among the workers free of a call
        int fewest = 0; // fewest agents among all, for when every worker is inside one
        for (int w = 0; w < workers.length; w++)
        {
            fewest = workers[w].mine.length < workers[fewest].mine.length ? w : fewest;
            if (!workers[w].busyInAdapter())
            {
                free++;
                best = best < 0 || workers[w].mine.length < workers[best].mine.length ? w : best;
            }
        }
        if (workers.length < engine.config.workers && (workers.length < live ||
            (free < live && (best < 0 || workers[best].mine.length > 0))))
        {
            return engine.addWorker(router.placement).index();
        }
        return best >= 0 ? best : fewest;
    }

    void retire(final String agentId, final java.util.concurrent.CompletableFuture<dev.ringmaster.spi.AgentView> future,
                final long now)
    {
        final AgentState agent = find(agentId);
        if (agent.retiring)
        {
            throw new IllegalStateException("agent '" + agentId + "' is already being removed");
        }
        agent.retiring = true;
        final Lane lane = agent.lane;
        lane.index.roomChanged(agent); // a leaving agent takes no new task
        lane.room -= Math.max(0, agent.limit - agent.assigned());
        lane.refreshSkills();
        // what waits in its inbox goes back to the central queue, to be routed elsewhere; the CAS in the inbox makes
        // each record either started by the agent's worker or returned here, never both
        TaskRecord r;
        while ((r = agent.inbox.takeMostUrgent()) != null)
        {
            router.placement.unassign(r);
            r.clearAttempt();
            lane.enqueue(r, now);
        }
        router.binding.returnBound(agent, now);
        retirements.add(new Retirement(agent, future));
    }

    int completeRetirements()
    {
        int work = 0;
        for (int i = retirements.size() - 1; i >= 0; i--)
        {
            final Retirement retirement = retirements.get(i);
            final AgentState agent = retirement.agent;
            // a worker may have started a last inbox task just before the agent began to retire: wait for it; but not
            // for a call abandoned at its timeout, which may hang until the adapter is stopped, and that comes after this
            if (agent.assigned() == 0 && agent.inbox.size() == 0 && agent.boundCount() == 0 &&
                agent.runsNothingLive())
            {
                leave(agent);
                drop(agent);
                retirements.remove(i);
                retirement.future.complete(agent);
                work++;
            }
        }
        for (int i = departing.size() - 1; i >= 0; i--)
        {
            final AgentState agent = departing.get(i);
            if (agent.assigned() == 0 && agent.runsNothingLive())
            {
                departing.remove(i);
                drop(agent);
                work++;
            }
        }
        return work;
    }

    /** Takes an agent out of its lane's pool and its worker's agents for good (removed or crashed). */
    private void leave(final AgentState agent)
    {
        final Lane lane = agent.lane;
        lane.agents = without(lane.agents, agent);
        lane.index.rebuild(lane.agents);
        lane.refreshSkills();
        lane.deserted = lane.agents.length == 0;
        final Worker worker = engine.workers[agent.workerIndex];
        worker.mine = without(worker.mine, agent);
        agent.removed = true;
    }

    /**
     * Takes an agent that left out of the agent lists, which the watchdog, lookups and sweeps walk on every pass: kept
     * there, every agent an autoscaler or a supervisor ever replaced stayed reachable (its adapter too) and made each
     * pass longer. Only once no attempt of it is live; a late answer to an abandoned one needs only the slot.
     */
    private void drop(final AgentState agent)
    {
        final AgentState[] all = without(router.agents, agent);
        router.agents = all;
        engine.agents = all;
    }

    static AgentState[] without(final AgentState[] array, final AgentState agent)
    {
        final AgentState[] out = new AgentState[array.length - 1];
        int n = 0;
        for (final AgentState a : array)
        {
            if (a != agent)
            {
                out[n++] = a;
            }
        }
        return out;
    }

    boolean crash(final String agentId, final String reason, final long now)
    {
        final AgentState agent = find(agentId);
        if (agent.retiring)
        {
            return crashRetiring(agent, reason);
        }
        crash(agent, reason, now);
        return true;
    }

    /**
     * An agent being removed crashes (its host died, say): it is taken out at once and its removal completes (whose
     * caller stops the adapter), instead of waiting for attempts that may never end; it is not restarted, since it was
     * leaving. Without this a host that came back during a drain could not register its agents again: the same ids
     * were still retiring. @return true; its inbox and bound tasks already went back to the queues when it retired.
     */
    private boolean crashRetiring(final AgentState agent, final String reason)
    {
        for (int i = 0; i < retirements.size(); i++)
        {
            final Retirement retirement = retirements.get(i);
            if (retirement.agent == agent)
            {
                leave(agent);
                departing.add(agent); // dropped from the agent list once none of its attempts is live
                Counters.increment(counters.crashes);
                retirements.remove(i);
                Router.LOG.warn("agent '{}' crashed ({}) while it was being removed; it is out now", agent.id(), reason);
                retirement.future.complete(agent);
                return true;
            }
        }
        return false;
    }

    /**
     * Takes a crashed agent out at once, without waiting for what it runs: hung attempts time out through the
     * watchdog (it keeps scanning the old agent's slots) and are retried elsewhere, and answers that still come are
     * processed as usual. Its factory brings a fresh agent with the same spec back after a back-off, or, for an agent
     * added with a crash handler, its owner replaces it (the handler is told on this thread, then its adapter stopped).
     */
    void crash(final AgentState agent, final String reason, final long now)
    {
        // its owner hears before the agent leaves the list it samples: one that finds it gone already has the news
        final java.util.concurrent.CompletableFuture<Void> stopped =
            engine.restarter != null && agent.crashHandler != null ? new java.util.concurrent.CompletableFuture<>() : null;
        final boolean ownerReplacing = stopped != null && engine.restarter.tellOwner(agent, reason, stopped);
        agent.retiring = true;
        final Lane lane = agent.lane;
        lane.room -= Math.max(0, agent.limit - agent.assigned());
        TaskRecord r;
        while ((r = agent.inbox.takeMostUrgent()) != null)
        {
            router.placement.unassign(r);
            r.clearAttempt();
            lane.enqueue(r, now);
        }
        router.binding.returnBound(agent, now);
        leave(agent);
        departing.add(agent); // dropped from the agent list by the next pass that finds none of its attempts live
        Counters.increment(counters.crashes);
        if (router.control.runState >= Control.STOPPING)
        {
            // nothing answers for a dead agent and nothing is retried while stopping: its attempts end now, not after
            // shutdownNow's grace for answers
            router.health.cancelRunning(agent, now, "never answered: the agent crashed (" + reason +
                ") while the dispatcher was stopping");
        }
        if (!agent.claimStop())
        {
            // shutdownNow stopped its adapter already, and nothing restarts while stopping: its owner may go on
            if (stopped != null)
            {
                stopped.complete(null);
            }
        }
        else if (ownerReplacing)
        {
            // held for, as for a restart: its owner adds it again under the same id, or gives it up
            restarting.put(agent.id(), agent.spec);
            ownerReplaces.add(agent.id());
            engine.restarter.stopForOwner(agent.id(), agent.adapter, stopped);
        }
        else if (engine.restarter != null)
        {
            if (engine.restarter.canRestart(agent.spec))
            {
                restarting.put(agent.id(), agent.spec);
            }
            engine.restarter.crashed(agent.spec, agent.adapter, reason, stopped);
        }
        else
        {
            Router.LOG.error("agent '{}' crashed ({}) and no supervision is configured; it stays out of the fleet", agent.id(), reason);
            // stop() may block: not on the routing role (the restarter stops it on its own thread under supervision)
            java.util.concurrent.CompletableFuture.runAsync(() -> AdapterLifecycle.stopQuietly(agent.id(), agent.adapter));
        }
    }

    /**
     * Its owner will not replace a crashed agent it was told of: tasks held for it (addressed to it, or needing a skill
     * only it had) stop waiting and are dead-lettered, saying why. @return false if no owner's replacement was awaited.
     */
    boolean giveUpReplacement(final String agentId, final String reason)
    {
        if (!ownerReplaces.remove(agentId))
        {
            return false;
        }
        restarting.remove(agentId);
        givenUp.put(agentId, reason);
        Router.LOG.warn("the owner of crashed agent '{}' gave up replacing it ({}); tasks held for it are dead-lettered",
            agentId, reason);
        return true;
    }

    /**
     * Why a waiting task can never run, or null if it can: it is addressed to an agent that left the fleet for good
     * (removed, or crashed with nobody to restart it), or needs a skill that none of the agents its type still has
     * has. Such a task would wait for ever and keep every drain from finishing. O(1), unless the task needs a skill its
     * type lacks: then O(agents of its type + crashed agents awaiting a restart).
     */
    String orphaned(final TaskRecord r)
    {
        final String target = r.task.targetAgent();
        if (target != null && r.lane.index.position(target) < 0)
        {
            if (restarting.containsKey(target))
            {
                return null;
            }
            final String givenUpBecause = givenUp.get(target);
            return givenUpBecause != null ? "addressed to agent '" + target + "', which crashed, and its owner gave " +
                "up replacing it (" + givenUpBecause + "): no other agent may run it; submit it again without " +
                "targetAgent, or to an agent that runs" : "addressed to agent '" + target + "', which left the fleet " +
                "(removed, or crashed with no factory to restart it): no other agent may run it; submit it again " +
                "without targetAgent, or to an agent that runs";
        }
        final long required = r.task.requiredSkills();
        if (required == 0 || (required & ~r.lane.skillUnion) == 0 || !staffed(r.lane))
        {
            return null; // a type with no agent at all waits for one to be added (an autoscaler's minimum of 0)
        }
        for (final dev.ringmaster.model.AgentSpec spec : restarting.values())
        {
            if (spec.type().equals(r.lane.type) && (required & ~spec.skillMask()) == 0)
            {
                return null;
            }
        }
        return "needs skills " + dev.ringmaster.model.Skills.names(required) + ", which no agent of type '" +
            r.lane.type + "' has any more (the last one left the fleet); add an agent with them and requeue it";
    }

    private static boolean staffed(final Lane lane)
    {
        for (final AgentState a : lane.agents)
        {
            if (!a.retiring)
            {
                return true;
            }
        }
        return false;
    }

    int setPaused(final String type, final boolean paused)
    {
        final Lane lane = engine.lanesByType.get(type);
        if (lane == null)
        {
            throw new IllegalArgumentException("unknown agent type '" + type + "'; known types: " + engine.lanesByType.keySet());
        }
        lane.paused = paused;
        int waiting = 0;
        for (int level = 0; level < Priority.COUNT; level++)
        {
            waiting += lane.depth(level);
        }
        return waiting;
    }

    AgentState find(final String agentId)
    {
        for (final AgentState a : router.agents)
        {
            if (!a.removed && a.spec.id().equals(agentId))
            {
                return a;
            }
        }
        final List<String> known = new ArrayList<>();
        for (final AgentState a : router.agents)
        {
            if (!a.removed)
            {
                known.add(a.spec.id());
            }
        }
        throw new IllegalArgumentException("unknown agent '" + agentId + "'; known agents: " + known);
    }

    /** A retiring agent and who waits for its removal. */
    private record Retirement(AgentState agent, java.util.concurrent.CompletableFuture<dev.ringmaster.spi.AgentView> future)
    {
    }
}
