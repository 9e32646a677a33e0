package dev.ringmaster.plugins.routing;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.dispatch.SubmitStatus;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.routing.RoutingStrategies;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.RoutingStrategy;
import dev.ringmaster.testing.FakePool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The built-in strategies are found by name and each does what defines it. */
class BuiltInStrategiesTest
{
    private static final ClassLoader LOADER = BuiltInStrategiesTest.class.getClassLoader();
    static final List<String> ALL = List.of("round-robin", "random", "least-connections", "weighted-round-robin",
        "least-tokens", "p2c", "p3c", "peak-ewma", "consistent-hash", "bounded-load-hash", "skill-based",
        "resource-adaptive", "auction", "direct", "sticky", "shortest-expected-delay", "expected-completion");

    @Test
    void everyBuiltInIsFoundByNameThroughServiceLoader()
    {
        assertThat(RoutingStrategies.names(LOADER)).containsAll(ALL);
        for (final String name : ALL)
        {
            assertThat(RoutingStrategies.create(name, LOADER).name()).isEqualTo(name);
        }
        assertThat(RoutingStrategies.available(LOADER).values())
            .allSatisfy(p -> assertThat(p.description()).contains("O("));
    }

    @ParameterizedTest
    @ValueSource(strings = {"round-robin", "random", "least-connections", "weighted-round-robin", "least-tokens", "p2c",
        "p3c", "peak-ewma", "consistent-hash", "bounded-load-hash", "skill-based", "resource-adaptive", "auction", "direct",
        "sticky", "shortest-expected-delay", "expected-completion"})
    void aDispatcherBuiltByStrategyNameCompletesEveryTask(final String name)
    {
        final Dispatcher.Builder b = Dispatcher.builder().strategy(name);
        for (int i = 0; i < 4; i++)
        {
            b.agent(AgentSpec.builder("a" + i, "worker").capacity(2).build(), AgentAdapter.sync(t -> "ok"));
        }
        final Dispatcher d = b.build().start();
        for (int i = 0; i < 5_000; i++)
        {
            // keys and targets on some tasks, so the hashing, sticky and direct strategies take their real paths
            final Task task = Task.builder("worker").affinityKey(i % 3 == 0 ? null : "k" + i % 37)
                .targetAgent(i % 5 == 0 ? "a" + i % 4 : null).costTokens(i % 1_000).build();
            assertThat(d.submit(task, Duration.ofSeconds(5))).isEqualTo(SubmitStatus.ACCEPTED);
        }
        assertThat(d.drain(Duration.ofSeconds(30))).isTrue();
        assertThat(d.metrics().completed()).isEqualTo(5_000);
        assertThat(d.strategy()).isEqualTo(name);
    }

    @Test
    void roundRobinVisitsAgentsInTurnAndSkipsOnlyThoseWithoutRoom()
    {
        final FakePool pool = new FakePool(4);
        final RoutingStrategy rr = new RoundRobinStrategy();
        final List<Integer> picks = new ArrayList<>();
        for (int i = 0; i < 8; i++)
        {
            picks.add(pool.pick(rr));
        }
        assertThat(picks).containsExactly(0, 1, 2, 3, 0, 1, 2, 3);
        pool.full[2] = true; // agent 2 is busy: its turn is skipped, the others keep their order
        picks.clear();
        for (int i = 0; i < 6; i++)
        {
            picks.add(pool.pick(rr));
        }
        assertThat(picks).containsExactly(0, 1, 3, 0, 1, 3);
    }

    @Test
    void leastConnectionsPicksTheLeastLoadedRelativeToCapacity()
    {
        final FakePool pool = new FakePool(
            AgentSpec.builder("a", "worker").capacity(4).build(),
            AgentSpec.builder("b", "worker").capacity(1).build(),
            AgentSpec.builder("c", "worker").capacity(8).build());
        pool.inFlight[0] = 3; // 75 %
        pool.inFlight[1] = 1; // 100 %
        pool.inFlight[2] = 4; // 50 %: least loaded despite the most tasks
        final RoutingDecision decision = new RoutingDecision();
        assertThat(pool.pick(new LeastConnectionsStrategy(), FakePool.view(Task.builder("worker").build()), decision)).isEqualTo(2);
        assertThat(decision.score()).isEqualTo(0.5);
        assertThat(decision.runnerUp()).isEqualTo(0.25);
    }

    @Test
    void randomIsSeededAndRoughlyUniform()
    {
        final FakePool pool = new FakePool(4);
        final int[] counts = new int[4];
        final List<Integer> first = new ArrayList<>();
        final RoutingStrategy r1 = new RandomStrategy(99);
        final RoutingStrategy r2 = new RandomStrategy(99);
        for (int i = 0; i < 40_000; i++)
        {
            final int pick = pool.pick(r1);
            counts[pick]++;
            if (i < 100)
            {
                first.add(pick);
            }
        }
        for (int i = 0; i < 100; i++)
        {
            assertThat(pool.pick(r2)).isEqualTo(first.get(i)); // same seed, same choices: a run can be replayed
        }
        for (final int c : counts)
        {
            assertThat(c).isBetween(9_000, 11_000);
        }
    }

}
