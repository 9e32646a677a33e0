package dev.ringmaster.dispatch.internal;

/**
 * Agent health: outlier ejection (failures in a row, latency far above the type's), slow start, and the watchdog
 * that times out hung attempts; routing role only.
 */
final class Health extends RouterPart
{
    private final dev.ringmaster.dispatch.OutlierEjection ejection;
    final long slowStartNanos;
    private final double slowStartMinFactor;

    /** @return true if routing decisions change with time alone (ejection periods, slow-start ramps). */
    boolean clockDependent()
    {
        return ejection != null || slowStartNanos > 0;
    }

    Health(final Router router, final EngineConfig config)
    {
        super(router);
        this.ejection = config.outlierEjection;
        this.slowStartNanos = config.slowStartNanos;
        this.slowStartMinFactor = config.slowStartMinFactor;
    }

    /** Outlier ejection and slow start, checked only for agents that are in either state. */
    boolean admits(final AgentState a, final long now)
    {
        if (a.ejectedUntilNanos != 0)
        {
            if (now - a.ejectedUntilNanos < 0)
            {
                return false;
            }
            a.ejectedUntilNanos = 0;
            a.ejected = false;
            a.lane.index.probationChanged(a);
            a.consecutiveFailures = 0;
            Router.LOG.info("agent '{}' readmitted to routing after ejection #{}", a.id(), a.ejections);
        }
        if (a.slowStartFromNanos != 0)
        {
            final long age = now - a.slowStartFromNanos;
            if (age < 0)
            {
                return false;
            }
            if (age >= slowStartNanos)
            {
                a.slowStartFromNanos = 0;
                a.lane.index.probationChanged(a);
                return true;
            }
            // the agent's share ramps linearly from minFactor to 1 by capping what it may hold
            final double factor = slowStartMinFactor + (1 - slowStartMinFactor) * ((double)age / slowStartNanos);
            return a.assigned() < Math.max(1, (int)Math.ceil(a.limit * factor));
        }
        return true;
    }

    void noteFailure(final AgentState agent, final long now)
    {
        if (ejection == null || ejection.consecutiveFailures() == 0)
        {
            return;
        }
        if (++agent.consecutiveFailures >= ejection.consecutiveFailures() && !agent.ejected)
        {
            eject(agent, now, agent.consecutiveFailures + " failures in a row");
        }
    }

    void eject(final AgentState agent, final long now, final String why)
    {
        final AgentState[] pool = agent.lane.agents;
        int ejectedNow = 0;
        for (final AgentState a : pool)
        {
            if (a.ejected)
            {
                ejectedNow++;
            }
        }
        if (ejectedNow + 1 > (int)Math.floor(pool.length * ejection.maxEjectedFraction()))
        {
            return; // never take more than the allowed share of a type out of routing
        }
        agent.ejections++;
        final long period = ejection.baseEjection().toNanos() * Math.min(10, agent.ejections);
        agent.ejectedUntilNanos = now + period;
        agent.ejected = true;
        if (slowStartNanos > 0)
        {
            agent.slowStartFromNanos = agent.ejectedUntilNanos; // it comes back ramping up, not at full share
        }
        agent.stealNothingUntil(agent.ejectedUntilNanos + slowStartNanos);
        agent.lane.index.probationChanged(agent);
        Counters.increment(counters.ejections);
        Router.LOG.warn("agent '{}' ejected from routing for {} ms: {}", agent.id(), period / 1_000_000, why);
    }

    /** Ejects agents whose latency is far above their type's mean; a periodic O(agents) sweep, not per task. */
    void sweepLatencyOutliers(final long now)
    {
        if (ejection == null || ejection.latencyFactor() == 0)
        {
            return;
        }
        for (final Lane lane : router.lanes)
        {
            final AgentState[] pool = lane.agents;
            if (pool.length < 3)
            {
                continue; // with two agents "far above the others" is just "the slower one"
            }
            // one pass for the type's total, then each agent against the mean of the others: O(n), not O(n^2)
            double total = 0;
            int counted = 0;
            for (final AgentState a : pool)
            {
                if (!a.ejected && a.ewmaLatencyNanos > 0)
                {
                    total += a.ewmaLatencyNanos;
                    counted++;
                }
            }
            for (final AgentState a : pool)
            {
                if (a.ejected || a.completed.get() < ejection.minSamples())
                {
                    continue;
                }
                final boolean inTotal = a.ewmaLatencyNanos > 0;
                final double sum = inTotal ? total - a.ewmaLatencyNanos : total;
                final int n = inTotal ? counted - 1 : counted;
                if (n > 0 && a.ewmaLatencyNanos > ejection.latencyFactor() * (sum / n))
                {
                    eject(a, now, String.format("latency EWMA %.0f us, over %.1fx the mean of its type (%.0f us)",
                        a.ewmaLatencyNanos / 1e3, ejection.latencyFactor(), sum / n / 1e3));
                }
            }
        }
    }

    /**
     * After shutdownNow's grace: cancels every attempt still running, as the watchdog times one out (its late answer
     * is ignored), so that the dispatcher terminates although an adapter never answers, even after stop().
     */
    int cancelRunningAtShutdown(final long now)
    {
        int work = 0;
        for (final AgentState agent : router.agents)
        {
            work += cancelRunning(agent, now, "answered (its adapter was stopped; the answer, if any comes, is ignored)");
        }
        return work;
    }

    /**
     * Cancels the attempts running on one agent, as shutdownNow's grace does, with a reason that starts with the
     * shutdown prefix (a journal keeps the task open for recovery): for every agent after the grace, and at once for
     * one that crashes while the dispatcher stops. @return how many were cancelled.
     */
    int cancelRunning(final AgentState agent, final long now, final String why)
    {
        int work = 0;
        for (final Slot slot : agent.slots)
        {
            final long s = slot.stateVolatile();
            final TaskRecord held = Slot.phase(s) == Slot.RUNNING ? slot.record : null;
            if (held != null && slot.abandon(s))
            {
                final TaskRecord r = held.detachedCopy(); // the adapter may still read the original
                work++;
                r.finishNanos = now;
                router.placement.unassign(r);
                router.outcomes.announceStart(r, agent);
                router.outcomes.cancel(r, now, dev.ringmaster.spi.DispatchListener.SHUTDOWN_REASON_PREFIX +
                    "its attempt on agent '" + agent.id() + "' " + why);
            }
        }
        return work;
    }

    int watchdog(final long now)
    {
        int work = 0;
        for (final AgentState agent : router.agents)
        {
            for (final Slot slot : agent.slots)
            {
                final long s = slot.stateVolatile();
                if (Slot.phase(s) == Slot.RUNNING && now - slot.deadlineNanos > 0)
                {
                    final TaskRecord held = slot.record;
                    if (held != null && slot.abandon(s))
                    {
                        // the hung adapter may still read its TaskView until it completes, if ever: the task goes on
                        // in a copy, and the original is never recycled (the garbage collector takes it once the
                        // adapter lets go); a timeout is rare, so this allocation is off the steady state
                        final TaskRecord r = held.detachedCopy();
                        work++;
                        Counters.increment(counters.timedOut);
                        r.finishNanos = now;
                        router.placement.unassign(r);
                        router.outcomes.announceStart(r, agent);
                        agent.recordFailure(now - r.startNanos);
                        noteFailure(agent, now);
                        final Restarter restarter = engine.restarter;
                        // a hung agent keeps its slots, so it can time out at most capacity attempts in a row
                        // the task's outcome first: a crash hand-off that throws must not leave it without one
                        router.outcomes.failAttempt(r, agent, "timed out after " + (r.task.timeoutNanos() / 1_000_000) +
                            " ms on agent '" + agent.id() + "'", now);
                        if (restarter != null && !agent.retiring && ++agent.consecutiveTimeouts >=
                            Math.min(restarter.timeoutsBeforeRestart(), agent.slots.length))
                        {
                            router.fleet.crash(agent, agent.consecutiveTimeouts + " attempts in a row timed out", now);
                        }
                    }
                }
            }
        }
        return work;
    }
}
