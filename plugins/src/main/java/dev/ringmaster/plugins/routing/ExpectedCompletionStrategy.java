package dev.ringmaster.plugins.routing;

import dev.ringmaster.plugins.routing.index.BusyByEfficiency;
import dev.ringmaster.plugins.routing.index.FixedPerMask;
import dev.ringmaster.plugins.routing.index.Pools;
import dev.ringmaster.plugins.routing.index.ScoreIndex;
import dev.ringmaster.spi.AgentPool;
import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.Candidates;
import dev.ringmaster.spi.IndexedRoutingStrategy;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.RoutingStrategy;
import dev.ringmaster.spi.RoutingStrategyProvider;
import dev.ringmaster.spi.TaskView;

/**
 * Expected completion time: places the task on the agent with a free slot that is expected to finish it first, and
 * declines (holds the task in the central queue) while a faster busy agent is expected to free up and finish it
 * sooner than that, the threshold rule of Lin and Kumar for heterogeneous servers; O(log n) in the pool indexed, O(n)
 * as a version 1 scan. Called by the routing role's holder, one thread at a time; its running mean of cost
 * estimates, clock, held tasks and indexes are plain fields, and it allocates nothing per decision.
 *
 * <p>The task's time on agent a is {@code unit x size / (speed x proficiency)}: speed as declared, proficiency the
 * mean over the task's required skills (as skill-based scores it, 1 for none), size the task's cost estimate over the
 * mean estimate of the tasks placed so far (1 without one), and unit the pool's nanoseconds per mean task at speed 1,
 * the mean of {@code expectedLatencyNanos x speed} over the agents with {@link AgentView#WARM_RESULTS} results. A
 * candidate finishes at {@link AgentView#expectedFreeNanos()} plus that time. Cold start: an agent without its own
 * estimate is taken to run at unit / speed; before any agent has one, candidates are ranked in units of the mean task
 * and nothing is declined, since there is no time to compare a wait with.
 *
 * <p>Holding: agents whose slots are all taken (candidates with inbox room included: a task parked in an inbox waits
 * for that agent, or is stolen by whichever idle agent comes first, slow or not) free slots at a combined rate of
 * {@code sum(capacity / latency)}; a held task gets one after their backlog and the tasks of its type this strategy
 * holds ahead of it, and then runs at the slowest of their speeds. Only agents faster for the task than the best free
 * candidate count, so with a faster agent free nothing is held; with no free candidate at all the task is held for
 * the first slot that frees, where it is placed by the same rule.
 *
 * <p>Starvation: a declined task is set aside and retried when candidates change. It is held only while it has
 * waited less than {@code patience} x its expected completion on the best agent with room now (default
 * {@value #DEFAULT_PATIENCE}, system property {@value #PATIENCE_PROPERTY}), by a clock that is the newest acceptance
 * time among the tasks seen, and at most {@value #MAX_DECLINES} times, which bounds the wait when no task arrives
 * and that clock stops. The score reported is the negated expected completion in nanoseconds (in units of the mean
 * task before any estimate), higher is better.
 *
 * <p>Indexed (version 2, what the dispatcher calls): a free agent's completion is its time for the task alone, so the
 * best free agent is the most efficient one for the task's skills, kept in a {@link ScoreIndex} (an agent with every
 * slot taken is ranked below every free one); the hold estimate's sums over the busy agents faster than it and the
 * pool's unit come from {@link BusyByEfficiency}; both are kept current by the callbacks, so a decision is
 * O(log n). Only when no free agent is eligible are the eligible ones (agents with inbox room) scanned, for the one
 * whose slot frees first. A task that names its agent goes there. Ties go to the agent picked longest ago rather than
 * to the next in the scan's turn, and sums are added in another order: the contract test holds the indexed route to
 * the scan's decisions and scores.
 */
public final class ExpectedCompletionStrategy implements IndexedRoutingStrategy
{
    public static final String NAME = "expected-completion";
    public static final String PATIENCE_PROPERTY = "ringmaster.expected-completion.patience";
    public static final double DEFAULT_PATIENCE = 2.0;
    /** Floor of speed x proficiency: a proficiency of 0 would make the time infinite and the agent never chosen. */
    static final double MIN_EFFICIENCY = 1e-3;
    /** Held tasks tracked at once: the router sets aside at most 16 per priority level (64) of each agent type. */
    static final int HELD_TRACKED = 64;
    /**
     * Declines of one task after which it is placed whatever the estimates say: the clock of the patience rule stops
     * when no task arrives, and an agent that hangs keeps promising to free up soon.
     */
    static final int MAX_DECLINES = 256;
    /** A held task not seen again for this many mean tasks at speed 1 was cancelled or expired: forget it. */
    static final double STALE_UNITS = 100;

    private final double patience;
    private double costSum;
    private long costCount;
    private long latestAcceptedNanos = Long.MIN_VALUE;
    private final HeldTasks held = new HeldTasks(HELD_TRACKED);
    /** Where the next scan starts: just after the last winner, so equal agents take turns. */
    private int cursor;
    private final Lowest free = new Lowest();
    private final Lowest queued = new Lowest();
    /** Speed and proficiency are the agent's spec: its efficiency for a mask is fixed while it is in the pool. */
    private final FixedPerMask efficiencies = new FixedPerMask(ExpectedCompletionStrategy::efficiency);
    /**
     * Version 2: agents by efficiency for the task while they have a free slot, below every free one otherwise; whether
     * a slot is free is read from the pool's flat records, so a busy agent's re-key does not read the agent object.
     */
    private final ScoreIndex freeIndex = new ScoreIndex(
        (ScoreIndex.PositionScorer)(pool, position, required) -> pool.inFlight(position) < pool.capacity(position) ?
            efficiencies.get(pool, position, required) : NOT_FREE, null);
    private final BusyByEfficiency busy = new BusyByEfficiency(ExpectedCompletionStrategy::efficiency);
    /** The indexed score of an agent without a free slot: below any efficiency. */
    private static final double NOT_FREE = -1;

    /** @param patience how long a task may be held for a faster agent, in multiples of its best completion now. */
    public ExpectedCompletionStrategy(final double patience)
    {
        this.patience = Weights.check(NAME, "patience", patience);
    }

    /** Patience from the system property, else {@value #DEFAULT_PATIENCE}. */
    public ExpectedCompletionStrategy()
    {
        this(Weights.fromProperty(PATIENCE_PROPERTY, DEFAULT_PATIENCE));
    }

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public int select(final TaskView task, final Candidates candidates, final RoutingDecision decision)
    {
        final long required = task.task().requiredSkills();
        final double size = seen(task);
        final double unit = unitNanos(candidates);
        final double scale = unit > 0 ? unit : 1.0;
        final int n = candidates.size();
        final int start = cursor < n ? cursor : 0;
        final Lowest free = this.free.reset();
        final Lowest queued = this.queued.reset();
        for (int k = 0; k < n; k++)
        {
            final int i = Lowest.rotated(k, start, n);
            final AgentView a = candidates.get(i);
            // an agent whose slots are all taken has room only in its inbox: a task parked there waits for this agent
            // (or a thief) instead of the first slot that frees anywhere, so it is an option to hold out for, not to
            // bind to yet
            (a.inFlight() >= a.capacity() ? queued : free).offer(i, completion(a, required, size, scale));
        }
        int best = free.index;
        double bestTime = free.cost;
        final int ahead = mayHold(task, unit, best >= 0 ? bestTime : queued.cost);
        if (ahead >= 0)
        {
            final double floor = best >= 0 ? efficiency(candidates.get(best), required) : 0;
            if (best < 0 || holdCompletion(candidates, required, size, unit, floor, ahead) < bestTime)
            {
                return hold(task);
            }
        }
        if (best < 0)
        {
            best = queued.index;
            bestTime = queued.cost;
        }
        decision.explain(-bestTime, -(best == free.index ? free.secondOrNaN() : queued.secondOrNaN()));
        cursor = best + 1;
        placed(task);
        return best;
    }

    /** Counts the task's acceptance time into the clock. @return its size: its cost estimate over the mean, or 1. */
    private double seen(final TaskView task)
    {
        final long cost = task.task().costTokens();
        if (task.acceptedNanos() > latestAcceptedNanos)
        {
            latestAcceptedNanos = task.acceptedNanos();
        }
        return cost > 0 && costCount > 0 ? cost / (costSum / costCount) : 1.0;
    }

    /**
     * @return the tasks held ahead of this one if it may still be held (estimates known, patience and declines left),
     *     else -1; {@code now} is its expected completion on the best agent it could be given now.
     */
    private int mayHold(final TaskView task, final double unit, final double now)
    {
        final long sequence = task.sequence();
        if (unit > 0 && (double)(latestAcceptedNanos - task.acceptedNanos()) < patience * now &&
            held.declines(sequence) < MAX_DECLINES)
        {
            final long oldest = latestAcceptedNanos - (long)(STALE_UNITS * unit);
            return held.ahead(sequence, task.task().type(), oldest);
        }
        return -1;
    }

    private int hold(final TaskView task)
    {
        held.hold(task.sequence(), task.acceptedNanos(), task.task().type());
        return DECLINE;
    }

    /** The task is placed: it is no longer held, and its cost counts in the mean. */
    private void placed(final TaskView task)
    {
        if (held.size() > 0)
        {
            held.release(task.sequence());
        }
        final long cost = task.task().costTokens();
        if (cost > 0)
        {
            costSum += cost; // placed tasks only: a task declined ten times must not weigh ten times
            costCount++;
        }
    }

    /** @return nanoseconds per mean task at speed 1 over the pool's measured agents, 0 while none is measured. */
    static double unitNanos(final Candidates candidates)
    {
        double sum = 0;
        int warm = 0;
        for (int i = 0, n = candidates.poolSize(); i < n; i++)
        {
            final AgentView a = candidates.poolAgent(i);
            final double latency = a.expectedLatencyNanos();
            if (latency > 0)
            {
                sum += latency * a.speed();
                warm++;
            }
        }
        return warm == 0 ? 0 : sum / warm;
    }

    static double efficiency(final AgentView a, final long required)
    {
        return Math.max(MIN_EFFICIENCY, a.speed() * SkillBasedStrategy.skill(a, required));
    }

    /** @return when the agent is expected to finish the task: the wait for a slot plus the task's time there. */
    static double completion(final AgentView a, final long required, final double size, final double unit)
    {
        final double own = a.expectedLatencyNanos();
        final double wait = own > 0 ? a.expectedFreeNanos() :
            AgentView.expectedFreeNanos(a.inFlight(), a.capacity(), unit / a.speed());
        return wait + unit * size / efficiency(a, required);
    }

    /**
     * @return when the task would finish if held for a busy agent faster for it than {@code floor}: the agents that
     *     have the skills, are in service and have every slot taken (candidates with inbox room or not) free slots at
     *     a combined rate of {@code sum(capacity / latency)}; the task gets one after their own backlog and the
     *     {@code ahead} tasks held before it, then runs at the slowest of their speeds. {@link Double#MAX_VALUE} if
     *     there is no such agent.
     */
    private static double holdCompletion(final Candidates candidates, final long required, final double size,
                                         final double unit, final double floor, final int ahead)
    {
        double rate = 0;
        int backlog = ahead;
        double slowest = 0;
        for (int i = 0, n = candidates.poolSize(); i < n; i++)
        {
            final AgentView b = candidates.poolAgent(i);
            final int inFlight = b.inFlight();
            final int capacity = b.capacity();
            if (inFlight < capacity || (required & ~b.spec().skillMask()) != 0 || b.draining() || b.ejected())
            {
                continue; // idle but not a candidate (paused, out of budget): nothing to wait for
            }
            final double efficiency = efficiency(b, required);
            if (efficiency <= floor)
            {
                continue;
            }
            final double own = b.expectedLatencyNanos();
            rate += capacity / (own > 0 ? own : unit / b.speed());
            backlog += inFlight - capacity + 1;
            slowest = Math.max(slowest, unit * size / efficiency);
        }
        return rate == 0 ? Double.MAX_VALUE : backlog / rate + slowest;
    }

    @Override
    public int route(final TaskView task, final AgentPool pool, final RoutingDecision decision)
    {
        final int target = Pools.target(task, pool);
        if (target != Pools.NOT_TARGETED)
        {
            return target;
        }
        final long required = task.task().requiredSkills();
        final double size = seen(task);
        final double unit = busy.unitNanos(pool);
        final double scale = unit > 0 ? unit : 1.0;
        int best = freeIndex.best(pool, task);
        double bestTime = Double.MAX_VALUE;
        double runnerUp = Double.NaN;
        double floor = 0;
        if (best >= 0 && freeIndex.bestScore() > 0)
        {
            floor = freeIndex.bestScore();
            bestTime = scale * size / floor; // a free agent waits for nothing: its completion is its own time
            final double second = freeIndex.runnerUpScore();
            runnerUp = second > 0 ? scale * size / second : Double.NaN;
        }
        else
        {
            best = -1;
            final Lowest queued = this.queued.reset();
            for (int p = pool.nextEligible(0); p >= 0; p = p + 1 < pool.size() ? pool.nextEligible(p + 1) : -1)
            {
                queued.offer(p, completion(pool.agent(p), required, size, scale));
            }
            if (queued.index < 0)
            {
                return DECLINE;
            }
        }
        final int ahead = mayHold(task, unit, best >= 0 ? bestTime : queued.cost);
        if (ahead >= 0 && (best < 0 || indexedHoldCompletion(pool, required, size, unit, floor, ahead) < bestTime))
        {
            return hold(task);
        }
        if (best < 0)
        {
            best = queued.index;
            bestTime = queued.cost;
            runnerUp = queued.secondOrNaN();
        }
        decision.explain(-bestTime, -runnerUp);
        placed(task);
        return best;
    }

    /** {@link #holdCompletion} from the index of busy agents by efficiency. */
    private double indexedHoldCompletion(final AgentPool pool, final long required, final double size,
                                         final double unit, final double floor, final int ahead)
    {
        busy.hold(pool, required, floor, unit);
        if (busy.rate == 0)
        {
            return Double.MAX_VALUE;
        }
        return (ahead + busy.backlog) / busy.rate + unit * size / busy.slowestEfficiency;
    }

    @Override
    public void onPoolChanged(final AgentPool pool)
    {
        efficiencies.forget(pool);
        freeIndex.rebuild(pool);
        busy.rebuild(pool);
    }

    @Override
    public void onAssigned(final AgentPool pool, final int position, final TaskView task)
    {
        freeIndex.picked(pool, position);
        busy.loadChanged(pool, position);
    }

    @Override
    public void onReleased(final AgentPool pool, final int position, final TaskView task)
    {
        freeIndex.changed(pool, position);
        busy.loadChanged(pool, position);
    }

    @Override
    public void onTelemetry(final AgentPool pool, final int position)
    {
        busy.changed(pool, position); // its latency moves the unit and its slot rate; its efficiency is fixed
    }

    /** Registers {@link ExpectedCompletionStrategy} with the ServiceLoader; stateless. */
    public static final class Provider implements RoutingStrategyProvider
    {
        @Override
        public String name()
        {
            return NAME;
        }

        @Override
        public String description()
        {
            return "speed- and skill-aware: earliest expected finish (slot wait + size / (speed x proficiency)), may " +
                "hold a task for a faster busy agent; for heterogeneous fleets; O(log n)";
        }

        @Override
        public RoutingStrategy create()
        {
            return new ExpectedCompletionStrategy();
        }
    }
}
