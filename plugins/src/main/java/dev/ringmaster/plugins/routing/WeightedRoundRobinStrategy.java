package dev.ringmaster.plugins.routing;

import dev.ringmaster.plugins.routing.index.ScoredStrategy;
import dev.ringmaster.spi.AgentPool;
import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.Candidates;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.RoutingStrategy;
import dev.ringmaster.spi.RoutingStrategyProvider;
import dev.ringmaster.spi.TaskView;
import org.agrona.collections.Long2LongHashMap;

import java.util.Arrays;

/**
 * Smooth weighted round robin (nginx's algorithm) over the eligible agents by {@code spec().weight()}; O(n) in the
 * candidates. Called by the routing role's holder, one thread at a time.
 *
 * <p>Each decision adds every candidate's weight to its running credit, picks the highest credit and takes the sum of
 * the weights back from it. Over a cycle of {@code sum(weights)} decisions with every agent eligible each agent is
 * picked exactly {@code weight} times, and the picks of a heavy agent are interleaved with the others' instead of
 * coming in one burst (weights 5,1,1 give a a b a c a a, not a a a a a b c).
 *
 * <p>Credits live in an array indexed by {@link AgentView#index()}, which is stable for an agent's lifetime and
 * unique in the dispatcher, so several agent types share it and a changed pool needs no rebuild: an agent that joins
 * starts with no credit, one that leaves is simply never read again. The array grows (allocates) only when an agent
 * with a higher index than any seen before appears.
 *
 * <p>In the dispatcher (version 2) it is stride scheduling instead, O(log n): each agent has a pass that grows by
 * {@code STRIDE / weight} per task it is given, and the eligible agent with the smallest pass wins, found in a
 * {@link dev.ringmaster.plugins.routing.index.ScoreIndex}. The proportions per cycle are the same; a joining agent, and one
 * back from full, starts at the smallest pass among the agents with room that have all of its skills (its rivals on
 * the tasks needing them; all agents with room if it has none, or none of them has room), so it gets its share from
 * then on rather than a burst to catch up, and tasks that name their agent do not move that start ahead of the others.
 */
public final class WeightedRoundRobinStrategy extends ScoredStrategy
{
    public static final String NAME = "weighted-round-robin";

    private long[] credit = new long[16];

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public int select(final TaskView task, final Candidates candidates, final RoutingDecision decision)
    {
        final int n = candidates.size();
        long[] credit = this.credit;
        long total = 0;
        int best = -1;
        long bestCredit = Long.MIN_VALUE;
        long secondCredit = Long.MIN_VALUE;
        for (int i = 0; i < n; i++)
        {
            final AgentView a = candidates.get(i);
            final int index = a.index();
            if (index >= credit.length)
            {
                credit = grow(index);
            }
            final int weight = a.weight();
            total += weight;
            final long c = credit[index] + weight;
            credit[index] = c;
            // strictly greater: on equal credit the earlier agent in pool order wins, as in nginx
            if (c > bestCredit)
            {
                secondCredit = bestCredit;
                bestCredit = c;
                best = i;
            }
            else if (c > secondCredit)
            {
                secondCredit = c;
            }
        }
        credit[candidates.get(best).index()] -= total;
        decision.explain(bestCredit, secondCredit == Long.MIN_VALUE ? Double.NaN : secondCredit);
        return best;
    }

    private long[] grow(final int index)
    {
        credit = Arrays.copyOf(credit, Math.max(index + 1, credit.length * 2));
        return credit;
    }

    /**
     * Pass added per task at weight 1: large enough that integer strides keep weights up to 1,000 proportional within
     * 0.1%, small enough that passes stay exact as doubles (below 2^53) for 2^33 tasks at weight 1.
     */
    static final long STRIDE = 1L << 20;
    /** Per agent index, the stride scheduling pass; 0 for an agent not seen yet. */
    private long[] pass = new long[16];
    /** Per agent index: it was seen without room (after a task or a telemetry report), missing decisions since. */
    private boolean[] away = new boolean[16];
    /**
     * Per pool id, the virtual time: the smallest pass among the pool's agents with room when last looked at (0 read
     * as 1, before any). Taken from those passes, not from winners: the winner of a task naming its agent, needing a
     * skill few agents have or avoiding one is not the smallest pass, and a clock set to it ran ahead of the agents
     * that had lost nothing, so every agent raised to it sat out while the others won a run of tasks.
     */
    private long[] virtualTime = new long[4];

    @Override
    public void onPoolChanged(final AgentPool pool)
    {
        long smallest = Long.MAX_VALUE;
        for (int p = 0; p < pool.size(); p++)
        {
            final int i = pool.agent(p).index();
            if (i >= pass.length)
            {
                pass = Arrays.copyOf(pass, Math.max(i + 1, pass.length * 2));
                away = Arrays.copyOf(away, pass.length);
            }
            if (pass[i] != 0 && pass[i] < smallest && pool.hasRoom(p))
            {
                smallest = pass[i];
            }
        }
        final int id = pool.id();
        if (id >= virtualTime.length)
        {
            virtualTime = Arrays.copyOf(virtualTime, Math.max(id + 1, virtualTime.length * 2));
        }
        if (smallest != Long.MAX_VALUE && smallest > virtualTime[id])
        {
            virtualTime[id] = smallest;
        }
        final long joinAt = virtualTime(id);
        // levels worked out before any is set, so a joiner is levelled with the agents seen before only
        long[] joinLevels = null;
        Long2LongHashMap levelBySkills = null;
        for (int p = 0; p < pool.size(); p++)
        {
            final AgentView a = pool.agent(p);
            if (pass[a.index()] == 0)
            {
                joinLevels = joinLevels == null ? new long[pool.size()] : joinLevels;
                final long skills = a.spec().skillMask();
                long at = joinAt;
                if (skills != 0 && smallest != Long.MAX_VALUE)
                {
                    // level with the agents that can take the tasks needing its skills: the pool's clock is the
                    // smallest pass of all, which an idle agent of another profile holds down
                    levelBySkills = levelBySkills == null ? new Long2LongHashMap(0) : levelBySkills;
                    at = levelBySkills.get(skills);
                    if (at == 0)
                    {
                        at = Math.max(joinAt, smallestPassWithSkills(pool, skills));
                        levelBySkills.put(skills, at);
                    }
                }
                joinLevels[p] = at;
            }
        }
        for (int p = 0; joinLevels != null && p < pool.size(); p++)
        {
            if (joinLevels[p] != 0)
            {
                pass[pool.agent(p).index()] = joinLevels[p]; // level with the agent due next: no burst to catch up
            }
        }
        super.onPoolChanged(pool);
    }

    /**
     * @return the smallest pass among the agents seen before with room that have every skill of {@code skills}: those
     *     a joining agent with these skills competes with on the tasks needing them; 0 if none
     */
    private long smallestPassWithSkills(final AgentPool pool, final long skills)
    {
        long smallest = Long.MAX_VALUE;
        for (int p = 0; p < pool.size(); p++)
        {
            final AgentView a = pool.agent(p);
            final int i = a.index();
            if (pass[i] != 0 && pass[i] < smallest && (skills & ~a.spec().skillMask()) == 0 &&
                pool.hasRoom(p))
            {
                smallest = pass[i];
            }
        }
        return smallest == Long.MAX_VALUE ? 0 : smallest;
    }

    @Override
    public void onAssigned(final AgentPool pool, final int position, final TaskView task)
    {
        final AgentView a = pool.agent(position);
        if (a.index() >= pass.length || pass[a.index()] == 0)
        {
            onPoolChanged(pool); // an agent the pool announcement did not show: give it a pass first
        }
        pass[a.index()] += STRIDE / Math.max(1, a.weight());
        if (!pool.hasRoom(position))
        {
            away[a.index()] = true;
        }
        super.onAssigned(pool, position, task);
    }

    @Override
    public void onReleased(final AgentPool pool, final int position, final TaskView task)
    {
        rejoin(pool, position);
        super.onReleased(pool, position, task);
    }

    @Override
    public void onTelemetry(final AgentPool pool, final int position)
    {
        final int i = pool.agent(position).index();
        if (i < away.length && !pool.hasRoom(position))
        {
            away[i] = true; // its room can shrink without a task given to it: it misses decisions all the same
        }
        else
        {
            rejoin(pool, position);
        }
        super.onTelemetry(pool, position);
    }

    /**
     * An agent that was passed over while full rejoins at the smallest pass of the agents that had room (Waldspurger's
     * stride scheduling does the same for a client that blocked): else its stale low pass would win a burst of tasks
     * to catch up. One that had room all along keeps its pass: it lost no turn it must be kept from winning back.
     */
    private void rejoin(final AgentPool pool, final int position)
    {
        final int i = pool.agent(position).index();
        if (i < away.length && away[i] && pool.hasRoom(position))
        {
            away[i] = false;
            final long now = Math.max(virtualTime(pool, position), profileTime(pool, position));
            if (pass[i] < now)
            {
                pass[i] = now;
            }
        }
    }

    /** @return the pool's virtual time, brought up to the smallest pass among its agents with room but {@code exclude}. */
    private long virtualTime(final AgentPool pool, final int exclude)
    {
        final double best = index.bestWithRoom(pool, exclude, 0);
        final int id = pool.id();
        if (best == best && best != Double.NEGATIVE_INFINITY && id < virtualTime.length && -best > virtualTime[id])
        {
            virtualTime[id] = (long)-best;
        }
        return virtualTime(id);
    }

    /**
     * @return the smallest pass among the agents with room but the one at {@code position} that have all of its skills,
     *     0 if none or it has no skills: those it competes with on the tasks needing them. The pool's clock alone
     *     holds an agent of one profile down to the pass of an idle agent of another, and it wins a run of its
     *     profile's tasks to catch up.
     */
    private long profileTime(final AgentPool pool, final int position)
    {
        final long skills = pool.agent(position).spec().skillMask();
        final double best = skills == 0 ? Double.NaN : index.bestWithRoom(pool, position, skills);
        return best == best && best != Double.NEGATIVE_INFINITY ? (long)-best : 0;
    }

    private long virtualTime(final int poolId)
    {
        return poolId < virtualTime.length && virtualTime[poolId] != 0 ? virtualTime[poolId] : 1;
    }

    /** The score ignores the required skills: one index of all agents serves every task. */
    @Override
    protected boolean skillIndependentScores()
    {
        return true;
    }

    /** The negated pass: the smallest pass ranks first; an agent not seen yet at the pool's virtual time. */
    @Override
    protected double indexScore(final AgentPool pool, final int position, final long requiredSkills)
    {
        final int i = pool.agent(position).index();
        return -(double)(i < pass.length && pass[i] != 0 ? pass[i] : virtualTime(pool.id()));
    }

    /** The negated pass; an agent not seen yet at the start of time (only a pool knows its virtual time). */
    @Override
    protected double indexScore(final AgentView a, final long requiredSkills)
    {
        final int i = a.index();
        return -(double)(i < pass.length && pass[i] != 0 ? pass[i] : 1);
    }

    @Override
    public double explainScore(final TaskView task, final AgentPool pool, final int position)
    {
        return reported(indexScore(pool, position, task.task().requiredSkills()));
    }

    /** Registers {@link WeightedRoundRobinStrategy} with the ServiceLoader; stateless. */
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
            return "smooth weighted round robin (nginx): exact weight proportions per cycle, no bursts; in the dispatcher " +
                "stride scheduling, O(log n)";
        }

        @Override
        public RoutingStrategy create()
        {
            return new WeightedRoundRobinStrategy();
        }
    }
}
