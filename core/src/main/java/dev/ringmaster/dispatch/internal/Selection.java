package dev.ringmaster.dispatch.internal;

import dev.ringmaster.metrics.FaultLog;
import dev.ringmaster.spi.IndexedRoutingStrategy;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.RoutingStrategy;

/**
 * Selection: asks the strategy for a task's agent, through a candidate list (version 1: room, skills, target,
 * avoidance, ejection, slow start) or, for an {@link IndexedRoutingStrategy}, through the pool with eligibility per
 * agent; and tells a strategy that wants them of assignments, releases, telemetry and pool changes. A strategy that
 * throws or answers out of range costs that decision a built-in fallback, and one that keeps failing is quarantined
 * for a while. Routing role only.
 *
 * <p>A second instance may run as the live one's shadow ({@link Shadow}): it decides on every task the live one
 * placed, without acting, and is told of the live assignments and releases, so its index follows the real load.
 */
final class Selection extends RouterPart
{
    /** Consecutive failed decisions before the strategy is quarantined, and for how long. */
    static final int QUARANTINE_AFTER_FAULTS = 16;
    static final long QUARANTINE_NANOS = 10_000_000_000L;
    /** One decision in this many is timed for the ROUTING stage histogram; a power of two. */
    static final int ROUTING_SAMPLE = 16;
    /** A decision that was not timed. */
    private static final long UNTIMED = -1;
    /** A timed decision that takes this long is reported: no strategy needs a millisecond, a blocking one does. */
    static final long SLOW_DECISION_NANOS = 1_000_000L;

    final RoutingStrategy strategy;
    final String strategyName;
    /** The strategy as version 2, or null: then it gets a candidate list. */
    private final IndexedRoutingStrategy indexed;
    /** Whether the strategy overrides any callback: if not, a task costs no callback at all. */
    private final boolean wantsEvents;
    final CandidateSet candidates = new CandidateSet();
    private final PoolView view;
    final RoutingDecision decision = new RoutingDecision();
    private final FaultLog strategyFaults;
    /** Apart from the faults: a quarantine after a fault logged a moment before must not be muted by that one. */
    private final FaultLog quarantines;
    /** Decisions that took {@link #SLOW_DECISION_NANOS} or more, of those timed; package-private for its test. */
    final FaultLog slowDecisions;
    private int strategyFaultsInARow;
    private boolean strategyQuarantined;
    private long strategyQuarantinedUntilNanos;
    /** Per lane id, the pool generation the strategy was last told of; a stale one is announced before any event. */
    private int[] announced = new int[4];
    /** The pool position of the agent the last decision chose, if it chose one. */
    int chosenPosition = -1;
    /** The clock of the last decision: callbacks that come without one (releases) reuse it. */
    private long lastNow;
    private int decisions;
    /** The decision under way was made by the built-in choice (a fault or the quarantine). */
    private boolean fellBack;
    /** The provenance of the last decision, for the listeners of its assignment. */
    final DecisionTrail trail;
    /** Null for the live selection: it acts; the shadow's decisions are only compared. */
    private final Shadow shadowOf;
    /** The shadow that decides alongside this live selection, or null. */
    private final Shadow shadow;

    Selection(final Router router, final RoutingStrategy strategy, final RoutingStrategy shadowStrategy)
    {
        this(router, strategy, null, shadowStrategy);
    }

    private Selection(final Router router, final RoutingStrategy strategy, final Shadow shadowOf,
                      final RoutingStrategy shadowStrategy)
    {
        super(router);
        this.strategy = strategy;
        this.strategyName = strategy.name();
        this.indexed = strategy instanceof IndexedRoutingStrategy ? (IndexedRoutingStrategy)strategy : null;
        this.wantsEvents = overridesCallbacks(strategy.getClass());
        this.view = new PoolView(router);
        this.shadowOf = shadowOf;
        this.strategyFaults = new FaultLog(Router.LOG, (shadowOf == null ? "routing" : "shadow") + " strategy '" +
            strategyName + "'");
        this.quarantines = new FaultLog(Router.LOG, (shadowOf == null ? "routing" : "shadow") + " strategy '" +
            strategyName + "'");
        this.slowDecisions = FaultLog.warnings(Router.LOG, "routing strategy '" + strategyName + "'");
        this.trail = new DecisionTrail(strategyName, versionOf(strategy), decision);
        this.shadow = shadowStrategy == null ? null : new Shadow(router, shadowStrategy, counters);
        if (shadow != null)
        {
            trail.shadowStrategy = shadow.name;
        }
    }

    /** @return the strategy's {@link RoutingStrategy#version()}, or 0 (unknown) if asking threw. */
    private static int versionOf(final RoutingStrategy strategy)
    {
        try
        {
            return strategy.version();
        }
        catch (final Throwable e)
        {
            Router.LOG.warn("routing strategy '{}' threw from version(); its decisions are journaled as version 0",
                strategy.name(), e);
            return 0;
        }
    }

    /** A selection that runs {@code strategy} as a shadow: faults are the shadow's, and a failed decision picks nobody. */
    static Selection forShadow(final Router router, final RoutingStrategy strategy, final Shadow shadow)
    {
        return new Selection(router, strategy, shadow, null);
    }

    /**
     * Routes the task with the strategy, then lets the shadow, if any, decide on it too: on every decision, also one
     * the live strategy declined, so a shadow that is the live strategy stays in step with it (a declining decision
     * may draw random numbers too); only those that placed the task are compared.
     */
    AgentState route(final Lane lane, final TaskRecord r, final long now)
    {
        final AgentState chosen = choose(lane, r, now);
        if (shadowOf == null)
        {
            final Shadow s = shadow == null ? null : shadow.decide(lane, r, now, chosen);
            if (chosen != null)
            {
                trail.decided(chosen, lane, s);
            }
        }
        return chosen;
    }

    private AgentState choose(final Lane lane, final TaskRecord r, final long now)
    {
        lastNow = now;
        if (indexed != null)
        {
            return routeIndexed(lane, r, now);
        }
        final CandidateSet c = candidates;
        collect(lane.index, r.task, now, c);
        if (c.size() == 0)
        {
            return null;
        }
        decision.reset();
        trail.candidates = c.size();
        fellBack = false;
        int chosen;
        long took = UNTIMED;
        if (quarantined(now))
        {
            chosen = fallback(c);
        }
        else
        {
            // a version 1 strategy may size per-position arrays in onPoolChanged too: it hears of the pool first
            announce(lane, now);
            try
            {
                final long called = timed() ? System.nanoTime() : 0;
                chosen = strategy.select(r, c, decision);
                took = tookIfTimed(called);
                if (chosen != RoutingStrategy.DECLINE && (chosen < 0 || chosen >= c.size()))
                {
                    strategyFailed(now, "returned index " + chosen + " for " + c.size() + " candidates", null);
                    chosen = fallback(c);
                }
                else
                {
                    strategyFaultsInARow = 0;
                }
            }
            catch (final Throwable e)
            {
                strategyFailed(now, "threw", e);
                chosen = fallback(c);
            }
        }
        if (took != UNTIMED)
        {
            stages.record(Stage.ROUTING, took);
        }
        if (chosen == RoutingStrategy.DECLINE)
        {
            return null;
        }
        placed();
        chosenPosition = c.poolPosition(chosen);
        return c.agent(chosen);
    }

    /** Version 2: no candidate list; the strategy's index asks the pool per agent. */
    private AgentState routeIndexed(final Lane lane, final TaskRecord r, final long now)
    {
        if (lane.index.pool().length == 0)
        {
            return null;
        }
        final boolean quarantined = quarantined(now);
        if (!quarantined)
        {
            announce(lane, now);
        }
        final PoolView pool = view.forTask(lane, r.task, now);
        decision.reset();
        // counting costs O(pool / 64): only when a listener (the journal) will read it
        trail.candidates = shadowOf == null && listener.any() ? pool.eligibleCount() : -1;
        fellBack = false;
        int chosen;
        long took = UNTIMED;
        if (quarantined)
        {
            chosen = fallback(pool);
        }
        else
        {
            try
            {
                final long called = timed() ? System.nanoTime() : 0;
                chosen = indexed.route(r, pool, decision);
                took = tookIfTimed(called);
                if (chosen != RoutingStrategy.DECLINE && !pool.isEligible(chosen))
                {
                    // a fault path: the strings are built only when the strategy already failed
                    strategyFailed(now, "returned position " + chosen + (chosen < 0 || chosen >= pool.size() ?
                        ", which is out of range (pool of " + pool.size() + ", positions 0 to " + (pool.size() - 1) +
                        ")" : ", which is not eligible (pool of " + pool.size() + ")"), null);
                    chosen = fallback(pool);
                }
                else
                {
                    strategyFaultsInARow = 0;
                }
            }
            catch (final Throwable e)
            {
                strategyFailed(now, "threw", e);
                chosen = fallback(pool);
            }
        }
        if (took != UNTIMED)
        {
            stages.record(Stage.ROUTING, took);
        }
        if (chosen < 0)
        {
            return null;
        }
        placed();
        chosenPosition = chosen;
        return pool.state(chosen);
    }

    /** @return whether this decision is one of the sampled ones: a pair of clock reads costs more than a decision. */
    private boolean timed()
    {
        return shadowOf == null && (++decisions & (ROUTING_SAMPLE - 1)) == 0;
    }

    /**
     * A timed decision's strategy call, from {@code calledNanos} (0: not timed) to its return, reported if slow; not
     * the announcement before it (an index rebuilt on a pool change may take a while) nor a fault's logging after. Why:
     * a strategy that blocks (a call out, a lock, a sleep) holds the routing role, so every task behind it waits, and
     * the only trace used to be the ROUTING histogram (a trial's strategy sleeping 50 ms per decision ran the demo at
     * 19 tasks/s, then failed to drain, with nothing naming the strategy).
     *
     * @return how long the call took, for the ROUTING histogram, or {@link #UNTIMED}.
     */
    private long tookIfTimed(final long calledNanos)
    {
        if (calledNanos == 0)
        {
            return UNTIMED;
        }
        final long nanos = System.nanoTime() - calledNanos;
        if (nanos >= SLOW_DECISION_NANOS)
        {
            slowDecisions.report("took " + nanos / 1_000 + " us to decide on one task (one decision in " + ROUTING_SAMPLE +
                " is timed; a GC pause or a descheduled thread can cause one such sample); a strategy runs on the thread " +
                "that routes every task, so each task behind it waited as long: a strategy must never block (no calls " +
                "out, locks or sleeps in select or route)", null);
        }
        return nanos;
    }

    private static final int ASSIGNED = 0;
    private static final int RELEASED = 1;
    private static final int TELEMETRY = 2;

    /** The agent was given a task (its counters already moved): tells the strategy, and the shadow's, if they listen. */
    void assigned(final AgentState agent, final TaskRecord r, final long now)
    {
        if (agent.lane.index.holds(agent)) // a removed agent's last tasks are nobody's business
        {
            assigned(agent.lane, agent.poolPosition, r, now);
        }
    }

    /**
     * As {@link #assigned(AgentState, TaskRecord, long)} for the agent at {@code position} of the lane's pool, given
     * by the caller that has it (the decision just made), so that the agent object is not read for it.
     */
    void assigned(final Lane lane, final int position, final TaskRecord r, final long now)
    {
        tell(ASSIGNED, lane, position, r, now);
        if (shadow != null)
        {
            shadow.selection.tell(ASSIGNED, lane, position, r, now);
        }
    }

    /** A task left the agent (its counters already moved): tells the strategy, and the shadow's, if they listen. */
    void released(final AgentState agent, final TaskRecord r)
    {
        final Lane lane = agent.lane;
        if (!lane.index.holds(agent))
        {
            return;
        }
        final int position = agent.poolPosition;
        tell(RELEASED, lane, position, r, lastNow);
        if (shadow != null)
        {
            shadow.selection.tell(RELEASED, lane, position, r, lastNow);
        }
    }

    /** A result changed the agent's latency estimates and telemetry: tells the strategy, and the shadow's, if they listen. */
    void telemetry(final AgentState agent, final long now)
    {
        final Lane lane = agent.lane;
        lane.index.latencyChanged(agent);
        if (!lane.index.holds(agent))
        {
            return;
        }
        tell(TELEMETRY, lane, agent.poolPosition, null, now);
        if (shadow != null)
        {
            shadow.selection.tell(TELEMETRY, lane, agent.poolPosition, null, now);
        }
    }

    /** @return the shadow running alongside, or null. */
    Shadow shadow()
    {
        return shadow;
    }

    /** @param position the agent's position in the lane's pool, which holds it */
    private void tell(final int event, final Lane lane, final int position, final TaskRecord r, final long now)
    {
        if (!wantsEvents || quarantined(now))
        {
            return;
        }
        announce(lane, now);
        final PoolView pool = view.of(lane, now);
        try
        {
            switch (event)
            {
                case ASSIGNED -> strategy.onAssigned(pool, position, r);
                case RELEASED -> strategy.onReleased(pool, position, r);
                default -> strategy.onTelemetry(pool, position);
            }
        }
        catch (final Throwable e)
        {
            callbackFailed(lane, event == ASSIGNED ? "onAssigned" : event == RELEASED ? "onReleased" : "onTelemetry", e);
        }
    }

    /**
     * Called before a load moves outside a decision (a release, an unbinding): a pool change not yet announced is
     * announced now. Why: announced lazily at the event's own callback, {@code onPoolChanged} showed a pool that already
     * counted the event, so an index rebuilt there and then told {@code onReleased} counted the release twice.
     */
    void beforeLoadChange(final Lane lane)
    {
        if (wantsEvents && !quarantined(lastNow))
        {
            announce(lane, lastNow);
        }
        if (shadow != null)
        {
            shadow.selection.beforeLoadChange(lane);
        }
    }

    /** Tells the strategy of a pool it has not seen in its current shape; a no-op for one that does not listen. */
    private void announce(final Lane lane, final long now)
    {
        if (!wantsEvents)
        {
            return;
        }
        final int id = lane.id;
        if (id >= announced.length)
        {
            announced = java.util.Arrays.copyOf(announced, Math.max(id + 1, announced.length * 2));
        }
        final int generation = lane.index.generation;
        if (announced[id] == generation)
        {
            return;
        }
        announced[id] = generation;
        try
        {
            strategy.onPoolChanged(view.of(lane, now));
        }
        catch (final Throwable e)
        {
            callbackFailed(lane, "onPoolChanged", e);
        }
    }

    /** A callback threw: the strategy's index may have missed the event, so the pool is announced again next time. */
    private void callbackFailed(final Lane lane, final String callback, final Throwable e)
    {
        announced[lane.id] = 0;
        if (shadowOf == null)
        {
            Counters.increment(counters.strategyCallbackFaults);
        }
        strategyFailed(lastNow, callback + " threw", "; the pool is announced again (onPoolChanged) before the next event, " +
            "so the strategy's index can rebuild", e);
    }

    private boolean quarantined(final long now)
    {
        if (strategyQuarantined && now - strategyQuarantinedUntilNanos >= 0)
        {
            strategyQuarantined = false;
            java.util.Arrays.fill(announced, 0); // it missed every event meanwhile: each pool is announced afresh
        }
        return strategyQuarantined;
    }

    static boolean overridesCallbacks(final Class<?> type)
    {
        for (final java.lang.reflect.Method m : RoutingStrategy.class.getMethods())
        {
            if (m.isDefault() && m.getName().startsWith("on"))
            {
                try
                {
                    if (type.getMethod(m.getName(), m.getParameterTypes()).getDeclaringClass() != RoutingStrategy.class)
                    {
                        return true;
                    }
                }
                catch (final NoSuchMethodException impossible)
                {
                    return true;
                }
            }
        }
        return false;
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

    /**
     * Counts a task placed for the live strategy, and whether the built-in choice placed it: with both, a report tells
     * a strategy that never placed a task (every placement a fallback) from one that failed now and then. Declines are
     * not counted: a strategy that declines, then throws when asked again, still placed nothing. Decisions first: a
     * reader takes fallbacks first, so it never sees more of them than decisions.
     */
    private void placed()
    {
        if (shadowOf == null)
        {
            trail.fellBack = fellBack;
            Counters.increment(counters.strategyDecisions);
            if (fellBack)
            {
                Counters.increment(counters.strategyFallbacks);
            }
        }
    }

    /** After a fault or in quarantine: the built-in choice, or none for a shadow, whose decisions are only compared. */
    private int fallback(final CandidateSet c)
    {
        if (shadowOf != null)
        {
            return RoutingStrategy.DECLINE;
        }
        fellBack = true;
        return Fallback.choice(c);
    }

    private int fallback(final PoolView pool)
    {
        if (shadowOf != null)
        {
            return RoutingStrategy.DECLINE;
        }
        fellBack = true;
        return Fallback.choice(pool);
    }

    void strategyFailed(final long now, final String what, final Throwable e)
    {
        strategyFailed(now, what, shadowOf != null ? "; the shadow's decision is not compared, dispatch goes on" :
            "; this decision falls back to the candidate with the fewest tasks in flight", e);
    }

    private void strategyFailed(final long now, final String what, final String consequence, final Throwable e)
    {
        if (shadowOf != null)
        {
            shadowOf.failed();
        }
        else
        {
            Counters.increment(counters.strategyFaults);
        }
        if (++strategyFaultsInARow >= QUARANTINE_AFTER_FAULTS)
        {
            // a strategy that keeps failing costs a fault per task: route with the fallback for a while, then probe
            strategyFaultsInARow = 0;
            strategyQuarantined = true;
            strategyQuarantinedUntilNanos = now + QUARANTINE_NANOS;
            if (shadowOf == null)
            {
                Counters.increment(counters.strategyQuarantines);
            }
            quarantines.report(what + " " + QUARANTINE_AFTER_FAULTS + " times in a row; quarantined for " +
                QUARANTINE_NANOS / 1_000_000_000L + (shadowOf != null ? " s, not shadowing meanwhile" :
                " s, routing with the built-in least-in-flight choice meanwhile"), e);
        }
        else
        {
            strategyFaults.report(what + consequence, e);
        }
    }
}
