package dev.ringmaster.plugins.routing;

import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.Candidates;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.RoutingStrategy;
import dev.ringmaster.spi.RoutingStrategyProvider;
import dev.ringmaster.spi.TaskView;

/**
 * Expected completion time: places the task on the agent with a free slot that is expected to finish it first, and
 * declines (holds the task in the central queue) while a faster busy agent is expected to free up and finish it
 * sooner than that, the threshold rule of Lin and Kumar for heterogeneous servers; O(n) in the pool. Called by the
 * routing role's holder, one thread at a time; its running mean of cost estimates, clock and held tasks are plain
 * fields, and it allocates nothing per decision.
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
 */
public final class ExpectedCompletionStrategy implements RoutingStrategy
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
        final long cost = task.task().costTokens();
        final double size = cost > 0 && costCount > 0 ? cost / (costSum / costCount) : 1.0;
        final long accepted = task.acceptedNanos();
        if (accepted > latestAcceptedNanos)
        {
            latestAcceptedNanos = accepted;
        }
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
        final double now = best >= 0 ? bestTime : queued.cost;
        final long sequence = task.sequence();
        if (unit > 0 && (double)(latestAcceptedNanos - accepted) < patience * now &&
            held.declines(sequence) < MAX_DECLINES)
        {
            final long oldest = latestAcceptedNanos - (long)(STALE_UNITS * unit);
            final int ahead = held.ahead(sequence, task.task().type(), oldest);
            final double floor = best >= 0 ? efficiency(candidates.get(best), required) : 0;
            if (best < 0 || holdCompletion(candidates, required, size, unit, floor, ahead) < bestTime)
            {
                held.hold(sequence, accepted, task.task().type());
                return DECLINE;
            }
        }
        if (best < 0)
        {
            best = queued.index;
            bestTime = queued.cost;
        }
        if (held.size() > 0)
        {
            held.release(sequence);
        }
        decision.explain(-bestTime, -(best == free.index ? free.secondOrNaN() : queued.secondOrNaN()));
        cursor = best + 1;
        if (cost > 0)
        {
            costSum += cost; // placed tasks only: a task declined ten times must not weigh ten times
            costCount++;
        }
        return best;
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
                "hold a task for a faster busy agent; for heterogeneous fleets; O(n)";
        }

        @Override
        public RoutingStrategy create()
        {
            return new ExpectedCompletionStrategy();
        }
    }
}
