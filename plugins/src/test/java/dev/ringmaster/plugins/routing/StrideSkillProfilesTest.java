package dev.ringmaster.plugins.routing;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.plugins.routing.index.ScoreIndex;
import dev.ringmaster.spi.IndexedRoutingStrategy;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.TaskView;
import dev.ringmaster.testing.FakePool;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Weighted round robin in the dispatcher (stride scheduling) with two skill profiles: go tasks only G1 (weight 3) and
 * G2 (weight 1) may take, and an idle java agent J. An agent of the go profile that joins, or comes back from full,
 * must be levelled with the go agents it competes with, not with J's pass (which no go task moves), or it wins a run
 * of go tasks to catch up while the other go agents get none; in a scanned pool and in one indexed by heaps (the extra
 * agents are full).
 */
class StrideSkillProfilesTest
{
    private static final TaskView GO = FakePool.view(Task.builder("worker").requiredSkills("go").build());

    private static FakeAgentPool pool(final int agents, final String... extraGo)
    {
        final AgentSpec[] specs = new AgentSpec[agents + extraGo.length];
        specs[0] = AgentSpec.builder("J", "worker").capacity(100).weight(1).skill("java", 1.0).build();
        specs[1] = AgentSpec.builder("G1", "worker").capacity(100).weight(3).skill("go", 1.0).build();
        specs[2] = AgentSpec.builder("G2", "worker").capacity(100).weight(1).skill("go", 1.0).build();
        for (int i = 3; i < agents; i++)
        {
            specs[i] = AgentSpec.builder("filler-" + i, "worker").capacity(1).weight(1).skill("go", 1.0).build();
        }
        for (int i = 0; i < extraGo.length; i++)
        {
            specs[agents + i] = AgentSpec.builder(extraGo[i], "worker").capacity(100).weight(1).skill("go", 1.0)
                .build();
        }
        final FakeAgentPool pool = new FakeAgentPool(new FakePool(specs), 0);
        for (int i = 3; i < agents; i++)
        {
            pool.fake.inFlight[i] = 1; // full for the whole test: out of the running
        }
        return pool;
    }

    /** Routes {@code n} go tasks, each released before the next; @return the picks per position. */
    private static int[] goTasks(final IndexedRoutingStrategy s, final FakeAgentPool pool, final int n)
    {
        final int[] picks = new int[pool.size()];
        for (int k = 0; k < n; k++)
        {
            final int p = s.route(GO, pool.routing(GO), new RoutingDecision());
            assertThat(p).as("a pick for a go task").isNotNegative();
            picks[p]++;
            pool.fake.inFlight[p]++;
            s.onAssigned(pool.routing(null), p, GO);
            pool.fake.inFlight[p]--;
            s.onReleased(pool.routing(null), p, GO);
        }
        return picks;
    }

    @ParameterizedTest(name = "{0} agents")
    @ValueSource(ints = {3, ScoreIndex.SCAN_LIMIT + 8})
    void aGoAgentBackFromFullTakesItsShareInsteadOfCatchingUp(final int agents)
    {
        final FakeAgentPool pool = pool(agents);
        final IndexedRoutingStrategy s = new WeightedRoundRobinStrategy();
        s.onPoolChanged(pool);
        goTasks(s, pool, 40);
        pool.fake.inFlight[2] = 100; // G2 full (its room taken by work the dispatcher does not route)
        s.onTelemetry(pool.routing(null), 2);
        assertThat(goTasks(s, pool, 40)[1]).as("G1 takes every go task while G2 is full").isEqualTo(40);
        pool.fake.inFlight[2] = 0;
        s.onTelemetry(pool.routing(null), 2);
        final int[] picks = goTasks(s, pool, 8);
        // weights 3 and 1: two of eight; before the fix G2 took all eight, as J's idle pass held its rejoin down
        assertThat(picks[2]).as("go tasks G2 got of the eight after it had room (picks %s)", Arrays.toString(picks))
            .isBetween(1, 3);
    }

    @ParameterizedTest(name = "{0} agents")
    @ValueSource(ints = {3, ScoreIndex.SCAN_LIMIT + 8})
    void aGoAgentJoiningLateTakesItsShareInsteadOfCatchingUp(final int agents)
    {
        final FakeAgentPool before = pool(agents);
        final IndexedRoutingStrategy s = new WeightedRoundRobinStrategy();
        s.onPoolChanged(before);
        goTasks(s, before, 40);
        final FakeAgentPool after = pool(agents, "G3"); // the same agents (same indexes) and G3 at the end
        s.onPoolChanged(after);
        final int g3 = after.size() - 1;
        final int[] picks = goTasks(s, after, 10);
        // weights 3, 1 and 1: two of ten each for G2 and G3; before the fix G3 took all ten, starting at J's pass
        assertThat(picks[g3]).as("go tasks the new G3 got of the next ten (picks %s)", Arrays.toString(picks))
            .isBetween(1, 3);
        assertThat(picks[1]).as("go tasks G1 got of the next ten (picks %s)", Arrays.toString(picks)).isBetween(5, 7);
    }
}
