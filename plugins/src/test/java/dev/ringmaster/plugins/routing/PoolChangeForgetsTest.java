package dev.ringmaster.plugins.routing;

import dev.ringmaster.model.Task;
import dev.ringmaster.plugins.routing.index.ScoreIndex;
import dev.ringmaster.routing.RoutingStrategies;
import dev.ringmaster.spi.IndexedRoutingStrategy;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.TaskView;
import dev.ringmaster.testing.FakePool;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A strategy that keeps per-agent values derived from the agents' specs (skill-based's mean proficiency per mask,
 * expected-completion's efficiency) must drop them when told the pool changed: after other agents take the same
 * positions, it decides exactly as a fresh instance of the strategy that only ever saw the new pool.
 */
class PoolChangeForgetsTest
{
    @ParameterizedTest
    @ValueSource(strings = {"skill-based", "expected-completion"})
    void afterAPoolChangeItDecidesLikeAFreshInstance(final String name)
    {
        final SplittableRandom random = new SplittableRandom(42);
        final int n = ScoreIndex.SCAN_LIMIT + 40; // indexed, not scanned
        final FakeAgentPool before = new FakeAgentPool(IndexedStrategyContractTest.randomPool(random, n, 1), 0);
        final IndexedRoutingStrategy used = (IndexedRoutingStrategy)RoutingStrategies.create(name,
            IndexedStrategyContractTest.loader());
        used.onPoolChanged(before);
        final RoutingDecision decision = new RoutingDecision();
        for (int i = 0; i < 50; i++)
        {
            final TaskView task = task(random);
            used.route(task, before.routing(task), decision);
        }
        // the same size and pool id, other agents (other proficiencies) at every position
        final FakeAgentPool after = new FakeAgentPool(IndexedStrategyContractTest.randomPool(random, n, 1), 0);
        used.onPoolChanged(after);
        decidesAsAFreshInstance(name, used, after, random, "after the change");
    }

    /**
     * A host that misses an announcement: the index rebuilds when the pool's size changes, and so must the values kept
     * per mask, also those of a mask not used while the pool had the other size (the pool back at its first size,
     * other agents at every position, used to be decided from the first agents' proficiencies).
     */
    @ParameterizedTest
    @ValueSource(strings = {"skill-based", "expected-completion"})
    void aPoolThatChangedSizeUnannouncedIsNotDecidedFromItsFormerAgents(final String name)
    {
        final SplittableRandom random = new SplittableRandom(7);
        final int n = ScoreIndex.SCAN_LIMIT + 40;
        final FakeAgentPool first = new FakeAgentPool(IndexedStrategyContractTest.randomPool(random, n, 1), 0);
        final FakeAgentPool larger = new FakeAgentPool(IndexedStrategyContractTest.randomPool(random, n + 1, 1), 0);
        final FakeAgentPool again = new FakeAgentPool(IndexedStrategyContractTest.randomPool(random, n, 1), 0);
        final IndexedRoutingStrategy used = (IndexedRoutingStrategy)RoutingStrategies.create(name,
            IndexedStrategyContractTest.loader());
        used.onPoolChanged(first);
        final RoutingDecision decision = new RoutingDecision();
        for (final String skill : IndexedStrategyContractTest.SKILLS)
        {
            final TaskView task = FakePool.view(Task.builder("worker").requiredSkills(skill).build());
            used.route(task, first.routing(task), decision);
        }
        // a decision for one mask only on the larger pool, and none of these announced
        final TaskView other = FakePool.view(Task.builder("worker").requiredSkills(IndexedStrategyContractTest.SKILLS[0])
            .build());
        used.route(other, larger.routing(other), decision);
        decidesAsAFreshInstance(name, used, again, random, "on the pool back at its first size");
    }

    /** Asserts that {@code used} picks as an instance that only ever saw {@code pool}, for 200 random tasks. */
    private static void decidesAsAFreshInstance(final String name, final IndexedRoutingStrategy used,
                                                final FakeAgentPool pool, final SplittableRandom random,
                                                final String when)
    {
        final IndexedRoutingStrategy fresh = (IndexedRoutingStrategy)RoutingStrategies.create(name,
            IndexedStrategyContractTest.loader());
        fresh.onPoolChanged(pool);
        final RoutingDecision decision = new RoutingDecision();
        for (int i = 0; i < 200; i++)
        {
            final TaskView task = task(random);
            decision.reset();
            final int u = used.route(task, pool.routing(task), decision);
            decision.reset();
            final int f = fresh.route(task, pool.routing(task), decision);
            assertThat(u).as("%s, decision %d %s", name, i, when).isEqualTo(f);
        }
    }

    private static TaskView task(final SplittableRandom random)
    {
        return FakePool.view(Task.builder("worker")
            .requiredSkills(IndexedStrategyContractTest.SKILLS[random.nextInt(IndexedStrategyContractTest.SKILLS.length)])
            .build());
    }
}
