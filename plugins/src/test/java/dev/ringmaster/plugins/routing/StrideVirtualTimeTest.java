package dev.ringmaster.plugins.routing;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.plugins.routing.index.ScoreIndex;
import dev.ringmaster.spi.IndexedRoutingStrategy;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.TaskView;
import dev.ringmaster.testing.FakePool;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Weighted round robin in the dispatcher (stride scheduling, the indexed route): a task the strategy did not rank
 * among all agents (one naming its agent, or needing a skill only one has) must not move the virtual time that releasing and joining agents are raised
 * to, or those agents are starved while the rest win a run of tasks; in a pool small enough to be scanned and in one
 * indexed by heaps alike (the extra agents of the large pool are full, so A, B and C are the only ones with room).
 */
class StrideVirtualTimeTest
{
    private static final TaskView ANY = FakePool.view(Task.builder("worker").build());
    private static final TaskView TO_A = FakePool.view(Task.builder("worker").targetAgent("A").build());
    /** A task only A's skills allow. */
    private static final TaskView JAVA = FakePool.view(Task.builder("worker").requiredSkills("java").build());

    private static FakeAgentPool pool(final int agents, final String... extra)
    {
        final AgentSpec[] specs = new AgentSpec[agents + extra.length];
        final String[] ids = {"A", "B", "C"};
        for (int i = 0; i < agents; i++)
        {
            specs[i] = i == 0 ? AgentSpec.builder("A", "worker").capacity(100).weight(1).skill("java", 1.0).build() :
                i < ids.length ? AgentSpec.builder(ids[i], "worker").capacity(100).weight(1).build() :
                AgentSpec.builder("filler-" + i, "worker").capacity(1).weight(1).build();
        }
        for (int i = 0; i < extra.length; i++)
        {
            specs[agents + i] = AgentSpec.builder(extra[i], "worker").capacity(100).weight(1).build();
        }
        final FakeAgentPool pool = new FakeAgentPool(new FakePool(specs), 0);
        for (int i = ids.length; i < agents; i++)
        {
            pool.fake.inFlight[i] = 1; // full for the whole test: out of the running
        }
        return pool;
    }

    private static int assign(final IndexedRoutingStrategy s, final FakeAgentPool pool, final TaskView task)
    {
        final int p = s.route(task, pool.routing(task), new RoutingDecision());
        assertThat(p).as("a pick for %s", task.task()).isNotNegative();
        pool.fake.inFlight[p]++;
        s.onAssigned(pool.routing(null), p, task);
        return p;
    }

    private static void release(final IndexedRoutingStrategy s, final FakeAgentPool pool, final int p)
    {
        pool.fake.inFlight[p]--;
        s.onReleased(pool.routing(null), p, ANY);
    }

    /** The reviewer's sequence: A and B get one task each, A ten it alone may take, B releases its task, then ten more. */
    private static int[] targetedBurst(final IndexedRoutingStrategy s, final FakeAgentPool pool, final TaskView onlyA)
    {
        final int a = assign(s, pool, ANY);
        release(s, pool, a);
        final int b = assign(s, pool, ANY);
        assertThat(pool.fake.specs[a].id()).isEqualTo("A");
        assertThat(pool.fake.specs[b].id()).isEqualTo("B");
        for (int k = 0; k < 10; k++)
        {
            release(s, pool, assign(s, pool, onlyA));
        }
        release(s, pool, b);
        return new int[]{a, b};
    }

    @ParameterizedTest(name = "{0} agents, tasks for A alone by {1}")
    @CsvSource({"3, target", "40, target", "3, skill", "40, skill"}) // 40: more than ScoreIndex.SCAN_LIMIT
    void tasksOnlyOneAgentMayTakeDoNotStarveAnAgentThatReleasesATask(final int agents, final String by)
    {
        final FakeAgentPool pool = pool(agents);
        final IndexedRoutingStrategy s = new WeightedRoundRobinStrategy();
        s.onPoolChanged(pool);
        assertThat(agents < ScoreIndex.SCAN_LIMIT || agents > ScoreIndex.SCAN_LIMIT + 1).as("scanned or heaps").isTrue();
        final int b = targetedBurst(s, pool, by.equals("target") ? TO_A : JAVA)[1];
        final int[] picks = new int[pool.size()];
        for (int k = 0; k < 10; k++)
        {
            final int p = assign(s, pool, ANY);
            picks[p]++;
            release(s, pool, p);
        }
        // the version 1 select alternates B and C here; before the fix C took all ten
        assertThat(picks[b]).as("tasks B got of the last ten (picks per position %s)", java.util.Arrays.toString(picks))
            .isGreaterThanOrEqualTo(4);
    }

    @ParameterizedTest(name = "{0} agents")
    @ValueSource(ints = {3, ScoreIndex.SCAN_LIMIT + 8})
    void anAgentJoiningAfterTargetedTasksGetsItsShareAtOnce(final int agents)
    {
        final FakeAgentPool before = pool(agents);
        final IndexedRoutingStrategy s = new WeightedRoundRobinStrategy();
        s.onPoolChanged(before);
        targetedBurst(s, before, TO_A);
        final FakeAgentPool after = pool(agents, "D"); // the same agents (same indexes) and D at the end
        System.arraycopy(before.fake.inFlight, 0, after.fake.inFlight, 0, before.size());
        s.onPoolChanged(after);
        final int d = after.size() - 1;
        int picksOfD = 0;
        for (int k = 0; k < 12; k++)
        {
            final int p = assign(s, after, ANY);
            picksOfD += p == d ? 1 : 0;
            release(s, after, p);
        }
        // B, C and D take turns; before the fix D started at A's pass and got nothing until B and C caught up
        assertThat(picksOfD).as("tasks the new agent D got of the next twelve").isGreaterThanOrEqualTo(3);
    }

    /** The rule the virtual time exists for, kept: an agent back from full does not win a run of tasks to catch up. */
    @ParameterizedTest(name = "{0} agents")
    @ValueSource(ints = {3, ScoreIndex.SCAN_LIMIT + 8})
    void anAgentBackFromFullTakesTurnsInsteadOfCatchingUp(final int agents)
    {
        final FakeAgentPool pool = pool(agents);
        final IndexedRoutingStrategy s = new WeightedRoundRobinStrategy();
        s.onPoolChanged(pool);
        final int a = assign(s, pool, ANY);
        pool.fake.inFlight[a] = 100; // A full
        s.onAssigned(pool.routing(null), a, ANY);
        for (int k = 0; k < 30; k++)
        {
            release(s, pool, assign(s, pool, ANY));
        }
        release(s, pool, a);
        final int[] picks = new int[pool.size()];
        for (int k = 0; k < 9; k++)
        {
            final int p = assign(s, pool, ANY);
            picks[p]++;
            release(s, pool, p);
        }
        assertThat(picks[a]).as("tasks A got of the nine after it had room again").isBetween(2, 4);
    }
}
