package dev.ringmaster.plugins.routing;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.RoutingStrategy;
import dev.ringmaster.spi.TaskView;
import dev.ringmaster.testing.FakePool;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** Bounded-load consistent hashing: a skewed key set cannot push any agent over (1 + epsilon) x the average. */
class BoundedLoadHashStrategyTest
{
    static final int AGENTS = 10;

    /** 80% of the tasks on 3 hot keys, the rest over 1,000 cold ones. */
    static TaskView[] skewed(final int count, final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final TaskView[] tasks = new TaskView[count];
        for (int t = 0; t < count; t++)
        {
            final String key = random.nextDouble() < 0.8 ? "hot-" + random.nextInt(3) : "cold-" + random.nextInt(1_000);
            tasks[t] = FakePool.view(Task.builder("worker").affinityKey(key).build());
        }
        return tasks;
    }

    static int total(final FakePool pool)
    {
        int total = 0;
        for (final int load : pool.inFlight)
        {
            total += load;
        }
        return total;
    }

    /**
     * Places the tasks one by one, with a random task finishing after each arrival once {@code steady} are in flight.
     * @return the highest load any agent reached; fails if a placement broke the bound (when {@code epsilon > 0}).
     */
    static int simulate(final RoutingStrategy strategy, final TaskView[] tasks, final double epsilon, final int steady)
    {
        final FakePool pool = new FakePool(ConsistentHashStrategyTest.specs(AGENTS));
        final SplittableRandom departures = new SplittableRandom(99);
        final RoutingDecision decision = new RoutingDecision();
        int peak = 0;
        for (final TaskView task : tasks)
        {
            final int bound = BoundedLoadHashStrategy.bound(epsilon, total(pool), AGENTS);
            final int pick = pool.pick(strategy, task, decision);
            final int load = ++pool.inFlight[pick];
            if (epsilon > 0)
            {
                assertThat(load).as("load of the chosen agent vs its bound").isLessThanOrEqualTo(bound);
                assertThat(decision.score()).isEqualTo(load);
                assertThat(decision.runnerUp()).isEqualTo(bound);
            }
            peak = Math.max(peak, load);
            if (total(pool) > steady)
            {
                int k = departures.nextInt(total(pool));
                for (int i = 0; i < AGENTS; i++)
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
        return peak;
    }

    @Test
    void aSkewedKeySetOverloadsPlainConsistentHashingButNotTheBoundedOne()
    {
        final TaskView[] tasks = skewed(5_000, 1);
        final int bounded = simulate(new BoundedLoadHashStrategy(0.25), tasks, 0.25, 200);
        final int plain = simulate(new ConsistentHashStrategy(), tasks, 0, 200);
        // 200 in flight over 10 agents: average 20, bound ceil(1.25 x 201 / 10) = 26
        assertThat(bounded).isLessThanOrEqualTo(26);
        assertThat(plain).as("a hot key's agent under plain consistent hashing").isGreaterThan(50);
    }

    @Property(tries = 40)
    void noPlacementEverExceedsTheBound(@ForAll @DoubleRange(min = 0.05, max = 2.0) final double epsilon,
                                        @ForAll @IntRange(min = 10, max = 400) final int steady,
                                        @ForAll final long seed)
    {
        simulate(new BoundedLoadHashStrategy(epsilon), skewed(1_500, seed), epsilon, steady);
    }

    @Test
    void underTheBoundItAgreesWithPlainConsistentHashing()
    {
        final FakePool pool = new FakePool(ConsistentHashStrategyTest.specs(AGENTS));
        final TaskView[] tasks = ConsistentHashStrategyTest.keyed(2_000);
        final RoutingStrategy plain = new ConsistentHashStrategy();
        final RoutingStrategy bounded = new BoundedLoadHashStrategy(0.25);
        for (int i = 0; i < AGENTS; i++)
        {
            pool.inFlight[i] = 50; // evenly loaded: every agent is under ceil(1.25 x 501 / 10) = 63
        }
        final RoutingDecision decision = new RoutingDecision();
        for (final TaskView t : tasks)
        {
            assertThat(pool.pick(bounded, t, decision)).isEqualTo(pool.pick(plain, t, decision));
        }
    }

    @Test
    void epsilonComesFromTheConstructorOrTheSystemPropertyAndMustBePositive()
    {
        assertThat(BoundedLoadHashStrategy.bound(0.25, 99, 10)).isEqualTo(13);
        assertThat(BoundedLoadHashStrategy.bound(1.0, 99, 10)).isEqualTo(20);
        assertThat(BoundedLoadHashStrategy.bound(0.25, 0, 10)).isEqualTo(1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new BoundedLoadHashStrategy(0))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("epsilon");
        System.setProperty(BoundedLoadHashStrategy.EPSILON_PROPERTY, "zero");
        try
        {
            org.assertj.core.api.Assertions.assertThatThrownBy(BoundedLoadHashStrategy::new)
                .hasMessageContaining(BoundedLoadHashStrategy.EPSILON_PROPERTY).hasMessageContaining("'zero'");
        }
        finally
        {
            System.clearProperty(BoundedLoadHashStrategy.EPSILON_PROPERTY);
        }
    }
}
