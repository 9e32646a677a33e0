package dev.ringmaster.plugins.routing;

import dev.ringmaster.model.Task;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.TaskView;
import dev.ringmaster.testing.FakePool;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** Sticky sessions: a key stays with its agent while that agent is eligible, and moves (once) when it is not. */
class StickyStrategyTest
{
    static TaskView keyed(final String key)
    {
        return FakePool.view(Task.builder("worker").affinityKey(key).build());
    }

    @Property(tries = 100)
    void aSessionStaysOnItsAgentWhileEligibleAndMovesToTheLeastLoadedOtherwise(
        @ForAll @IntRange(min = 2, max = 10) final int n,
        @ForAll @IntRange(min = 1, max = 30) final int keys,
        @ForAll final long seed)
    {
        final FakePool pool = new FakePool(n);
        final StickyStrategy sticky = new StickyStrategy();
        final SplittableRandom random = new SplittableRandom(seed);
        final Map<String, Integer> expected = new HashMap<>();
        final RoutingDecision decision = new RoutingDecision();
        for (int step = 0; step < 500; step++)
        {
            for (int i = 0; i < n; i++)
            {
                pool.inFlight[i] = random.nextInt(4);
                pool.full[i] = random.nextInt(5) == 0;
            }
            pool.full[random.nextInt(n)] = false;
            final String key = "k" + random.nextInt(keys);
            final int pick = pool.pick(sticky, keyed(key), decision);
            final Integer session = expected.get(key);
            if (session != null && !pool.full[session])
            {
                assertThat(pick).as("key %s stays on its agent", key).isEqualTo(session);
            }
            else
            {
                int least = Integer.MAX_VALUE;
                for (int i = 0; i < n; i++)
                {
                    if (!pool.full[i])
                    {
                        least = Math.min(least, pool.inFlight[i]);
                    }
                }
                assertThat(pool.inFlight[pick]).as("a new or moved session goes to the least loaded").isEqualTo(least);
                expected.put(key, pick);
            }
        }
    }

    @Test
    void aSessionSticksEvenWhenItsAgentIsBusierThanTheOthers()
    {
        final FakePool pool = new FakePool(3);
        final StickyStrategy sticky = new StickyStrategy();
        pool.inFlight[0] = 2;
        pool.inFlight[2] = 3;
        assertThat(pool.pick(sticky, keyed("user-42"), new RoutingDecision())).isEqualTo(1);
        pool.inFlight[1] = 5;
        assertThat(pool.pick(sticky, keyed("user-42"), new RoutingDecision())).isEqualTo(1);
        pool.full[1] = true; // its agent has no room: the session moves to the least loaded and stays there
        assertThat(pool.pick(sticky, keyed("user-42"), new RoutingDecision())).isEqualTo(0);
        pool.full[1] = false;
        pool.inFlight[0] = 9;
        assertThat(pool.pick(sticky, keyed("user-42"), new RoutingDecision())).isEqualTo(0);
        assertThat(pool.pick(sticky)).as("no key: least loaded").isEqualTo(2);
    }

    @Test
    void theSessionTableIsBoundedByForgettingEverySession()
    {
        final FakePool pool = new FakePool(4);
        final StickyStrategy sticky = new StickyStrategy(3);
        for (int k = 0; k < 3; k++)
        {
            pool.pick(sticky, keyed("k" + k), new RoutingDecision());
        }
        assertThat(sticky.sessionCount("worker")).isEqualTo(3);
        pool.pick(sticky, keyed("k0"), new RoutingDecision()); // a known key does not count
        assertThat(sticky.sessionCount("worker")).isEqualTo(3);
        pool.pick(sticky, keyed("k3"), new RoutingDecision());
        assertThat(sticky.sessionCount("worker")).isEqualTo(1);
    }

    @Test
    void aSessionFollowsItsAgentWhenThePoolChanges()
    {
        final StickyStrategy sticky = new StickyStrategy();
        final FakePool before = new FakePool(3);
        before.inFlight[0] = 1;
        before.inFlight[1] = 1;
        assertThat(before.pick(sticky, keyed("s"), new RoutingDecision())).isEqualTo(2);
        final FakePool after = new FakePool(2); // the pool shrank: the session's agent is gone
        after.inFlight[0] = 3;
        assertThat(after.pick(sticky, keyed("s"), new RoutingDecision())).isEqualTo(1);
    }
}
