package dev.ringmaster.dispatch;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentPool;
import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.Candidates;
import dev.ringmaster.spi.IndexedRoutingStrategy;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.TaskView;
import dev.ringmaster.testing.TestStrategies;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The routing probe keeps the same books as the dispatcher: an assignment it makes at the position the decision found
 * (no agent object read) and a release it makes through the agent both show in the agent's in-flight count, its
 * tokens, its room and what a version 2 strategy reads from the pool by position; after random routes and releases
 * every agent holds exactly what was routed to it and not released.
 */
class RoutingProbeTest
{
    /** Version 2: the eligible agent with the fewest tasks in flight, read from the pool by position. */
    static final class FewestByPosition implements IndexedRoutingStrategy
    {
        @Override
        public String name()
        {
            return "fewest-by-position";
        }

        @Override
        public int select(final TaskView task, final Candidates candidates, final RoutingDecision decision)
        {
            throw new AssertionError("a version 2 strategy gets no candidate list");
        }

        @Override
        public int route(final TaskView task, final AgentPool pool, final RoutingDecision decision)
        {
            int best = DECLINE;
            for (int p = pool.nextEligible(0); p >= 0; p = p + 1 < pool.size() ? pool.nextEligible(p + 1) : -1)
            {
                if (best < 0 || pool.inFlight(p) < pool.inFlight(best))
                {
                    best = p;
                }
                assertThat(pool.inFlight(p)).as("the pool's figure is the agent's").isEqualTo(pool.agent(p).inFlight());
            }
            return best;
        }
    }

    @ParameterizedTest(name = "version {0}")
    @ValueSource(ints = {1, 2})
    void routesAndReleasesKeepEveryAgentsCounts(final int version)
    {
        final Dispatcher.Builder b = Dispatcher.builder().prefetch(1)
            .strategy(version == 1 ? TestStrategies.leastLoaded() : new FewestByPosition());
        int slots = 0;
        for (int i = 0; i < 40; i++) // more than 32 agents: the index's words and positions past the first
        {
            b.agent(AgentSpec.builder("agent-" + i, "coder").capacity(1 + i % 3).build(),
                (task, completion, telemetry) -> completion.succeed("never runs"));
            slots += 1 + i % 3 + 1;
        }
        final RoutingProbe probe = RoutingProbe.of(b);
        final Map<AgentView, List<Task>> held = new HashMap<>();
        final List<AgentView> holders = new ArrayList<>();
        final SplittableRandom random = new SplittableRandom(version);
        int inFlight = 0;
        for (int step = 0; step < 5_000; step++)
        {
            if (random.nextInt(3) != 0 || holders.isEmpty())
            {
                final Task task = Task.builder("coder").costTokens(1 + random.nextInt(1_000)).build();
                final AgentView agent = probe.route(task);
                if (inFlight == slots)
                {
                    assertThat(agent).as("every slot taken: nobody has room").isNull();
                    continue;
                }
                assertThat(agent).as("a slot is free").isNotNull();
                held.computeIfAbsent(agent, a -> new ArrayList<>()).add(task);
                holders.add(agent);
                inFlight++;
            }
            else
            {
                final AgentView agent = holders.remove(random.nextInt(holders.size()));
                final List<Task> tasks = held.get(agent);
                probe.release(agent, tasks.remove(tasks.size() - 1));
                inFlight--;
            }
            for (final Map.Entry<AgentView, List<Task>> e : held.entrySet())
            {
                final AgentView a = e.getKey();
                assertThat(a.inFlight()).as("in flight on %s", a.id()).isEqualTo(e.getValue().size());
                assertThat(a.inFlight()).as("within %s's limit", a.id()).isLessThanOrEqualTo(a.capacity() + 1);
                assertThat(a.tokensInFlight()).as("tokens on %s", a.id())
                    .isEqualTo(e.getValue().stream().mapToLong(Task::costTokens).sum());
            }
        }
        assertThat(inFlight).as("tasks still in flight, released below").isPositive();
        for (final Map.Entry<AgentView, List<Task>> e : held.entrySet())
        {
            for (final Task task : e.getValue())
            {
                probe.release(e.getKey(), task);
            }
            assertThat(e.getKey().inFlight()).isZero();
            assertThat(e.getKey().tokensInFlight()).isZero();
        }
        final AgentView idle = holders.get(0);
        assertThatThrownBy(() -> probe.release(idle, Task.builder("coder").build()))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining(idle.id()).hasMessageContaining("no task");
    }
}
