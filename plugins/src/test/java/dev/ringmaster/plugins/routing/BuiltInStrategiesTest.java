package dev.ringmaster.plugins.routing;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.dispatch.SubmitStatus;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.routing.RoutingStrategies;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.Candidates;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.RoutingStrategy;
import dev.ringmaster.spi.TaskView;
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

    @Test
    void everyBuiltInIsFoundByNameThroughServiceLoader()
    {
        assertThat(RoutingStrategies.names(LOADER)).contains("round-robin", "random", "least-connections");
        for (final String name : List.of("round-robin", "random", "least-connections"))
        {
            assertThat(RoutingStrategies.create(name, LOADER).name()).isEqualTo(name);
        }
        assertThat(RoutingStrategies.available(LOADER).values())
            .allSatisfy(p -> assertThat(p.description()).contains("O("));
    }

    @ParameterizedTest
    @ValueSource(strings = {"round-robin", "random", "least-connections"})
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
            assertThat(d.submit(Task.builder("worker").build(), Duration.ofSeconds(5))).isEqualTo(SubmitStatus.ACCEPTED);
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
        final FakePool pool = new FakePool(3);
        pool.inFlight[0] = 3;
        pool.capacity[0] = 4; // 75 %
        pool.inFlight[1] = 1;
        pool.capacity[1] = 1; // 100 %
        pool.inFlight[2] = 4;
        pool.capacity[2] = 8; // 50 %: least loaded despite the most tasks
        final RoutingDecision decision = new RoutingDecision();
        assertThat(pool.pick(new LeastConnectionsStrategy(), decision)).isEqualTo(2);
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

    private static final TaskView TASK = new TaskView()
    {
        private final Task task = Task.builder("worker").build();

        @Override
        public Task task()
        {
            return task;
        }

        @Override
        public dev.ringmaster.model.Priority priority()
        {
            return task.priority();
        }

        @Override
        public int attempt()
        {
            return 1;
        }

        @Override
        public long acceptedNanos()
        {
            return 0;
        }

        @Override
        public long sequence()
        {
            return 0;
        }
    };

    /** A pool of fake agents; candidates are the agents not marked full, in pool order. */
    static final class FakePool implements Candidates
    {
        final int[] inFlight;
        final int[] capacity;
        final boolean[] full;
        private final AgentView[] agents;
        private final int[] eligible;
        private int size;

        FakePool(final int n)
        {
            inFlight = new int[n];
            capacity = new int[n];
            full = new boolean[n];
            agents = new AgentView[n];
            eligible = new int[n];
            for (int i = 0; i < n; i++)
            {
                capacity[i] = 1;
                final int index = i;
                final AgentSpec spec = AgentSpec.builder("fake-" + i, "worker").build();
                agents[i] = new FakeAgent(index, spec);
            }
        }

        int pick(final RoutingStrategy strategy)
        {
            return pick(strategy, new RoutingDecision());
        }

        int pick(final RoutingStrategy strategy, final RoutingDecision decision)
        {
            size = 0;
            for (int i = 0; i < agents.length; i++)
            {
                if (!full[i])
                {
                    eligible[size++] = i;
                }
            }
            return eligible[strategy.select(TASK, this, decision)];
        }

        @Override
        public int size()
        {
            return size;
        }

        @Override
        public AgentView get(final int i)
        {
            return agents[eligible[i]];
        }

        @Override
        public int poolPosition(final int i)
        {
            return eligible[i];
        }

        @Override
        public int poolSize()
        {
            return agents.length;
        }

        @Override
        public AgentView poolAgent(final int i)
        {
            return agents[i];
        }

        /** An agent whose load the test sets directly. */
        final class FakeAgent implements AgentView
        {
            private final int index;
            private final AgentSpec spec;

            FakeAgent(final int index, final AgentSpec spec)
            {
                this.index = index;
                this.spec = spec;
            }

            @Override
            public int index()
            {
                return index;
            }

            @Override
            public AgentSpec spec()
            {
                return spec;
            }

            @Override
            public int capacity()
            {
                return capacity[index];
            }

            @Override
            public double proficiency(final int skillId)
            {
                return 0;
            }

            @Override
            public int inFlight()
            {
                return inFlight[index];
            }

            @Override
            public int queued()
            {
                return 0;
            }

            @Override
            public long tokensInFlight()
            {
                return 0;
            }

            @Override
            public double ewmaLatencyNanos()
            {
                return 0;
            }

            @Override
            public double contextUtilization()
            {
                return 0;
            }

            @Override
            public double recentQuality()
            {
                return 1;
            }

            @Override
            public long tokenBudgetLeft()
            {
                return Long.MAX_VALUE;
            }

            @Override
            public long completedCount()
            {
                return 0;
            }
        }
    }
}
