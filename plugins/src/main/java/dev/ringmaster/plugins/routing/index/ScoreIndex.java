package dev.ringmaster.plugins.routing.index;

import dev.ringmaster.spi.AgentPool;
import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.TaskView;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.Arrays;
import java.util.function.ToIntFunction;

/**
 * An index of every pool's agents by a strategy's score, for version 2 strategies: per required-skills mask seen, the
 * agents having those skills ranked by their score for that mask ({@link RankedAgents}), kept current by the
 * strategy's callbacks, so the best eligible agent is found without a scan of the pool. Not thread-safe: used by one
 * strategy instance, which the dispatcher calls one thread at a time.
 *
 * <p>Ranked as an indexed binary heap ({@link ScoreHeap}, O(log n) per change) by default, or, for a strategy whose
 * score takes few distinct values, one bucket per value ({@link ScoreBuckets}: the best in O(1), a pick re-ranked in
 * O(1), a release in O(log m) over contiguous stamps, no sift); both walk the agents in the same order, so they
 * decide alike.
 *
 * <p>Agents without room ({@link AgentPool#hasRoom}) are kept out of the heaps, so a pool of busy agents costs nothing;
 * the rest of eligibility (target, avoidance, probation) is asked of the pool while walking the heap best-first. Equal
 * scores go to the agent picked longest ago ({@link #picked}), and among agents never picked since the pool changed,
 * to the first in pool order, so equal agents take turns as in a round robin.
 *
 * <p>A strategy whose exact score depends on the task as well (its token cost, say) passes an {@link Exact} function
 * bounded above by the indexed score: the walk then stops as soon as no unvisited agent can beat the best found.
 *
 * <p>A score that ignores the required skills (a load) is the same in every mask's heaps, so such an index keeps the
 * heaps of all agents only, and a task needing skills walks them past the agents lacking one: each change then
 * re-keys an agent once instead of once per mask its skills put it in (three for an agent with two skills, when tasks
 * need either or none). A mask whose walk passes more than {@link #SKIP_LIMIT} agents (a rare skill) gets heaps of its
 * own, so its walks stay short.
 *
 * <p>Pools of at most {@link #SCAN_LIMIT} agents keep no heaps: {@link #best} scans the eligible agents (a bit set
 * walk) and scores each live, and assignments, releases and telemetry cost a stamp or nothing. Why: each task re-keys
 * its agent in every heap its skills put it in, at its assignment, its release and its telemetry, and those sifts
 * cost more than scoring a few dozen agents (RouterDecisionLatency: 654 ns per decision at 16 agents with heaps).
 */
public final class ScoreIndex
{
    /** The score an agent is indexed by, higher is better; a pure function of what the agent's view shows. */
    @FunctionalInterface
    public interface Scorer
    {
        double score(AgentView agent, long requiredSkills);
    }

    /**
     * {@link Scorer} by pool position: a strategy whose score needs only what the pool answers by position
     * ({@link AgentPool#inFlight(int)}, {@link AgentPool#capacity(int)}...) reads flat arrays instead of an agent object,
     * which in a pool of thousands is a cache miss at every re-key.
     */
    @FunctionalInterface
    public interface PositionScorer
    {
        double score(AgentPool pool, int position, long requiredSkills);
    }

    /** What a task adds to the indexed score of every agent of one group (e.g. its token cost over their capacity). */
    @FunctionalInterface
    public interface Offset
    {
        double of(int group, TaskView task);
    }

    /** A task-dependent exact score, never above the indexed score of the same agent. */
    @FunctionalInterface
    public interface Exact
    {
        double score(AgentView agent, TaskView task);
    }

    /** Largest pool that is scanned per decision instead of indexed by heaps. */
    public static final int SCAN_LIMIT = 32;

    /** Most heap entries visited past the best to find an eligible runner-up, so that one costs no scan. */
    private static final int RUNNER_UP_LOOKS = 8;

    /**
     * Most agents without the task's skills a walk of the shared heaps may pass before the task's mask gets heaps of its
     * own: a skill few agents have, or only agents ranked low, would otherwise walk most of the pool per decision.
     */
    static final int SKIP_LIMIT = 64;

    private final PositionScorer scorer;
    /** The group of an agent (a key such as its capacity), or null for one group. */
    private final ToIntFunction<AgentView> grouper;
    /** One bucket per distinct score instead of a heap: for scores of few values. */
    private final boolean bucketed;
    /** The score does not depend on the required skills: masks share the heaps of all agents until they are rare. */
    private final boolean skillFree;
    /** Agents without the task's skills passed in the current walk of the shared heaps. */
    private int skipped;
    private PoolHeaps[] pools = new PoolHeaps[0];
    private double runnerUp = Double.NaN;
    private int runnerUpPosition = -1;
    private double bestScore = Double.NaN;
    private int bestPosition = -1;

    public ScoreIndex(final Scorer scorer)
    {
        this(scorer, null);
    }

    /** @param grouper an agent's group, fixed for its life in the pool: one heap per group and required-skills mask. */
    public ScoreIndex(final Scorer scorer, final ToIntFunction<AgentView> grouper)
    {
        this((pool, position, mask) -> scorer.score(pool.agent(position), mask), grouper);
    }

    /** As {@link #ScoreIndex(Scorer, ToIntFunction)}, with a score read from the pool by position. */
    public ScoreIndex(final PositionScorer scorer, final ToIntFunction<AgentView> grouper)
    {
        this(scorer, grouper, false);
    }

    /**
     * @param bucketed true for a score that takes few distinct values (a count over a capacity): one bucket per value
     *     instead of a heap, the same decisions at a lower cost; each value seen and still held costs a bucket.
     */
    public ScoreIndex(final PositionScorer scorer, final ToIntFunction<AgentView> grouper, final boolean bucketed)
    {
        this(scorer, grouper, bucketed, false);
    }

    /**
     * @param skillFree true if the scorer ignores its {@code requiredSkills} argument (a load, a pass): a task needing
     *     skills then walks the heaps of all agents, passing those without the skills, and an agent is re-keyed in
     *     those alone instead of once per mask its skills put it in; a mask whose walks pass more than
     *     {@link #SKIP_LIMIT} agents without them gets heaps of its own, as every mask has otherwise. The decisions
     *     are the same either way.
     */
    public ScoreIndex(final PositionScorer scorer, final ToIntFunction<AgentView> grouper, final boolean bucketed,
                      final boolean skillFree)
    {
        this.scorer = scorer;
        this.grouper = grouper;
        this.bucketed = bucketed;
        this.skillFree = skillFree;
    }

    /** From {@code onPoolChanged}: forgets the pool's heaps; they are rebuilt from the new pool on first use. */
    public void rebuild(final AgentPool pool)
    {
        final int id = pool.id();
        if (id >= pools.length)
        {
            pools = Arrays.copyOf(pools, Math.max(id + 1, pools.length * 2));
        }
        PoolHeaps heaps = pools[id];
        if (heaps == null)
        {
            heaps = new PoolHeaps();
            pools[id] = heaps;
        }
        heaps.reset(pool, grouper);
    }

    /** From {@code onAssigned}: the agent's score changed, and it is now the one picked most recently. */
    public void picked(final AgentPool pool, final int position)
    {
        final PoolHeaps heaps = heaps(pool);
        heaps.stamp[position] = ++heaps.clock;
        if (!heaps.scan)
        {
            changed(pool, position);
        }
    }

    /** From {@code onReleased} or {@code onTelemetry}: the agent's score changed. */
    public void changed(final AgentPool pool, final int position)
    {
        final PoolHeaps heaps = heaps(pool);
        if (heaps.scan)
        {
            return; // scores are read live at the next decision
        }
        final boolean room = pool.hasRoom(position);
        final RankedAgents[] all = heaps.all;
        // skills and group from the heaps' own copy: the agent object is not read per re-key
        final long skills = heaps.skills[position];
        final int group = heaps.group[position];
        for (int i = 0, n = heaps.allCount; i < n; i++)
        {
            final RankedAgents h = all[i];
            if ((h.mask & ~skills) != 0 || h.group != group)
            {
                // never a member: skipped before its membership array is read, a cache miss per heap in a large pool
                continue;
            }
            if (!room)
            {
                if (h.contains(position))
                {
                    h.remove(position, heaps.stamp); // full: out of every walk's way until a release gives it room again
                }
            }
            else if (h.contains(position))
            {
                h.update(position, scorer.score(pool, position, h.mask), heaps.stamp);
            }
            else
            {
                h.add(position, scorer.score(pool, position, h.mask), heaps.stamp);
            }
        }
    }

    /**
     * @return the pool position of the eligible agent with the best score for the task's required skills, or -1 if
     *     none is eligible; {@link #runnerUpScore()} then holds the next best eligible score, NaN if none.
     */
    public int best(final AgentPool pool, final TaskView task)
    {
        return best(pool, task, null, null);
    }

    /** As {@link #best(AgentPool, TaskView)}, ranking by {@code exact} (at most the indexed score) instead. */
    public int best(final AgentPool pool, final TaskView task, final Exact exact)
    {
        return best(pool, task, exact, null);
    }

    /**
     * As {@link #best(AgentPool, TaskView)}, for an index with groups: an agent's score for the task is its indexed
     * score plus {@code offset} of its group, so each group's heap is walked by the index and the groups compared.
     */
    public int best(final AgentPool pool, final TaskView task, final Offset offset)
    {
        return best(pool, task, null, offset);
    }

    private int best(final AgentPool pool, final TaskView task, final Exact exact, final Offset offset)
    {
        final PoolHeaps heaps = heaps(pool);
        if (heaps.scan)
        {
            return scan(pool, task, exact, offset, heaps.stamp);
        }
        final long mask = task.task().requiredSkills();
        // a skill-free index walks a mask's shared heaps until the mask has heaps of its own: one lookup either way
        final RankedAgents[] shared = skillFree && mask != 0 ? heaps.shared(mask, pool, scorer, bucketed) : null;
        final long filter = shared != null ? mask : 0;
        final RankedAgents[] groups = shared != null ? shared : heaps.heaps(mask, pool, scorer, bucketed);
        runnerUp = Double.NaN;
        runnerUpPosition = -1;
        bestPosition = -1;
        bestScore = Double.NEGATIVE_INFINITY;
        skipped = 0;
        for (final RankedAgents h : groups)
        {
            if (!walk(h, heaps, filter, pool, task, exact, offset == null ? 0 : offset.of(h.group, task)))
            {
                // too many agents without the skills in the way: the mask gets heaps of its own from now on
                heaps.promote(mask, pool, scorer, bucketed);
                return best(pool, task, exact, offset);
            }
        }
        return bestPosition;
    }

    /** A small pool: every eligible agent scored live; equal scores to the one picked longest ago, as in the heaps. */
    private int scan(final AgentPool pool, final TaskView task, final Exact exact, final Offset offset, final long[] stamp)
    {
        final long mask = task.task().requiredSkills();
        runnerUp = Double.NaN;
        runnerUpPosition = -1;
        bestPosition = -1;
        bestScore = Double.NEGATIVE_INFINITY;
        for (int p = pool.nextEligible(0); p >= 0; p = pool.nextEligible(p + 1))
        {
            final AgentView agent = pool.agent(p);
            final double score;
            if (exact != null)
            {
                score = exact.score(agent, task);
            }
            else if (offset != null)
            {
                score = scorer.score(pool, p, mask) + offset.of(grouper == null ? 0 : grouper.applyAsInt(agent), task);
            }
            else
            {
                score = scorer.score(pool, p, mask);
            }
            fold(p, score, bestPosition < 0 || score > bestScore || (score == bestScore && stamp[p] < stamp[bestPosition]),
                Double.isNaN(runnerUp) || score > runnerUp);
        }
        return bestPosition;
    }

    /**
     * Walks one heap best-first, folding its eligible agents into the best and runner-up found so far; agents lacking
     * a skill of {@code filter} (shared heaps) are passed as if the heap did not hold them.
     *
     * @return false if more than {@link #SKIP_LIMIT} agents were passed so, the walk left unfinished
     */
    private boolean walk(final RankedAgents h, final PoolHeaps heaps, final long filter, final AgentPool pool,
                         final TaskView task, final Exact exact, final double offset)
    {
        final long[] stamp = heaps.stamp;
        int found = 0;
        int looks = RUNNER_UP_LOOKS;
        for (int position = h.first(stamp); position >= 0; position = h.next(stamp))
        {
            final double bound = h.key[position] + offset;
            if (exact != null && bestPosition >= 0 && !(bound > bestScore))
            {
                break; // ranked exactly: nobody left here can beat the best, as the rest of the heap is bounded by this
            }
            if (exact == null && (bound < runnerUp || (bound == runnerUp && stamp[position] > stamp[runnerUpPosition])))
            {
                // ranked by the index, a later group: nobody left here can beat the best or the runner-up found in
                // the groups before, an equal score included, as the rest of the heap was picked more recently (never
                // while there is no runner-up: a comparison with NaN is false)
                break;
            }
            if (filter != 0 && (filter & ~heaps.skills[position]) != 0)
            {
                if (++skipped > SKIP_LIMIT)
                {
                    return false;
                }
                continue;
            }
            if (exact == null && (found == 2 || (found == 1 && --looks < 0)))
            {
                // ranked by the index: this heap's first eligible is its best, and the next eligible (most often a
                // child of it, a few steps at most) its runner-up for the audit trail
                break;
            }
            if (!pool.isEligible(position))
            {
                continue;
            }
            found++;
            final double score = exact == null ? bound : exact.score(pool.agent(position), task);
            // ranked by the index, an equal score in another group goes to the agent picked longest ago, as in a scan
            // (within a group the walk meets it first); without that, the first group took every tie, and with
            // least-tokens' groups (capacities) the agents of the others sat idle while all loads were equal
            final boolean older = exact == null && bestPosition >= 0 && stamp[position] < stamp[bestPosition];
            fold(position, score, bestPosition < 0 || score > bestScore || (score == bestScore && older),
                Double.isNaN(runnerUp) || score > runnerUp ||
                    (exact == null && score == runnerUp && stamp[position] < stamp[runnerUpPosition]));
        }
        return true;
    }

    /**
     * Folds an eligible agent into the best and runner-up so far: it becomes the best if it {@code wins}, else the
     * runner-up if it {@code beatsRunnerUp}.
     */
    private void fold(final int position, final double score, final boolean wins, final boolean beatsRunnerUp)
    {
        if (wins)
        {
            if (bestPosition >= 0)
            {
                runnerUp = bestScore;
                runnerUpPosition = bestPosition;
            }
            bestPosition = position;
            bestScore = score;
        }
        else if (beatsRunnerUp)
        {
            runnerUp = score;
            runnerUpPosition = position;
        }
    }

    /**
     * @return the best indexed score among the pool's agents with room that have every skill of {@code skills}, other
     *     than the one at {@code exclude}, whatever else a task's eligibility asks (target, avoidance, probation); NaN
     *     if none. For a strategy's own clock (stride scheduling's virtual time): the tops of the mask's heaps (or of
     *     the shared heaps, past agents without the skills), or a walk of at most {@link #SCAN_LIMIT} agents.
     */
    public double bestWithRoom(final AgentPool pool, final int exclude, final long skills)
    {
        final PoolHeaps heaps = heaps(pool);
        double best = Double.NaN;
        if (heaps.scan)
        {
            for (int p = 0; p < heaps.size; p++)
            {
                if (p != exclude && (skills & ~heaps.skills[p]) == 0 && pool.hasRoom(p))
                {
                    final double score = scorer.score(pool, p, skills);
                    best = best == best && best >= score ? best : score;
                }
            }
            return best;
        }
        final RankedAgents[] shared = skillFree && skills != 0 ? heaps.shared(skills, pool, scorer, bucketed) : null;
        final long filter = shared != null ? skills : 0;
        int passed = 0;
        for (final RankedAgents h : shared != null ? shared : heaps.heaps(skills, pool, scorer, bucketed))
        {
            int p = h.first(heaps.stamp);
            while (p >= 0 && (p == exclude || (filter & ~heaps.skills[p]) != 0))
            {
                if (p != exclude && ++passed > SKIP_LIMIT)
                {
                    heaps.promote(skills, pool, scorer, bucketed); // a rare skill: its own heaps, as for best
                    return bestWithRoom(pool, exclude, skills);
                }
                p = h.next(heaps.stamp);
            }
            if (p >= 0)
            {
                best = best == best && best >= h.key[p] ? best : h.key[p];
            }
        }
        return best;
    }

    /** @return the winner's score in the last {@link #best} call (exact, if ranked exactly). */
    public double bestScore()
    {
        return bestScore;
    }

    /** @return the runner-up's score in the last {@link #best} call, NaN if no other agent was eligible. */
    public double runnerUpScore()
    {
        return runnerUp;
    }

    /** @return the runner-up's pool position in the last {@link #best} call, -1 if none. */
    public int runnerUpPosition()
    {
        return runnerUpPosition;
    }

    /**
     * @return how many required-skills masks (none included) have heaps of their own in the pool's index: every mask
     *     decided on, unless the scores ignore the skills, when only mask 0 and the rare masks do; for tests and
     *     diagnostics.
     */
    public int maskHeaps(final AgentPool pool)
    {
        return heaps(pool).byMask.size();
    }

    private PoolHeaps heaps(final AgentPool pool)
    {
        final int id = pool.id();
        if (id >= pools.length || pools[id] == null || pools[id].size != pool.size())
        {
            rebuild(pool); // not announced (a host that calls route without onPoolChanged): index it now
        }
        return pools[id];
    }

    /** One pool's heaps, by required-skills mask. */
    private static final class PoolHeaps
    {
        int size = -1;
        /** At most {@link #SCAN_LIMIT} agents: no heaps, scanned per decision. */
        boolean scan;
        long[] stamp = new long[0];
        /** Each agent's skill mask and group, fixed while it is in the pool, copied at the pool's change. */
        long[] skills = new long[0];
        int[] group = new int[0];
        long clock;
        /** Every mask's heaps, {@link #allCount} of them: each change re-ranks the agent in those it belongs to. */
        RankedAgents[] all = new RankedAgents[8];
        int allCount;
        final Long2ObjectHashMap<RankedAgents[]> byMask = new Long2ObjectHashMap<>();
        /** Per mask walked in the shared heaps: mask 0's heaps of the groups having its skills, in that mask's order. */
        final Long2ObjectHashMap<RankedAgents[]> sharedByMask = new Long2ObjectHashMap<>();
        /** In {@link #sharedByMask}: the mask has heaps of its own. */
        private static final RankedAgents[] PROMOTED = new RankedAgents[0];

        void reset(final AgentPool pool, final ToIntFunction<AgentView> grouper)
        {
            final int size = pool.size();
            this.size = size;
            scan = size <= SCAN_LIMIT;
            stamp = new long[size];
            skills = new long[size];
            group = new int[size];
            for (int p = 0; p < size; p++)
            {
                final AgentView a = pool.agent(p);
                skills[p] = a.spec().skillMask();
                group[p] = grouper == null ? 0 : grouper.applyAsInt(a);
                // unique stamps below every pick's: agents never picked take turns in pool order, in a scan as
                // before and in a heap, where equal stamps used to leave the order to the heap's layout
                stamp[p] = p - (long)size;
            }
            clock = 0;
            Arrays.fill(all, null);
            allCount = 0;
            byMask.clear();
            sharedByMask.clear();
        }

        /** @return the groups of the agents having the mask's skills, in the order of their first such agent. */
        private org.agrona.collections.IntArrayList groupsWith(final long mask)
        {
            final org.agrona.collections.IntArrayList groups = new org.agrona.collections.IntArrayList();
            for (int p = 0; p < size; p++)
            {
                if ((mask & ~skills[p]) == 0 && !groups.containsInt(group[p]))
                {
                    groups.addInt(group[p]);
                }
            }
            return groups;
        }

        /**
         * @return mask 0's heaps of the groups that have an agent with the mask's skills, in the order the mask's own
         *     heaps would have them, so a walk visits the groups as with heaps per mask and passes none without the
         *     skills; made on first use; null once the mask has heaps of its own ({@link #promote}).
         */
        RankedAgents[] shared(final long mask, final AgentPool pool, final PositionScorer scorer, final boolean bucketed)
        {
            RankedAgents[] hs = sharedByMask.get(mask);
            if (hs == PROMOTED)
            {
                return null;
            }
            if (hs == null)
            {
                final RankedAgents[] all = heaps(0, pool, scorer, bucketed);
                final org.agrona.collections.IntArrayList groups = groupsWith(mask);
                hs = new RankedAgents[groups.size()];
                for (int i = 0; i < hs.length; i++)
                {
                    for (final RankedAgents h : all)
                    {
                        if (h.group == groups.getInt(i))
                        {
                            hs[i] = h;
                        }
                    }
                }
                sharedByMask.put(mask, hs);
            }
            return hs;
        }

        /** Gives a mask heaps of its own, which {@link #shared} then answers with null for. */
        void promote(final long mask, final AgentPool pool, final PositionScorer scorer, final boolean bucketed)
        {
            heaps(mask, pool, scorer, bucketed);
            sharedByMask.put(mask, PROMOTED);
        }

        /**
         * @return the heaps of a mask, one per group among the agents having its skills (buckets if {@code bucketed});
         *     built on first use.
         */
        RankedAgents[] heaps(final long mask, final AgentPool pool, final PositionScorer scorer, final boolean bucketed)
        {
            RankedAgents[] hs = byMask.get(mask);
            if (hs == null)
            {
                final org.agrona.collections.IntArrayList groups = groupsWith(mask);
                hs = new RankedAgents[groups.size()];
                final int[] members = new int[size];
                final double[] keys = new double[size];
                for (int i = 0; i < hs.length; i++)
                {
                    final int g = groups.getInt(i);
                    int count = 0;
                    for (int p = 0; p < size; p++)
                    {
                        if ((mask & ~skills[p]) == 0 && group[p] == g && pool.hasRoom(p))
                        {
                            keys[p] = scorer.score(pool, p, mask);
                            members[count++] = p;
                        }
                    }
                    hs[i] = bucketed ? new ScoreBuckets(mask, g, size, members, count, keys, stamp) :
                        new ScoreHeap(mask, g, size, members, count, keys, stamp);
                    if (allCount == all.length)
                    {
                        all = Arrays.copyOf(all, allCount * 2);
                    }
                    all[allCount++] = hs[i];
                }
                byMask.put(mask, hs);
            }
            return hs;
        }
    }
}
