package dev.ringmaster.plugins.routing;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.RoutingStrategy;
import dev.ringmaster.spi.TaskView;
import dev.ringmaster.testing.FakePool;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** Resource-adaptive routing follows the telemetry: work moves away from an agent whose state degrades. */
class ResourceAdaptiveStrategyTest
{
    static FakePool pool(final int n)
    {
        final AgentSpec[] specs = new AgentSpec[n];
        for (int i = 0; i < n; i++)
        {
            specs[i] = AgentSpec.builder("r-" + i, "worker").capacity(8).build();
        }
        return new FakePool(specs);
    }

    /** Places tasks with one random departure per arrival once 12 are in flight. @return tasks placed per agent. */
    static int[] run(final FakePool pool, final RoutingStrategy strategy, final int tasks, final SplittableRandom random)
    {
        final int[] placed = new int[pool.specs.length];
        final TaskView task = FakePool.view(Task.builder("worker").costTokens(1_000).build());
        final RoutingDecision decision = new RoutingDecision();
        for (int t = 0; t < tasks; t++)
        {
            for (int i = 0; i < placed.length; i++)
            {
                pool.full[i] = pool.inFlight[i] >= pool.specs[i].capacity();
            }
            final int pick = pool.pick(strategy, task, decision);
            placed[pick]++;
            pool.inFlight[pick]++;
            int total = 0;
            for (final int load : pool.inFlight)
            {
                total += load;
            }
            if (total > 12)
            {
                int k = random.nextInt(total);
                for (int i = 0; i < placed.length; i++)
                {
                    k -= pool.inFlight[i];
                    if (k < 0)
                    {
                        pool.inFlight[i]--;
                        break;
                    }
                }
            }
        }
        return placed;
    }

    @Test
    void workMovesAwayFromAnAgentWhoseTelemetryDegrades()
    {
        final FakePool pool = pool(3);
        final RoutingStrategy strategy = new ResourceAdaptiveStrategy();
        final SplittableRandom random = new SplittableRandom(5);
        final int[] healthy = run(pool, strategy, 3_000, random);
        for (final int placed : healthy)
        {
            assertThat(placed).isBetween(800, 1_200); // identical agents share evenly
        }

        pool.contextUtilization[0] = 0.85; // its context fills up and its answers get worse
        pool.recentQuality[0] = 0.4;
        final int[] degraded = run(pool, strategy, 3_000, random);
        assertThat(degraded[0]).as("tasks on the degraded agent, before: %d", healthy[0]).isLessThan(healthy[0] / 3);
        assertThat(degraded[1] + degraded[2]).isGreaterThan(2_500);

        pool.contextUtilization[0] = 0.0; // it recovers (e.g. a fresh context): work comes back
        pool.recentQuality[0] = 1.0;
        final int[] recovered = run(pool, strategy, 3_000, random);
        assertThat(recovered[0]).isGreaterThan(700);
    }

    @Test
    void anAgentWhoseBudgetIsBelowTheCostIsPassedOverUnlessAllAre()
    {
        final FakePool pool = pool(3);
        pool.tokenBudgetLeft[0] = 500; // would be the best otherwise: idle, fresh, top quality
        pool.inFlight[1] = 6;
        pool.inFlight[2] = 7;
        pool.tokenBudgetLeft[1] = 100_000;
        pool.tokenBudgetLeft[2] = 100_000;
        final TaskView task = FakePool.view(Task.builder("worker").costTokens(1_000).build());
        final RoutingStrategy strategy = new ResourceAdaptiveStrategy();
        assertThat(pool.pick(strategy, task, new RoutingDecision())).isEqualTo(1);
        pool.tokenBudgetLeft[1] = 10;
        pool.tokenBudgetLeft[2] = 10;
        assertThat(pool.pick(strategy, task, new RoutingDecision())).as("nobody can afford it: the best takes it").isEqualTo(0);
    }

    @Property(tries = 300)
    void anAffordingAgentAlwaysWinsOverOneThatCannotAfford(
        @ForAll @Size(min = 1, max = 8) final List<@LongRange(min = 0, max = 4_000) Long> budgets,
        @ForAll @LongRange(min = 1, max = 3_000) final long cost,
        @ForAll final long seed)
    {
        final FakePool pool = pool(budgets.size());
        final SplittableRandom random = new SplittableRandom(seed);
        boolean anyAffords = false;
        for (int i = 0; i < budgets.size(); i++)
        {
            pool.tokenBudgetLeft[i] = budgets.get(i);
            pool.inFlight[i] = random.nextInt(8);
            pool.contextUtilization[i] = random.nextDouble();
            pool.recentQuality[i] = random.nextDouble();
            anyAffords |= budgets.get(i) >= cost;
        }
        final ResourceAdaptiveStrategy strategy = new ResourceAdaptiveStrategy();
        final RoutingDecision decision = new RoutingDecision();
        final int pick = pool.pick(strategy, FakePool.view(Task.builder("worker").costTokens(cost).build()), decision);
        if (anyAffords)
        {
            assertThat(pool.tokenBudgetLeft[pick]).isGreaterThanOrEqualTo(cost);
        }
        for (int i = 0; i < budgets.size(); i++)
        {
            if (!anyAffords || budgets.get(i) >= cost)
            {
                assertThat(strategy.score(pool.agent(i), cost)).isLessThanOrEqualTo(decision.score());
            }
        }
    }
}
