package dev.ringmaster.plugins.routing;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.RoutingStrategy;
import dev.ringmaster.spi.TaskView;
import dev.ringmaster.testing.FakePool;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The indexed route of {@link ExpectedCompletionStrategy} against its own scan, on random heterogeneous pools (speeds
 * 0.25 to 4, capacities 1 to 4, skills with random proficiencies, with and without an inbox beyond capacity) and random
 * sequences of tasks, releases and latency reports: at every decision both decline, or both place on an agent of the
 * same expected completion, and the indexed pick is eligible.
 */
class ExpectedCompletionIndexTest
{
    static final String[] SKILLS = {"java", "sql", "docs"};

    @Test
    void indexedDecisionsMatchTheScan()
    {
        int declines = 0;
        int queuedPicks = 0;
        for (long seed = 1; seed <= 12; seed++)
        {
            final int[] counts = run(seed);
            declines += counts[0];
            queuedPicks += counts[1];
        }
        // both branches the index answers differently from a free pick were exercised
        assertThat(declines).as("declines compared").isGreaterThan(100);
        assertThat(queuedPicks).as("placements on an agent without a free slot").isGreaterThan(20);
    }

    private static int[] run(final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final int n = 4 + random.nextInt(seed % 3 == 0 ? 200 : 40);
        final AgentSpec[] specs = new AgentSpec[n];
        for (int i = 0; i < n; i++)
        {
            final AgentSpec.Builder b = AgentSpec.builder("a-" + i, "worker").capacity(1 + random.nextInt(4))
                .speed(new double[]{0.25, 0.5, 1, 2, 4}[random.nextInt(5)]);
            for (final String skill : SKILLS)
            {
                if (random.nextInt(3) != 0)
                {
                    b.skill(skill, 0.1 + 0.9 * random.nextDouble());
                }
            }
            specs[i] = b.build();
        }
        final FakeAgentPool pool = new FakeAgentPool(new FakePool(specs), 0);
        pool.prefetch = (int)(seed % 2);
        final FakePool fake = pool.fake;
        final ExpectedCompletionStrategy indexed = new ExpectedCompletionStrategy();
        final RoutingStrategy scan = new ExpectedCompletionStrategy();
        indexed.onPoolChanged(pool);
        final List<long[]> running = new ArrayList<>(); // {position, cost}
        final RoutingDecision d1 = new RoutingDecision();
        final RoutingDecision d2 = new RoutingDecision();
        long sequence = 0;
        long clock = 0;
        int declines = 0;
        int queuedPicks = 0;
        for (int step = 0; step < 3_000; step++)
        {
            final int event = random.nextInt(10);
            if (event < 6)
            {
                final long cost = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(5_000);
                final Task.Builder b = Task.builder("worker").costTokens(cost);
                if (random.nextInt(3) == 0)
                {
                    b.requiredSkills(SKILLS[random.nextInt(SKILLS.length)]);
                }
                clock += random.nextInt(50_000_000);
                // now and then a task that waited: the patience rule then places it whatever the estimates say
                final long accepted = random.nextInt(8) == 0 ? clock - random.nextInt(2_000_000_000) : clock;
                final TaskView task = FakePool.view(b.build(), accepted, ++sequence);
                pool.syncFull();
                if (pool.routing(task).nextEligible(0) < 0)
                {
                    continue; // the router would not route it now
                }
                final int expected = fake.pick(scan, task, d1);
                d2.reset();
                final int p = indexed.route(task, pool.routing(task), d2);
                final String where = "seed " + seed + " step " + step;
                assertThat(p == RoutingStrategy.DECLINE).as("%s: declined by the index as by the scan", where)
                    .isEqualTo(expected < 0);
                if (p == RoutingStrategy.DECLINE)
                {
                    declines++;
                    continue;
                }
                assertThat(pool.isEligible(p)).as("%s: eligible", where).isTrue();
                assertThat(d2.score()).as("%s: expected completion of the indexed pick", where)
                    .isCloseTo(d1.score(), within(Math.abs(d1.score()) * 1e-9));
                if (fake.inFlight[p] >= specs[p].capacity())
                {
                    queuedPicks++;
                }
                fake.inFlight[p]++;
                running.add(new long[]{p, cost});
                indexed.onAssigned(pool.routing(null), p, task);
            }
            else if (event < 9 && !running.isEmpty())
            {
                final int p = (int)running.remove(random.nextInt(running.size()))[0];
                fake.inFlight[p]--;
                indexed.onReleased(pool.routing(null), p, null);
            }
            else
            {
                // a result: the agent's latency estimate, warm after a few, in proportion to its speed give or take
                final int p = random.nextInt(n);
                fake.completed[p] += 1 + random.nextInt(AgentView.WARM_RESULTS);
                fake.ewmaLatencyNanos[p] = 1e9 / specs[p].speed() * (0.5 + random.nextDouble());
                indexed.onTelemetry(pool.routing(null), p);
            }
        }
        return new int[]{declines, queuedPicks};
    }
}
