package dev.ringmaster.dispatch.internal;

import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.RoutingStrategy;

/**
 * Selection: builds a task's candidates (room, skills, target, avoidance, ejection, slow start) and asks the strategy;
 * a strategy that throws or answers out of range costs that decision a built-in fallback, and one that keeps failing
 * is quarantined for a while. Routing role only.
 */
final class Selection extends RouterPart
{
    /** Consecutive failed decisions before the strategy is quarantined, and for how long. */
    static final int QUARANTINE_AFTER_FAULTS = 16;
    static final long QUARANTINE_NANOS = 10_000_000_000L;

    final RoutingStrategy strategy;
    final String strategyName;
    final CandidateSet candidates = new CandidateSet();
    final RoutingDecision decision = new RoutingDecision();
    private final FaultLog strategyFaults;
    private int strategyFaultsInARow;
    private boolean strategyQuarantined;
    private long strategyQuarantinedUntilNanos;

    Selection(final Router router, final RoutingStrategy strategy)
    {
        super(router);
        this.strategy = strategy;
        this.strategyName = strategy.name();
        this.strategyFaults = new FaultLog(Router.LOG, "routing strategy '" + strategyName + "'");
    }

    AgentState route(final Lane lane, final TaskRecord r, final long now)
    {
        final AgentState[] pool = lane.agents;
        final long required = r.task.requiredSkills();
        final String target = r.task.targetAgent();
        final String avoid = r.task.avoidAgent();
        final CandidateSet c = candidates;
        c.reset(pool);
        for (int i = 0; i < pool.length; i++)
        {
            final AgentState a = pool[i];
            if (a.hasRoom() && a.hasSkills(required) && router.health.admits(a, now) &&
                (target == null || target.equals(a.spec.id())) && (avoid == null || !avoid.equals(a.spec.id())))
            {
                c.add(a, i);
            }
            else
            {
                c.skip(i);
            }
        }
        if (c.size() == 0)
        {
            return null;
        }
        decision.reset();
        final long t0 = System.nanoTime();
        int chosen;
        if (strategyQuarantined && now - strategyQuarantinedUntilNanos < 0)
        {
            chosen = fallbackChoice(c);
        }
        else
        {
            try
            {
                chosen = strategy.select(r, c, decision);
                if (chosen != RoutingStrategy.DECLINE && (chosen < 0 || chosen >= c.size()))
                {
                    chosen = strategyFailed(now, c, "returned index " + chosen + " for " + c.size() + " candidates", null);
                }
                else
                {
                    strategyFaultsInARow = 0;
                }
            }
            catch (final Throwable e)
            {
                chosen = strategyFailed(now, c, "threw", e);
            }
        }
        stages.record(Stage.ROUTING, System.nanoTime() - t0);
        if (chosen == RoutingStrategy.DECLINE)
        {
            return null;
        }
        return c.agent(chosen);
    }

    /** The built-in choice when the strategy failed or is quarantined: the candidate with the fewest tasks in flight. */
    static int fallbackChoice(final CandidateSet c)
    {
        int best = 0;
        for (int i = 1; i < c.size(); i++)
        {
            if (c.agent(i).assigned < c.agent(best).assigned)
            {
                best = i;
            }
        }
        return best;
    }

    int strategyFailed(final long now, final CandidateSet c, final String what, final Throwable e)
    {
        counters.strategyFaults.lazySet(counters.strategyFaults.get() + 1);
        if (++strategyFaultsInARow >= QUARANTINE_AFTER_FAULTS)
        {
            // a strategy that keeps failing costs a fault per task: route with the fallback for a while, then probe
            strategyFaultsInARow = 0;
            strategyQuarantined = true;
            strategyQuarantinedUntilNanos = now + QUARANTINE_NANOS;
            counters.strategyQuarantines.lazySet(counters.strategyQuarantines.get() + 1);
            strategyFaults.report(what + " " + QUARANTINE_AFTER_FAULTS + " decisions in a row; quarantined for " +
                QUARANTINE_NANOS / 1_000_000_000L + " s, routing with the built-in least-in-flight choice meanwhile", e);
        }
        else
        {
            strategyFaults.report(what + "; this decision falls back to the candidate with the fewest tasks in flight", e);
        }
        return fallbackChoice(c);
    }
}
