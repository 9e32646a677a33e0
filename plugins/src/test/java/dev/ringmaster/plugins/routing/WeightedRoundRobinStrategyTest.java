package dev.ringmaster.plugins.routing;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.testing.FakePool;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Smooth weighted round robin: exact proportions per cycle, and a heavy agent's picks interleaved, not bunched. */
class WeightedRoundRobinStrategyTest
{
    static FakePool pool(final List<Integer> weights)
    {
        final AgentSpec[] specs = new AgentSpec[weights.size()];
        for (int i = 0; i < specs.length; i++)
        {
            specs[i] = AgentSpec.builder("w-" + i, "worker").weight(weights.get(i)).build();
        }
        return new FakePool(specs);
    }

    static int longestRun(final List<Integer> picks, final int agent)
    {
        int longest = 0;
        int run = 0;
        for (final int p : picks)
        {
            run = p == agent ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        return longest;
    }

    @Property(tries = 300)
    void everyAgentGetsExactlyItsWeightPerCycleWithoutBursts(
        @ForAll @Size(min = 2, max = 8) final List<@IntRange(min = 1, max = 20) Integer> weights,
        @ForAll @IntRange(min = 1, max = 5) final int cycles)
    {
        final FakePool pool = pool(weights);
        final WeightedRoundRobinStrategy wrr = new WeightedRoundRobinStrategy();
        final int total = weights.stream().mapToInt(Integer::intValue).sum();
        final int[] counts = new int[weights.size()];
        final List<Integer> picks = new ArrayList<>();
        for (int i = 0; i < cycles * total; i++)
        {
            final int pick = pool.pick(wrr);
            counts[pick]++;
            picks.add(pick);
        }
        for (int a = 0; a < counts.length; a++)
        {
            final int w = weights.get(a);
            assertThat(counts[a]).as("picks of agent %d (weight %d of %d)", a, w, total).isEqualTo(cycles * w);
            // a naive weighted round robin sends w in a row; the smooth one spreads them between the others'
            final int rest = total - w;
            final int bound = 2 * ((w + rest - 1) / rest);
            assertThat(longestRun(picks, a)).as("longest run of agent %d, weights %s", a, weights).isLessThanOrEqualTo(bound);
        }
    }

    @Test
    void nginxSequenceForFiveOneOne()
    {
        final FakePool pool = pool(List.of(5, 1, 1));
        final WeightedRoundRobinStrategy wrr = new WeightedRoundRobinStrategy();
        final List<Integer> picks = new ArrayList<>();
        for (int i = 0; i < 7; i++)
        {
            picks.add(pool.pick(wrr));
        }
        assertThat(picks).containsExactly(0, 0, 1, 0, 2, 0, 0); // a a b a c a a, as nginx documents
    }

    @Test
    void equalHalvesAlternate()
    {
        final FakePool pool = pool(List.of(3, 3));
        final WeightedRoundRobinStrategy wrr = new WeightedRoundRobinStrategy();
        for (int i = 0; i < 12; i++)
        {
            assertThat(pool.pick(wrr)).isEqualTo(i % 2);
        }
    }

    @Test
    void aFullAgentIsSkippedAndTheOthersKeepTheirProportions()
    {
        final FakePool pool = pool(List.of(3, 2, 1));
        final WeightedRoundRobinStrategy wrr = new WeightedRoundRobinStrategy();
        pool.full[0] = true;
        final int[] counts = new int[3];
        for (int i = 0; i < 30; i++)
        {
            counts[pool.pick(wrr)]++;
        }
        assertThat(counts).containsExactly(0, 20, 10);
    }

    @Test
    void aPoolThatGrowsIncludesTheNewAgentInItsProportion()
    {
        final WeightedRoundRobinStrategy wrr = new WeightedRoundRobinStrategy();
        final FakePool before = pool(List.of(2, 1));
        for (int i = 0; i < 9; i++)
        {
            before.pick(wrr);
        }
        final FakePool after = pool(List.of(2, 1, 3)); // the same two agents and a new one at the end
        final int[] counts = new int[3];
        for (int i = 0; i < 60; i++)
        {
            counts[after.pick(wrr)]++;
        }
        assertThat(counts).containsExactly(20, 10, 30);
    }
}
