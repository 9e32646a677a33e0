package dev.ringmaster.plugins.routing;

import dev.ringmaster.model.Task;
import dev.ringmaster.plugins.routing.index.ScoreIndex;
import dev.ringmaster.spi.AgentPool;
import dev.ringmaster.spi.TaskView;
import dev.ringmaster.testing.FakePool;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@link ScoreIndex} with one bucket per score against the same index with heaps, and the plain and grouped cases
 * against a scan with the tie rule written out (best score, then the agent picked longest ago, then pool order), over
 * random pools and random sequences of decisions, assignments, releases, telemetry and pool changes: every decision, its score, its
 * runner-up and the runner-up's score must be the same.
 */
class ScoreBucketsPropertyTest
{
    static final String[] SKILLS = IndexedStrategyContractTest.SKILLS;

    /** How a try scores agents: 0 least-connections, 1 that plus a telemetry term of four values, 2 continuous. */
    private int scoring;
    /**
     * What the grouped variant's offset adds per group: 0 in half the tries, so that agents of different groups tie
     * (all idle agents do), and the order of the groups decides, which the shared index must keep as per mask.
     */
    private double groupStep;

    @Property(tries = 60, seed = "20261130")
    void bucketsDecideExactlyLikeHeapsAndTheScan(@ForAll final long seed, @ForAll @IntRange(min = 0, max = 2) final int scoring)
    {
        this.scoring = scoring;
        final SplittableRandom random = new SplittableRandom(seed);
        final boolean grouped = random.nextInt(3) == 0;
        groupStep = random.nextBoolean() ? 0.1 : 0;
        final ScoreIndex heaps = index(false, grouped);
        final ScoreIndex buckets = index(true, grouped);
        // the scores here ignore the skills: one index of all agents, walked past those lacking the task's skills
        final ScoreIndex shared = index(random.nextBoolean(), grouped, true);
        FakeAgentPool pool = newPool(random);
        long[] stamp = initialStamps(pool.size());
        long clock = 0;
        heaps.rebuild(pool);
        buckets.rebuild(pool);
        shared.rebuild(pool);
        final List<int[]> running = new ArrayList<>();
        int decisions = 0;
        int runnersUp = 0;
        // pools whose shared index gave some mask heaps of its own (a rare skill), and pools whose skilled tasks all
        // walked the shared heaps
        int promoted = 0;
        int sharedOnly = 0;
        boolean skilled = false;
        for (int step = 0; step < 1_500; step++)
        {
            final int event = random.nextInt(20);
            if (event < 11)
            {
                final TaskView task = task(random, pool.size());
                skilled |= task.task().requiredSkills() != 0 && pool.size() > ScoreIndex.SCAN_LIMIT;
                final AgentPool routing = pool.routing(task);
                final int variant = grouped ? 2 : random.nextInt(2);
                final int h = best(heaps, routing, task, variant);
                final int b = best(buckets, routing, task, variant);
                final int s = best(shared, routing, task, variant);
                final String at = "seed " + seed + " scoring " + scoring + " step " + step + " variant " + variant;
                assertThat(b).as(at).isEqualTo(h);
                assertThat(s).as(at + ": shared").isEqualTo(h);
                if (variant != 1)
                {
                    // grouped too: an equal score in another group goes to the agent picked longest ago, as in a scan
                    assertThat(b).as(at + ": the scan's pick").isEqualTo(scan(routing, task, stamp, variant == 2));
                }
                if (b < 0)
                {
                    continue;
                }
                assertSame(buckets.bestScore(), heaps.bestScore(), at + ": best score");
                assertThat(buckets.runnerUpPosition()).as(at).isEqualTo(heaps.runnerUpPosition());
                assertSame(buckets.runnerUpScore(), heaps.runnerUpScore(), at + ": runner-up score");
                assertSame(shared.bestScore(), heaps.bestScore(), at + ": shared best score");
                assertThat(shared.runnerUpPosition()).as(at + ": shared").isEqualTo(heaps.runnerUpPosition());
                assertSame(shared.runnerUpScore(), heaps.runnerUpScore(), at + ": shared runner-up score");
                decisions++;
                runnersUp += buckets.runnerUpPosition() >= 0 ? 1 : 0;
                pool.fake.inFlight[b]++;
                stamp[b] = ++clock;
                running.add(new int[]{b});
                heaps.picked(pool.routing(null), b);
                buckets.picked(pool.routing(null), b);
                shared.picked(pool.routing(null), b);
            }
            else if (event < 17 && !running.isEmpty())
            {
                final int p = running.remove(random.nextInt(running.size()))[0];
                pool.fake.inFlight[p]--;
                heaps.changed(pool.routing(null), p);
                buckets.changed(pool.routing(null), p);
                shared.changed(pool.routing(null), p);
            }
            else if (event < 19)
            {
                final int p = random.nextInt(pool.size());
                pool.fake.recentQuality[p] = random.nextInt(4) / 4.0 + (scoring == 2 ? random.nextDouble() : 0);
                heaps.changed(pool.routing(null), p);
                buckets.changed(pool.routing(null), p);
                shared.changed(pool.routing(null), p);
            }
            else
            {
                // the pool changes: new agents, every stamp forgotten, the tasks of the old pool gone with it
                if (skilled)
                {
                    final int masks = shared.maskHeaps(pool.routing(null));
                    promoted += masks > 1 ? 1 : 0;
                    sharedOnly += masks == 1 ? 1 : 0;
                }
                skilled = false;
                pool = newPool(random);
                stamp = initialStamps(pool.size());
                clock = 0;
                running.clear();
                heaps.rebuild(pool);
                buckets.rebuild(pool);
                shared.rebuild(pool);
            }
        }
        assertThat(decisions).as("decisions compared").isGreaterThan(300);
        assertThat(runnersUp).as("runners-up compared").isGreaterThan(100);
        assertThat(promoted).as("pools where a rare mask got heaps of its own").isPositive();
        assertThat(sharedOnly).as("pools where every skilled task walked the shared heaps").isPositive();
    }

    /** The same double, NaN (no runner-up) included. */
    private static void assertSame(final double actual, final double expected, final String as)
    {
        assertThat(Double.doubleToLongBits(actual)).as("%s: %s against %s", as, actual, expected)
            .isEqualTo(Double.doubleToLongBits(expected));
    }

    private ScoreIndex index(final boolean bucketed, final boolean grouped)
    {
        return index(bucketed, grouped, false);
    }

    private ScoreIndex index(final boolean bucketed, final boolean grouped, final boolean skillFree)
    {
        final ScoreIndex.PositionScorer scorer = (pool, p, mask) ->
        {
            final double free = 1.0 - (double)pool.inFlight(p) / pool.capacity(p);
            return scoring == 0 ? free : free + pool.agent(p).recentQuality();
        };
        return new ScoreIndex(scorer, grouped ? a -> a.capacity() % 3 : null, bucketed, skillFree);
    }

    /** variant 0: ranked by the index; 1: by an exact score bounded by it; 2: grouped, with an offset per group. */
    private int best(final ScoreIndex index, final AgentPool pool, final TaskView task, final int variant)
    {
        if (variant == 2)
        {
            return index.best(pool, task, (ScoreIndex.Offset)(group, t) -> -groupStep * group);
        }
        if (variant == 1)
        {
            return index.best(pool, task, (ScoreIndex.Exact)(a, t) -> 1.0 - (double)a.inFlight() / a.capacity() - 0.05 * a.spec().weight());
        }
        return index.best(pool, task);
    }

    /** The tie rule written out: best score, then the lowest stamp (picked longest ago; never picked: pool order). */
    private int scan(final AgentPool pool, final TaskView task, final long[] stamp, final boolean grouped)
    {
        int best = -1;
        double bestScore = 0;
        for (int p = 0; p < pool.size(); p++)
        {
            if (!pool.isEligible(p))
            {
                continue;
            }
            final double free = 1.0 - (double)pool.inFlight(p) / pool.capacity(p);
            final double indexed = scoring == 0 ? free : free + pool.agent(p).recentQuality();
            final double score = grouped ? indexed + -groupStep * (pool.capacity(p) % 3) : indexed;
            if (best < 0 || score > bestScore || (score == bestScore && stamp[p] < stamp[best]))
            {
                best = p;
                bestScore = score;
            }
        }
        return best;
    }

    private static long[] initialStamps(final int n)
    {
        final long[] stamp = new long[n];
        for (int p = 0; p < n; p++)
        {
            stamp[p] = p - (long)n;
        }
        return stamp;
    }

    /**
     * Mostly pools indexed by heaps or buckets, a few small enough to be scanned; an inbox beyond capacity at times; in
     * one pool of three, skills that one agent in 40 has, so that walks of the shared index pass more agents than
     * {@code SKIP_LIMIT} and its masks get heaps of their own.
     */
    private static FakeAgentPool newPool(final SplittableRandom random)
    {
        final int n = random.nextInt(8) == 0 ? 2 + random.nextInt(ScoreIndex.SCAN_LIMIT - 1) :
            ScoreIndex.SCAN_LIMIT + 1 + random.nextInt(300);
        final int skillOdds = random.nextInt(3) == 0 ? 40 : 2;
        final FakeAgentPool pool = new FakeAgentPool(IndexedStrategyContractTest.randomPool(random, n, skillOdds), 0);
        pool.prefetch = random.nextInt(4) == 0 ? 1 : 0;
        return pool;
    }

    private static TaskView task(final SplittableRandom random, final int n)
    {
        final Task.Builder b = Task.builder("worker");
        if (random.nextInt(3) == 0)
        {
            b.requiredSkills(SKILLS[random.nextInt(SKILLS.length)]);
        }
        if (random.nextInt(8) == 0)
        {
            b.avoidAgent("a-" + random.nextInt(n));
        }
        if (random.nextInt(40) == 0)
        {
            b.targetAgent("a-" + random.nextInt(n));
        }
        return FakePool.view(b.build());
    }
}
