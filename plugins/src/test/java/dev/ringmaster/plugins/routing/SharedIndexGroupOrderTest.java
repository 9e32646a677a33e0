package dev.ringmaster.plugins.routing;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.plugins.routing.index.ScoreIndex;
import dev.ringmaster.spi.TaskView;
import dev.ringmaster.testing.FakePool;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@link ScoreIndex} whose score ignores the skills (one index of all agents, walked past those lacking a skill)
 * against the same index with heaps per required-skills mask, with groups (least-tokens' capacities): equal scores in
 * two groups must go to the same agent, although the groups' order among all agents is not their order among the
 * agents having the skill.
 */
class SharedIndexGroupOrderTest
{
    @Test
    void aTieAcrossGroupsGoesToTheSameAgentAsWithHeapsPerMask()
    {
        // all idle, so every agent scores the same: a-0 (capacity 2) puts capacity 2 first among all agents, a-1
        // (capacity 4) puts capacity 4 first among those with "java"
        final AgentSpec[] specs = new AgentSpec[ScoreIndex.SCAN_LIMIT + 8];
        specs[0] = AgentSpec.builder("a-0", "worker").capacity(2).build();
        specs[1] = AgentSpec.builder("a-1", "worker").capacity(4).skill("java", 1.0).build();
        specs[2] = AgentSpec.builder("a-2", "worker").capacity(2).skill("java", 1.0).build();
        for (int i = 3; i < specs.length; i++)
        {
            specs[i] = AgentSpec.builder("a-" + i, "worker").capacity(2).build();
        }
        final FakeAgentPool pool = new FakeAgentPool(new FakePool(specs), 0);
        final ScoreIndex perMask = index(false);
        final ScoreIndex shared = index(true);
        perMask.rebuild(pool);
        shared.rebuild(pool);
        final TaskView task = FakePool.view(Task.builder("worker").requiredSkills("java").build());
        final ScoreIndex.Offset offset = (group, t) -> 0;

        final int expected = perMask.best(pool.routing(task), task, offset);
        final int actual = shared.best(pool.routing(task), task, offset);

        assertThat(actual).as("the pick of the index of all agents").isEqualTo(expected);
        assertThat(shared.runnerUpPosition()).as("its runner-up").isEqualTo(perMask.runnerUpPosition());
        assertThat(shared.maskHeaps(pool)).as("the skill walked the shared heaps").isEqualTo(1);
    }

    private static ScoreIndex index(final boolean skillFree)
    {
        return new ScoreIndex((pool, p, mask) -> 1.0 - (double)pool.inFlight(p) / pool.capacity(p),
            a -> a.capacity(), false, skillFree);
    }
}
