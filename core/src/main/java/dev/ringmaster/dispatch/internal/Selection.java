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
        final CandidateSet c = candidates;
        collect(lane.index, r.task, now, c);
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

    /**
     * Fills {@code c} with the agents that can take the task now, in pool order, from the lane's {@link PoolIndex}:
     * a word at a time over the agents with room (and the required skills), so busy agents cost nothing; only
     * agents in probation (ejected, slow start) are asked the clock-dependent question.
     */
    private void collect(final PoolIndex index, final dev.ringmaster.model.Task task, final long now, final CandidateSet c)
    {
        final AgentState[] pool = index.pool();
        c.reset(pool);
        final long required = task.requiredSkills();
        final long[] room = index.room;
        final long[] skills = required == 0 ? null : index.withSkills(required);
        final String target = task.targetAgent();
        final String avoid = task.avoidAgent();
        final int only = target == null ? -1 : index.position(target);
        if (target != null && only < 0)
        {
            return; // addressed to an agent that left the pool: nobody can take it
        }
        final int avoided = avoid == null ? -1 : index.position(avoid);
        final long[] probation = index.probationCount == 0 ? null : index.probation;
        final int from = only < 0 ? 0 : only >>> 6;
        final int to = only < 0 ? room.length : from + 1;
        for (int w = from; w < to; w++)
        {
            long bits = room[w];
            if (skills != null)
            {
                bits &= skills[w];
            }
            if (only >= 0)
            {
                bits &= 1L << only;
            }
            if (avoided >= 0 && (avoided >>> 6) == w)
            {
                bits &= ~(1L << avoided);
            }
            while (bits != 0)
            {
                final int i = (w << 6) + Long.numberOfTrailingZeros(bits);
                bits &= bits - 1;
                final AgentState a = pool[i];
                if (probation == null || (probation[w] & (1L << i)) == 0 || router.health.admits(a, now))
                {
                    c.add(a, i);
                }
            }
        }
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
