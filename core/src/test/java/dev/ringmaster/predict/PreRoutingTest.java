package dev.ringmaster.predict;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.dispatch.TerminalState;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.RoutingStrategy;
import dev.ringmaster.testing.Await;
import dev.ringmaster.testing.FakePool;
import org.junit.jupiter.api.Test;

import java.io.DataInput;
import java.io.DataOutput;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pre-routing acts only on predictions at or above its threshold, and nothing a predictor, a warm hook or a log throws
 * reaches routing or dispatch.
 */
class PreRoutingTest
{
    private static final long SECOND = 1_000_000_000L;
    private static final PreRouting.Settings SETTINGS =
        new PreRouting.Settings(0.7, 30 * SECOND, 4, 64, SECOND, 4 * SECOND);

    /** Predicts "repo-1" of type worker with a fixed confidence; learns nothing. */
    private static class Fixed implements Predictor
    {
        private final double confidence;

        Fixed(final double confidence)
        {
            this.confidence = confidence;
        }

        @Override
        public String name()
        {
            return "fixed";
        }

        @Override
        public void observe(final String type, final String contextKey, final long requiredSkills, final long nanos)
        {
        }

        @Override
        public void predict(final long nowNanos, final long horizonNanos, final Predictions out)
        {
            out.add("worker", "repo-1", 0, confidence, 3, Predictions.Basis.RATE);
        }

        @Override
        public void writeModel(final DataOutput out)
        {
        }

        @Override
        public void readModel(final DataInput in)
        {
        }
    }

    /** Always the first candidate: the choice pre-routing may change. */
    private static final RoutingStrategy FIRST = new RoutingStrategy()
    {
        @Override
        public String name()
        {
            return "first";
        }

        @Override
        public int select(final dev.ringmaster.spi.TaskView task, final dev.ringmaster.spi.Candidates c,
                          final RoutingDecision decision)
        {
            return 0;
        }
    };

    private static List<AgentView> agents(final FakePool pool)
    {
        final List<AgentView> all = new ArrayList<>();
        for (int i = 0; i < pool.specs.length; i++)
        {
            all.add(pool.agent(i));
        }
        return all;
    }

    private static int route(final FakePool pool, final PreRouting pre, final String key)
    {
        final Task task = Task.builder("worker").affinityKey(key).build();
        return pool.pick(new PredictiveStrategy(FIRST, pre, () -> 0), FakePool.view(task), new RoutingDecision());
    }

    @Test
    void aPredictionBelowTheThresholdCausesNoActionAndOneAboveWarmsAnIdleAgentThatItsTasksThenPrefer()
    {
        final FakePool pool = new FakePool(4);
        pool.inFlight[0] = 1; // busy: never the one to warm
        final List<String> logged = new ArrayList<>();
        final PredictionLog log = (action, type, key, agent, confidence, expected, horizon, nanos) ->
            logged.add(action + " " + key + " " + agent);
        final List<String> warmed = new ArrayList<>();
        final Warmer warmer = (agent, key) -> warmed.add(agent.spec().id() + " " + key);

        final PreRouting below = new PreRouting(new Fixed(0.69), SETTINGS, log, null);
        below.tick(SECOND, agents(pool), warmer);
        assertThat(below.hot("worker", "repo-1")).isFalse();
        assertThat(route(pool, below, "repo-1")).as("the strategy's own choice").isZero();
        assertThat(warmed).isEmpty();
        assertThat(logged).isEmpty();

        final PreRouting above = new PreRouting(new Fixed(0.71), SETTINGS, log, null);
        above.tick(SECOND, agents(pool), warmer);
        assertThat(above.hot("worker", "repo-1")).isTrue();
        assertThat(warmed).containsExactly("fake-1 repo-1");
        assertThat(logged).containsExactly("PREDICTED repo-1 null", "WARMED repo-1 fake-1");
        assertThat(route(pool, above, "repo-1")).as("the warm home agent, not the strategy's first").isEqualTo(1);
        assertThat(route(pool, above, "repo-2")).as("a key nobody predicted keeps the strategy's choice").isZero();
        assertThat(above.preferred()).isEqualTo(1);
    }

    @Test
    void aTaskOfAPredictedKeyWaitsABoundedTimeForItsBusyHomeAgentOnlyWhenTheOtherIsBusyToo()
    {
        for (final boolean otherBusy : new boolean[] {true, false})
        {
            final FakePool pool = new FakePool(2);
            final PreRouting pre = new PreRouting(new Fixed(0.9), SETTINGS, null, null);
            pre.tick(SECOND, agents(pool), (agent, key) -> true);
            final int home = route(pool, pre, "repo-1");
            pool.full[home] = true; // the home agent has no room: only the other is a candidate
            pool.inFlight[1 - home] = otherBusy ? 1 : 0; // capacity 1: busy, though it may still queue the task

            final Task task = Task.builder("worker").affinityKey("repo-1").build();
            final PredictiveStrategy strategy = new PredictiveStrategy(FIRST, pre, () -> 3 * SECOND);
            final PredictiveStrategy later = new PredictiveStrategy(FIRST, pre, () -> 5 * SECOND);
            if (otherBusy)
            {
                assertThat(strategy.select(FakePool.view(task, 0, 1), candidatesOf(pool), new RoutingDecision()))
                    .as("held within the 4 s hold").isEqualTo(RoutingStrategy.DECLINE);
                assertThat(pool.pick(later, FakePool.view(task, 0, 1), new RoutingDecision()))
                    .as("after the hold it goes to the cold agent").isEqualTo(1 - home);
            }
            else
            {
                assertThat(pool.pick(strategy, FakePool.view(task, 0, 1), new RoutingDecision()))
                    .as("the other agent can start it at once: loading cold beats waiting").isEqualTo(1 - home);
            }
        }
    }

    @Test
    void aTaskOfAKeyNobodyPredictedGoesToAnIdleAgentHoldingItWarmButNeverWaitsForOne()
    {
        final FakePool pool = new FakePool(3);
        final PreRouting pre = new PreRouting(new Fixed(0.9), SETTINGS, null, null);
        pre.tick(SECOND, agents(pool), null);
        final Task earlier = Task.builder("worker").affinityKey("repo-9").build();
        pre.assigned(pool.agent(2), FakePool.view(earlier)); // fake-2 ran a repo-9 task: the key is warm there
        assertThat(pre.hot("worker", "repo-9")).isFalse();

        assertThat(route(pool, pre, "repo-9")).as("the idle warm agent, not the strategy's first").isEqualTo(2);
        pool.inFlight[2] = 1; // now busy (capacity 1)
        assertThat(route(pool, pre, "repo-9")).as("no waiting for a warm agent for an unpredicted key").isZero();
        assertThat(route(pool, pre, "repo-8")).as("a key warm nowhere keeps the strategy's choice").isZero();
    }

    @Test
    void aTaskWaitingAtTheAgentHoldingItsKeyWarmIsNotStolenWhileTheWaitIsShorterThanALoad()
    {
        final FakePool pool = new FakePool(2); // capacity 1 each
        final PreRouting pre = new PreRouting(new Fixed(0.9), SETTINGS, null, null); // a cold load costs 1 s
        final dev.ringmaster.spi.TaskView task = FakePool.view(Task.builder("worker").affinityKey("repo-1").build());
        pre.tick(SECOND, agents(pool), null);
        pre.assigned(pool.agent(0), task); // fake-0 holds repo-1 warm
        pool.completed[0] = 10;
        pool.ewmaLatencyNanos[0] = 0.5 * SECOND;
        pool.inFlight[0] = 2; // one running, the task waiting behind it: it starts in about 0.5 s

        assertThat(pre.mayMove(task, pool.agent(0), pool.agent(1))).as("0.5 s of waiting < 1 s of loading").isFalse();
        pool.ewmaLatencyNanos[0] = 3.0 * SECOND;
        assertThat(pre.mayMove(task, pool.agent(0), pool.agent(1))).as("3 s of waiting > 1 s of loading").isTrue();
        pool.ewmaLatencyNanos[0] = 0.5 * SECOND;
        assertThat(pre.mayMove(FakePool.view(Task.builder("worker").build()), pool.agent(0), pool.agent(1)))
            .as("a task without a key").isTrue();
        assertThat(pre.mayMove(task, pool.agent(1), pool.agent(0))).as("from an agent that is not warm").isTrue();
        assertThat(pre.keptWarm()).isEqualTo(1);

        final PreRouting noPlan = new PreRouting(new Fixed(0.5), SETTINGS, null, null);
        noPlan.tick(SECOND, agents(pool), null);
        noPlan.assigned(pool.agent(0), task);
        assertThat(noPlan.mayMove(task, pool.agent(0), pool.agent(1))).as("nothing predicted: stealing as without")
            .isTrue();
    }

    private static FakePool candidatesOf(final FakePool pool)
    {
        pool.pick(FIRST, FakePool.view(Task.builder("worker").build()), new RoutingDecision()); // refresh the candidates
        return pool;
    }

    @Test
    void aThrowingPredictorWarmHookOrLogIsContainedAndRoutingGoesOn()
    {
        final FakePool pool = new FakePool(3);
        final Predictor broken = new Fixed(0.9)
        {
            @Override
            public void observe(final String type, final String contextKey, final long skills, final long nanos)
            {
                throw new StackOverflowError("predictor bug");
            }

            @Override
            public void predict(final long nowNanos, final long horizonNanos, final Predictions out)
            {
                throw new IllegalStateException("predictor bug");
            }
        };
        final PreRouting pre = new PreRouting(broken, SETTINGS, null, null);
        pre.observe("worker", "repo-1", 0, SECOND);
        pre.tick(SECOND, agents(pool), (agent, key) -> true);
        assertThat(pre.faults()).isEqualTo(2);
        assertThat(pre.hot("worker", "repo-1")).isFalse();
        assertThat(route(pool, pre, "repo-1")).isZero();

        final PreRouting hooks = new PreRouting(new Fixed(0.9), SETTINGS,
            (action, type, key, agent, confidence, expected, horizon, nanos) -> { throw new OutOfMemoryError("log"); },
            (type, rate, confidence) -> { throw new IllegalArgumentException("hint"); });
        hooks.tick(SECOND, agents(pool), (agent, key) -> { throw new AssertionError("warm hook bug"); });
        assertThat(hooks.faults()).isEqualTo(3); // the log (PREDICTED), the warm hook, the capacity hint
        assertThat(hooks.warms()).isZero();
        assertThat(hooks.hot("worker", "repo-1")).isTrue();
        assertThat(route(pool, hooks, "repo-1")).isBetween(0, 2);
    }

    /**
     * A prediction without a type is the predictor's fault, counted and contained like its exceptions: it used to be
     * accepted, then failed the tick with a NullPointerException outside any containment, which the live pre-routing
     * thread swallowed, so nothing was counted or logged and the previous tick's plan stayed.
     */
    @Test
    void aPredictionWithoutATypeIsAContainedPredictorFault()
    {
        final FakePool pool = new FakePool(3);
        final String[] type = {"worker"};
        final Predictor predictor = new Fixed(0.9)
        {
            @Override
            public void predict(final long nowNanos, final long horizonNanos, final Predictions out)
            {
                out.add(type[0], "repo-1", 0, 0.9, 3, Predictions.Basis.RATE);
            }
        };
        final PreRouting pre = new PreRouting(predictor, SETTINGS, null, null);
        pre.tick(SECOND, agents(pool), null);
        assertThat(pre.hot("worker", "repo-1")).isTrue();

        type[0] = null;
        pre.tick(2 * SECOND, agents(pool), null);
        assertThat(pre.faults()).isEqualTo(1);
        assertThat(pre.hot("worker", "repo-1")).as("the last good tick's plan is dropped, as after any fault").isFalse();

        type[0] = " ";
        pre.tick(3 * SECOND, agents(pool), null);
        assertThat(pre.faults()).isEqualTo(2);
        assertThat(route(pool, pre, "repo-1")).isZero();

        final Predictions out = new Predictions();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> out.add(null, "repo-1", 0, 0.5, 1,
                Predictions.Basis.RATE)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("agent type").hasMessageContaining("repo-1");
        out.add("worker", null, 0, 0.5, 1, Predictions.Basis.RATE); // a null key predicts the type alone
        assertThat(out.size()).isEqualTo(1);
    }

    @Test
    void aPredictorFailureThatCannotBePrintedIsStillContainedAndCounted()
    {
        final FakePool pool = new FakePool(3);
        final Predictor predictor = new Fixed(0.9)
        {
            @Override
            public void predict(final long nowNanos, final long horizonNanos, final Predictions out)
            {
                throw new IllegalStateException()
                {
                    @Override
                    public String toString()
                    {
                        throw new UnsupportedOperationException("a message built from a closed client");
                    }
                };
            }
        };
        final PreRouting pre = new PreRouting(predictor, SETTINGS, null, null);
        pre.tick(SECOND, agents(pool), null);
        assertThat(pre.faults()).isEqualTo(1);
    }

    @Test
    void aLiveDispatcherFinishesEveryTaskWhenThePredictorAndTheWarmHookThrow() throws Exception
    {
        final AtomicInteger warmCalls = new AtomicInteger();
        final AgentAdapter adapter = new AgentAdapter()
        {
            @Override
            public void execute(final dev.ringmaster.spi.TaskView task, final dev.ringmaster.spi.Completion completion,
                                final dev.ringmaster.spi.AgentTelemetry telemetry)
            {
                completion.succeed("ok");
            }

            @Override
            public boolean warm(final String contextKey)
            {
                warmCalls.incrementAndGet();
                throw new LinkageError("warm hook bug");
            }
        };
        final AtomicInteger calls = new AtomicInteger();
        final Predictor flaky = new Fixed(0.9)
        {
            @Override
            public void observe(final String type, final String contextKey, final long skills, final long nanos)
            {
                if (calls.incrementAndGet() % 2 == 0)
                {
                    throw new IllegalStateException("predictor bug");
                }
            }
        };
        final Map<TerminalState, AtomicInteger> outcomes = new ConcurrentHashMap<>();
        try (LivePreRouting pre = new LivePreRouting(flaky, SETTINGS, Duration.ofMillis(5), null, null))
        {
            final Dispatcher d = Dispatcher.builder()
                .agent(AgentSpec.builder("a", "worker").capacity(2).build(), adapter)
                .agent(AgentSpec.builder("b", "worker").capacity(2).build(), adapter)
                .strategy(pre.wrap(FIRST))
                .listener(pre.listener())
                .onResult((task, state, result, reason) ->
                    outcomes.computeIfAbsent(state, s -> new AtomicInteger()).incrementAndGet())
                .build()
                .start();
            pre.start(d);
            try
            {
                Await.until("the first tick warms an idle agent (its hook throws)", Duration.ofSeconds(20),
                    () -> warmCalls.get() > 0);
                for (int i = 0; i < 500; i++)
                {
                    d.submitOrThrow(Task.builder("worker").affinityKey(i % 3 == 0 ? "repo-1" : "repo-" + i).build());
                }
                assertThat(d.drain(Duration.ofSeconds(20))).isTrue();
                // the pre-routing thread counts the faults, after the hook has thrown and as it feeds the arrivals to
                // the predictor: the tasks can all be done before it has run again (it failed once so on a loaded
                // machine). Once it has fed all 500, it has counted the warm hook's fault (thrown before they were
                // submitted) and every observe's
                Await.until("the pre-routing thread has fed every arrival to the predictor",
                    () -> pre.observed() + pre.dropped() == 500);
            }
            finally
            {
                d.close();
            }
            assertThat(outcomes.get(TerminalState.COMPLETED)).hasValue(500);
            assertThat(pre.dropped()).as("arrivals dropped by a full ring").isZero();
            assertThat(calls.get()).as("observe calls").isEqualTo(500);
            // one for the warm hook, one for every second observe (a tick that fails on the closed dispatcher adds more)
            assertThat(pre.preRouting().faults()).isGreaterThanOrEqualTo(1 + 500 / 2);
        }
    }

    @Test
    void theHotKeysOfATickAreFoundWithoutAllocatingAndMissesAreCheap()
    {
        final Predictions p = new Predictions();
        for (int i = 0; i < 100; i++)
        {
            p.add("worker", "repo-" + i, 0, i % 2 == 0 ? 0.9 : 0.5, 1, Predictions.Basis.RATE);
        }
        final int[] homes = new int[100];
        Arrays.fill(homes, -1);
        final HotKeys hot = HotKeys.of(p, 0.7, homes);
        for (int i = 0; i < 100; i++)
        {
            assertThat(hot.contains("worker", "repo-" + i)).isEqualTo(i % 2 == 0);
        }
        assertThat(hot.contains("other", "repo-0")).isFalse();
        assertThat(HotKeys.NONE.contains("worker", "repo-0")).isFalse();
    }
}
