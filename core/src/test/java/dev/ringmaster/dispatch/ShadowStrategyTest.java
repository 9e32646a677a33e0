package dev.ringmaster.dispatch;

import dev.ringmaster.metrics.ShadowStats;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentPool;
import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.Candidates;
import dev.ringmaster.spi.DispatchListener;
import dev.ringmaster.spi.Provenance;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.RoutingStrategy;
import dev.ringmaster.spi.TaskView;
import dev.ringmaster.testing.TestStrategies;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A shadow strategy decides on every task the live one places, without acting: it agrees with itself, it cannot hurt
 * dispatch whatever it throws, its disagreements are scored, and every assignment's listeners hear its pick.
 */
class ShadowStrategyTest
{
    static final int TASKS = 400;

    private static Dispatcher.Builder fleet(final int agents)
    {
        final Dispatcher.Builder b = Dispatcher.builder().workers(2);
        for (int i = 0; i < agents; i++)
        {
            b.agent(AgentSpec.builder("w-" + i, "w").capacity(2).build(), (task, c, tel) -> c.succeed("ok"));
        }
        return b;
    }

    private static void runTasks(final Dispatcher d) throws Exception
    {
        for (int i = 0; i < TASKS; i++)
        {
            assertThat(d.submitAsync(Task.builder("w").build()).get(10, TimeUnit.SECONDS).completed()).isTrue();
        }
        assertThat(d.drain(Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void aShadowThatIsTheLiveStrategyAgreesOnEveryDecisionAndKeepsItsOwnState() throws Exception
    {
        // round robin is stateful: had the shadow shared the live cursor, or been told of its own picks, both would
        // have advanced twice per task and drifted apart
        final Dispatcher d = fleet(5).strategy(TestStrategies.roundRobin()).shadow(TestStrategies.roundRobin())
            .build().start();
        runTasks(d);
        final ShadowStats s = d.metrics().shadow();
        assertThat(s.strategy()).isEqualTo("test-round-robin");
        assertThat(s.decisions()).isEqualTo(TASKS);
        assertThat(s.agreement()).isEqualTo(1.0);
        assertThat(s.faults()).isZero();
        final long perAgent = TASKS / 5;
        assertThat(d.metrics().agents()).allSatisfy(a -> assertThat(a.completed()).isEqualTo(perAgent));
        d.close();
    }

    @Test
    void aShadowThatThrowsEverywhereNeverHurtsDispatch() throws Exception
    {
        final Dispatcher d = fleet(4).strategy(TestStrategies.roundRobin()).shadow(new RoutingStrategy()
        {
            @Override
            public String name()
            {
                return "broken";
            }

            @Override
            public int select(final TaskView task, final Candidates candidates, final RoutingDecision decision)
            {
                throw new StackOverflowError("the shadow's bug");
            }

            @Override
            public void onAssigned(final AgentPool pool, final int position, final TaskView task)
            {
                throw new IllegalStateException("the shadow's callback bug");
            }
        }).build().start();
        runTasks(d);
        final var m = d.metrics();
        assertThat(m.completed()).isEqualTo(TASKS);
        assertThat(m.faults().strategy()).as("the live strategy's faults").isZero();
        assertThat(m.agents()).allSatisfy(a -> assertThat(a.completed()).isEqualTo(TASKS / 4));
        assertThat(m.shadow().faults()).as("contained and counted, until the shadow was quarantined").isEqualTo(16);
        assertThat(m.shadow().agreements()).isZero();
        d.close();
    }

    @Test
    void everyAssignmentCarriesItsProvenanceWithTheShadowsPick() throws Exception
    {
        final List<String> seen = new CopyOnWriteArrayList<>();
        final DispatchListener listener = new DispatchListener()
        {
            @Override
            public void onAcceptedAndAssigned(final TaskView task, final long acceptedNanos, final AgentView agent,
                                              final Provenance why, final long assignedNanos)
            {
                onAssigned(task, agent, why, assignedNanos);
            }

            @Override
            public void onAssigned(final TaskView task, final AgentView agent, final Provenance why, final long nanos)
            {
                seen.add(why.strategy() + " v" + why.strategyVersion() + " of " + why.candidates() + " on " +
                    agent.id() + ", shadow " + why.shadowStrategy() + " on " +
                    (why.shadowAgent() == null ? null : why.shadowAgent().id()));
            }
        };
        // three held tasks on three agents with room for three each (capacity 2, prefetch 1): the live strategy puts
        // all on the first; the least-loaded shadow would have moved the second away, and the third too, to the
        // same agent, since its picks are never acted on (the second agent is still empty)
        final Gate gate = new Gate();
        final Dispatcher.Builder b = Dispatcher.builder().workers(1).strategy(TestStrategies.first())
            .shadow(TestStrategies.leastLoaded()).listener(listener);
        for (int i = 0; i < 3; i++)
        {
            b.agent(AgentSpec.builder("w-" + i, "w").capacity(2).build(), gate);
        }
        final Dispatcher d = b.build().start();
        final List<java.util.concurrent.CompletableFuture<TaskResult>> all = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++)
        {
            all.add(d.submitAsync(Task.builder("w").build()));
        }
        dev.ringmaster.testing.Await.until("three assignments", () -> seen.size() == 3);
        assertThat(seen).containsExactly("test-first v1 of 3 on w-0, shadow test-least-loaded on w-0",
            "test-first v1 of 3 on w-0, shadow test-least-loaded on w-1",
            "test-first v1 of 3 on w-0, shadow test-least-loaded on w-1");
        for (int i = 0; i < 3; i++)
        {
            assertThat(gate.releaseOne()).isTrue();
        }
        for (final var f : all)
        {
            assertThat(f.get(10, TimeUnit.SECONDS).completed()).isTrue();
        }
        assertThat(d.metrics().shadow().agreements()).isEqualTo(1);
        d.close();
    }

    @Test
    void aShadowThatDisagreesIsCountedAndItsRegretIsEstimated() throws Exception
    {
        // the live strategy piles onto the first agent; the shadow spreads: once agents are measured it would have
        // finished tasks sooner elsewhere, a negative regret
        final Dispatcher d = fleet(4).strategy(TestStrategies.first()).shadow(TestStrategies.leastLoaded())
            .build().start();
        final List<java.util.concurrent.CompletableFuture<TaskResult>> all = new java.util.ArrayList<>();
        for (int i = 0; i < TASKS; i++)
        {
            all.add(d.submitAsync(Task.builder("w").build()));
        }
        for (final var f : all)
        {
            assertThat(f.get(10, TimeUnit.SECONDS).completed()).isTrue();
        }
        assertThat(d.drain(Duration.ofSeconds(10))).isTrue();
        final ShadowStats s = d.metrics().shadow();
        assertThat(s.decisions()).isEqualTo(TASKS);
        assertThat(s.agreement()).isBetween(0.0, 1.0);
        assertThat(s.regretSamples()).isPositive();
        d.close();
    }

    @Test
    void noShadowMeansNoShadowFiguresAndTheLiveInstanceCannotShadowItself()
    {
        assertThat(fleet(1).strategy(TestStrategies.first()).build().metrics().shadow()).isNull();
        final RoutingStrategy live = TestStrategies.roundRobin();
        assertThatThrownBy(() -> fleet(1).strategy(live).shadow(live).build())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("its own state");
    }
}
