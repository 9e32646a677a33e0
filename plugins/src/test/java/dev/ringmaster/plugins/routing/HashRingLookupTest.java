package dev.ringmaster.plugins.routing;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.spi.AgentPool;
import dev.ringmaster.testing.FakePool;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ring's bucketed lookup, with each point packed with its owner, against a plain search of every agent's points
 * sorted in full: the same owner for random hashes and for hashes at, just before and just after points, in pools from
 * one agent (no bucket bits at all) to hundreds.
 */
class HashRingLookupTest
{
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 17, 300})
    void everyHashFindsTheOwnerOfTheFirstPointAtOrAfterIt(final int agents)
    {
        final SplittableRandom random = new SplittableRandom(agents);
        final AgentSpec[] specs = new AgentSpec[agents];
        for (int i = 0; i < agents; i++)
        {
            specs[i] = AgentSpec.builder("agent-" + random.nextInt(1_000_000) + "-" + i, "coder")
                .weight(1 + random.nextInt(20)).build();
        }
        final AgentPool pool = new FakeAgentPool(new FakePool(specs), 0);
        final HashRing ring = HashRing.of(pool, true);
        final List<long[]> points = new ArrayList<>(); // {point, owner}
        for (int p = 0; p < agents; p++)
        {
            final long h = Hashing.hash(specs[p].id());
            final int vnodes = HashRing.VNODES_PER_WEIGHT * Math.min(Math.max(specs[p].weight(), 1), HashRing.MAX_WEIGHT);
            for (int r = 0; r < vnodes; r++)
            {
                points.add(new long[] {Hashing.point(h, r), p});
            }
        }
        points.sort(Comparator.comparing((long[] e) -> e[0], Long::compareUnsigned));
        assertThat(ring.size()).isEqualTo(points.size());
        final List<Long> hashes = new ArrayList<>();
        for (int i = 0; i < 20_000; i++)
        {
            hashes.add(random.nextLong());
        }
        for (int i = 0; i < 2_000; i++)
        {
            final long point = points.get(random.nextInt(points.size()))[0];
            hashes.add(point);
            hashes.add(point - 1);
            hashes.add(point + 1);
        }
        // a bucket's first hash (its prefix, the bits below it 0) and the last of the bucket before, at every prefix
        // length the ring may use: the packed entries keep only the bits below the prefix
        for (int i = 0; i < 300; i++)
        {
            final long point = points.get(random.nextInt(points.size()))[0];
            for (int bits = 1; bits <= 30; bits++)
            {
                final long start = point & ~(-1L >>> bits);
                hashes.add(start);
                hashes.add(start - 1);
            }
        }
        hashes.add(0L);
        hashes.add(-1L);
        for (final long hash : hashes)
        {
            assertThat(ring.owner(ring.slotOf(hash))).as("%d agents, hash %x", agents, hash)
                .isEqualTo((int)naive(points, hash)[1]);
        }
    }

    private static long[] naive(final List<long[]> sorted, final long hash)
    {
        int lo = 0;
        int hi = sorted.size();
        while (lo < hi)
        {
            final int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(sorted.get(mid)[0], hash) < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return sorted.get(lo == sorted.size() ? 0 : lo);
    }
}
