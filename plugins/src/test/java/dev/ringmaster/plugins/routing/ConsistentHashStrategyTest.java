package dev.ringmaster.plugins.routing;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.IndexedRoutingStrategy;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.RoutingStrategy;
import dev.ringmaster.spi.TaskView;
import dev.ringmaster.testing.FakePool;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Consistent hashing: stable while the pool is, and only about 1/n of the keys move when it changes. */
class ConsistentHashStrategyTest
{
    static final int KEYS = 10_000;

    static AgentSpec[] specs(final int n)
    {
        final AgentSpec[] specs = new AgentSpec[n];
        for (int i = 0; i < n; i++)
        {
            specs[i] = AgentSpec.builder("agent-" + i, "worker").capacity(1_000).build();
        }
        return specs;
    }

    static TaskView[] keyed(final int count)
    {
        final TaskView[] tasks = new TaskView[count];
        for (int k = 0; k < count; k++)
        {
            tasks[k] = FakePool.view(Task.builder("worker").affinityKey("session-" + k).build());
        }
        return tasks;
    }

    /** @return the id of the agent each key maps to. */
    static String[] owners(final RoutingStrategy strategy, final FakePool pool, final TaskView[] tasks)
    {
        final String[] owners = new String[tasks.length];
        final RoutingDecision decision = new RoutingDecision();
        for (int k = 0; k < tasks.length; k++)
        {
            owners[k] = pool.specs[pool.pick(strategy, tasks[k], decision)].id();
        }
        return owners;
    }

    @Property(tries = 12)
    void aJoiningAgentTakesAboutOneNthOfTheKeysAndOnlyThose(@ForAll @IntRange(min = 2, max = 24) final int n)
    {
        final AgentSpec[] all = specs(n + 1);
        final RoutingStrategy strategy = new ConsistentHashStrategy(); // one instance: it must notice the pool grew
        final TaskView[] tasks = keyed(KEYS);
        final String[] before = owners(strategy, new FakePool(Arrays.copyOf(all, n)), tasks);
        final String[] after = owners(strategy, new FakePool(all), tasks);
        int moved = 0;
        for (int k = 0; k < KEYS; k++)
        {
            if (!before[k].equals(after[k]))
            {
                moved++;
                assertThat(after[k]).as("a moved key goes to the new agent").isEqualTo(all[n].id());
            }
        }
        final double expected = (double)KEYS / (n + 1);
        assertThat((double)moved).as("keys moved when agent %d of %d joined", n + 1, n + 1)
            .isBetween(expected * 0.6, expected * 1.4);
    }

    @Property(tries = 12)
    void aLeavingAgentGivesUpOnlyItsOwnKeys(@ForAll @IntRange(min = 3, max = 24) final int n,
                                            @ForAll @IntRange(min = 0, max = 23) final int leaverSeed)
    {
        final int leaver = leaverSeed % n;
        final AgentSpec[] all = specs(n);
        final List<AgentSpec> rest = new ArrayList<>(Arrays.asList(all));
        rest.remove(leaver); // from the middle: every later agent shifts one pool position down
        final RoutingStrategy strategy = new ConsistentHashStrategy();
        final TaskView[] tasks = keyed(KEYS);
        final String[] before = owners(strategy, new FakePool(all), tasks);
        final String[] after = owners(strategy, new FakePool(rest.toArray(new AgentSpec[0])), tasks);
        int moved = 0;
        for (int k = 0; k < KEYS; k++)
        {
            if (!before[k].equals(after[k]))
            {
                moved++;
                assertThat(before[k]).as("only the leaver's keys move").isEqualTo(all[leaver].id());
            }
            else
            {
                assertThat(before[k]).isNotEqualTo(all[leaver].id());
            }
        }
        final double expected = (double)KEYS / n;
        assertThat((double)moved).isBetween(expected * 0.6, expected * 1.4);
    }

    @Test
    void aKeyMapsToTheSameAgentWhileThePoolIsStable()
    {
        final FakePool pool = new FakePool(specs(10));
        final RoutingStrategy strategy = new ConsistentHashStrategy();
        final TaskView[] tasks = keyed(1_000);
        final String[] first = owners(strategy, pool, tasks);
        for (int i = 0; i < 10; i++)
        {
            pool.inFlight[i] = 100 * i; // load does not matter to plain consistent hashing
        }
        assertThat(owners(strategy, pool, tasks)).containsExactly(first);
        assertThat(owners(new ConsistentHashStrategy(), new FakePool(specs(10)), tasks))
            .as("a fresh instance, another pool object: the same ring").containsExactly(first);
    }

    @Test
    void keysSpreadEvenlyAndInProportionToWeight()
    {
        final AgentSpec[] specs = specs(8);
        specs[7] = AgentSpec.builder("agent-7", "worker").capacity(1_000).weight(3).build();
        final FakePool pool = new FakePool(specs);
        final int[] counts = new int[8];
        final RoutingStrategy strategy = new ConsistentHashStrategy();
        final RoutingDecision decision = new RoutingDecision();
        for (final TaskView t : keyed(KEYS))
        {
            counts[pool.pick(strategy, t, decision)]++;
        }
        final double unit = KEYS / 10.0; // weights 1 x 7 + 3
        for (int i = 0; i < 7; i++)
        {
            assertThat((double)counts[i]).isBetween(unit * 0.75, unit * 1.25);
        }
        assertThat((double)counts[7]).isBetween(3 * unit * 0.8, 3 * unit * 1.2);
    }

    @Test
    void anIneligibleOwnerPassesTheKeyClockwiseUntilItHasRoomAgain()
    {
        final FakePool pool = new FakePool(specs(6));
        final RoutingStrategy strategy = new ConsistentHashStrategy();
        final TaskView[] tasks = keyed(500);
        final String[] owners = owners(strategy, pool, tasks);
        pool.full[2] = true;
        final String[] detour = owners(strategy, pool, tasks);
        for (int k = 0; k < tasks.length; k++)
        {
            if (owners[k].equals("agent-2"))
            {
                assertThat(detour[k]).isNotEqualTo("agent-2");
            }
            else
            {
                assertThat(detour[k]).isEqualTo(owners[k]);
            }
        }
        pool.full[2] = false;
        assertThat(owners(strategy, pool, tasks)).containsExactly(owners);
    }

    /**
     * A pool of the same size and ends whose middle agent was replaced, announced ({@code onPoolChanged}, as the
     * dispatcher announces every change): the one change the ring's O(1) check per decision cannot see, and an announced
     * ring no longer reads the agent where its walk stops, so the announcement itself must rebuild the ring.
     */
    @ParameterizedTest
    @ValueSource(strings = {"consistent-hash", "bounded-load-hash"})
    void anAnnouncedPoolWithItsMiddleAgentReplacedMovesOnlyTheKeysOfTheTwo(final String name)
    {
        final Supplier<IndexedRoutingStrategy> fresh = () -> name.equals("consistent-hash") ? new ConsistentHashStrategy() :
            new BoundedLoadHashStrategy(0.25);
        final AgentSpec[] before = specs(10);
        final AgentSpec[] after = before.clone();
        after[5] = AgentSpec.builder("agent-new", "worker").capacity(1_000).build();
        final TaskView[] tasks = keyed(2_000);
        final IndexedRoutingStrategy strategy = fresh.get(); // one instance across the change
        final String[] first = routed(strategy, new FakeAgentPool(new FakePool(before), 0), tasks);
        final String[] second = routed(strategy, new FakeAgentPool(new FakePool(after), 0), tasks);
        assertThat(second).as("the keys of the new pool, as a strategy that never saw the old one routes them")
            .containsExactly(routed(fresh.get(), new FakeAgentPool(new FakePool(after), 0), tasks));
        int moved = 0;
        for (int k = 0; k < tasks.length; k++)
        {
            if (!first[k].equals(second[k]))
            {
                moved++;
                assertThat(first[k].equals("agent-5") || second[k].equals("agent-new"))
                    .as("key %d moved from %s to %s: only the leaver's keys and the newcomer's move", k, first[k], second[k])
                    .isTrue();
            }
        }
        assertThat(moved).as("keys that moved").isPositive();
    }

    /** @return the agent each key is routed to on a version 2 pool, announced to the strategy first. */
    private static String[] routed(final IndexedRoutingStrategy strategy, final FakeAgentPool pool, final TaskView[] tasks)
    {
        strategy.onPoolChanged(pool);
        final String[] owners = new String[tasks.length];
        final RoutingDecision decision = new RoutingDecision();
        for (int k = 0; k < tasks.length; k++)
        {
            owners[k] = pool.agent(strategy.route(tasks[k], pool.routing(tasks[k]), decision)).id();
        }
        return owners;
    }

    @Test
    void tasksWithoutAKeyGoToTheLeastLoaded()
    {
        final FakePool pool = new FakePool(specs(4));
        pool.inFlight[0] = 5;
        pool.inFlight[1] = 1;
        pool.inFlight[2] = 7;
        pool.inFlight[3] = 3;
        assertThat(pool.pick(new ConsistentHashStrategy())).isEqualTo(1);
    }

    @Test
    void hashesOfNeighbouringKeysAreFarApart()
    {
        assertThat(Hashing.hash("session-1")).isNotEqualTo(Hashing.hash("session-2"));
        assertThat(Long.bitCount(Hashing.hash("session-1") ^ Hashing.hash("session-2"))).isBetween(16, 48);
        assertThat(Hashing.hash("")).isEqualTo(Hashing.hash(new StringBuilder()));
    }
}
