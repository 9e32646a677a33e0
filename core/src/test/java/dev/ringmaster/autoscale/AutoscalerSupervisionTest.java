package dev.ringmaster.autoscale;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.dispatch.Supervision;
import dev.ringmaster.dispatch.TaskResult;
import dev.ringmaster.dispatch.TerminalState;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.AgentFactory;
import dev.ringmaster.spi.AgentView;
import dev.ringmaster.testing.Await;
import dev.ringmaster.testing.NumberedFactory;
import dev.ringmaster.testing.TestStrategies;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An autoscaled type under the dispatcher's supervision: an agent the autoscaler added crashes (its adapter stops
 * answering), and what a user's factory and the autoscaler's records see afterwards. Deadlines only bound the waits.
 */
class AutoscalerSupervisionTest
{
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    private static long events(final Autoscaler autoscaler, final ScalingEvent.Kind kind, final String agent)
    {
        return autoscaler.history().stream().filter(e -> e.kind() == kind && e.agents().contains(agent)).count();
    }

    private static List<String> coders(final Dispatcher dispatcher)
    {
        return dispatcher.agents().stream().filter(a -> a.spec().type().equals("coder")).map(AgentView::id).toList();
    }

    @Test
    void aCrashedAutoscaledAgentIsReleasedReplacedUnderItsIdAndLaterScaledDownAndReleasedAgain() throws Exception
    {
        crashReplaceAndScaleDown(false);
    }

    @Test
    void aFactoryWhoseReleaseThrowsAnErrorIsCountedAndTheAutoscalerKeepsScaling() throws Exception
    {
        crashReplaceAndScaleDown(true);
    }

    private static void crashReplaceAndScaleDown(final boolean releaseThrows) throws Exception
    {
        final NumberedFactory factory = NumberedFactory.hanging(releaseThrows);
        final Dispatcher dispatcher = supervised(factory);
        final ScalingPolicy policy = ScalingPolicy.builder().min(0).max(1).step(1).scaleUpThreshold(0.5)
            .scaleDownThreshold(0.3).consecutiveEvaluations(1).scaleUpCooldown(Duration.ofMillis(10))
            // the scale-down cooldown outlasts the hung attempt's timeout by far: the agent is not removed while its
            // timed-out task waits out its retry back-off, so the crash, not a removal, takes it out
            .scaleDownCooldown(Duration.ofSeconds(2)).build();
        try (Autoscaler autoscaler = Autoscaler.builder(dispatcher).scale(policy, factory)
            .interval(Duration.ofMillis(10)).build().start())
        {
            // the backlog grows the pool from 0 to coder-auto-1 (#1), whose attempt times out: it crashed
            final TaskResult result = dispatcher.submitAsync(Task.builder("coder").timeout(Duration.ofMillis(200))
                .maxRetries(3).build()).get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(result.state()).isEqualTo(TerminalState.COMPLETED);
            assertThat(result.result()).as("retried on the replacement").isEqualTo("ok from #2");

            // once the task is done the pool goes back to its minimum of 0: the replacement is the autoscaler's
            Await.until("the replacement to be scaled down and released", DEADLINE, () ->
                coders(dispatcher).isEmpty() && events(autoscaler, ScalingEvent.Kind.REMOVED, "coder-auto-1") > 0);

            assertThat(factory.log).as("the factory hears of each adapter once, in order: the crashed one is " +
                "stopped, then released, before its replacement is made; the replacement leaves the same way")
                .containsExactly("create coder-auto-1 #1", "stop #1", "release coder-auto-1 #1",
                    "create coder-auto-1 #2", "stop #2", "release coder-auto-1 #2");
            assertThat(events(autoscaler, ScalingEvent.Kind.ADDED, "coder-auto-1"))
                .as("the autoscaler added the replacement itself, so it counts it").isEqualTo(2);
            assertThat(events(autoscaler, ScalingEvent.Kind.REMOVED, "coder-auto-1")).isEqualTo(1);
            assertThat(events(autoscaler, ScalingEvent.Kind.CRASHED, "coder-auto-1")).isEqualTo(1);
            assertThat(autoscaler.releaseFailures()).as("each failed release counted once").isEqualTo(releaseThrows ? 2 : 0);
            assertThat(dispatcher.restarts()).as("replaced by the autoscaler, not the dispatcher's factory").isZero();
            assertThat(autoscaler.history()).extracting(ScalingEvent::kind)
                .doesNotContain(ScalingEvent.Kind.LOST, ScalingEvent.Kind.ADD_FAILED, ScalingEvent.Kind.REMOVE_FAILED);
            assertThat(autoscaler.history()).as("never past the maximum").allMatch(e -> e.poolAfter() <= policy.max());
            assertThat(coders(dispatcher)).isEmpty();
        }
        finally
        {
            assertThat(dispatcher.drain(Duration.ofSeconds(10))).isTrue();
        }
    }

    /** A dispatcher needs one agent from the start: of another type, so the coder pool is the autoscaler's alone. */
    private static Dispatcher supervised(final AgentFactory factory)
    {
        return Dispatcher.builder().strategy(TestStrategies.leastLoaded())
            .agent(AgentSpec.builder("reviewer-0", "reviewer").build(), AgentAdapter.sync(t -> "reviewed"))
            .supervision(new Supervision(1, Duration.ofMillis(20), Duration.ofMillis(200)))
            .agentFactory(factory)
            .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(5))
            .build().start();
    }

    private static Autoscaler oneCoder(final Dispatcher dispatcher, final AgentFactory factory)
    {
        final ScalingPolicy policy = ScalingPolicy.builder().min(1).max(1).step(1).consecutiveEvaluations(1)
            .scaleUpCooldown(Duration.ofMillis(10)).build();
        return Autoscaler.builder(dispatcher).scale(policy, factory).interval(Duration.ofMillis(10)).build().start();
    }

    /**
     * Tasks addressed to coder-auto-1 while it is busy (one running, one waiting); then it crashes: both wait for its
     * replacement, as they would for a restart. @return the two results.
     */
    private static List<TaskResult> targetedThenCrashed(final Dispatcher dispatcher, final NumberedFactory factory)
        throws Exception
    {
        Await.until("coder-auto-1 to join", DEADLINE, () -> coders(dispatcher).contains("coder-auto-1"));
        final var running = dispatcher.submitAsync(Task.builder("coder").targetAgent("coder-auto-1").maxRetries(3).build());
        Await.until("coder-auto-1 to hold the first task", DEADLINE, () -> !factory.held.isEmpty());
        final var waiting = dispatcher.submitAsync(Task.builder("coder").targetAgent("coder-auto-1").maxRetries(3).build());
        Await.routerPass(dispatcher);
        assertThat(dispatcher.crashAgent("coder-auto-1", "host gone").get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS))
            .isTrue();
        return List.of(running.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS),
            waiting.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
    }

    @Test
    void tasksAddressedToACrashedAutoscaledAgentWaitForItsReplacementAndRunThere() throws Exception
    {
        final NumberedFactory factory = NumberedFactory.holding(0);
        final Dispatcher dispatcher = supervised(factory);
        try (Autoscaler autoscaler = oneCoder(dispatcher, factory))
        {
            final List<TaskResult> results = targetedThenCrashed(dispatcher, factory);
            assertThat(results).extracting(TaskResult::state, TaskResult::result).as(results.toString())
                .containsOnly(org.assertj.core.groups.Tuple.tuple(TerminalState.COMPLETED, "ok from #2"));
            assertThat(dispatcher.restarts()).isZero();
            assertThat(events(autoscaler, ScalingEvent.Kind.CRASHED, "coder-auto-1")).isEqualTo(1);
        }
        finally
        {
            assertThat(dispatcher.drain(Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void whenTheReplacementCannotBeMadeTheTasksHeldForItAreDeadLetteredSayingSo() throws Exception
    {
        final NumberedFactory factory = NumberedFactory.holding(2);
        final Dispatcher dispatcher = supervised(factory);
        try (Autoscaler autoscaler = oneCoder(dispatcher, factory))
        {
            final List<TaskResult> results = targetedThenCrashed(dispatcher, factory);
            assertThat(results).extracting(TaskResult::state).containsOnly(TerminalState.DEAD_LETTERED);
            assertThat(results).extracting(TaskResult::reason).allSatisfy(reason -> assertThat(reason)
                .contains("coder-auto-1", "its owner gave up replacing it", "no room for adapter #2"));
            // recorded by the same evaluation that gave the agent up, maybe just after the tasks were dead-lettered
            Await.until("the failed replacement in the history", DEADLINE,
                () -> events(autoscaler, ScalingEvent.Kind.ADD_FAILED, "coder-auto-1") == 1);
        }
        finally
        {
            assertThat(dispatcher.drain(Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void onceTheAutoscalerIsClosedItsCrashedAgentIsRestartedByTheDispatcher() throws Exception
    {
        final NumberedFactory factory = NumberedFactory.holding(0);
        final Dispatcher dispatcher = supervised(factory);
        try
        {
            final Autoscaler autoscaler = oneCoder(dispatcher, factory);
            Await.until("coder-auto-1 to be added", DEADLINE,
                () -> events(autoscaler, ScalingEvent.Kind.ADDED, "coder-auto-1") > 0);
            autoscaler.close();
            assertThat(dispatcher.crashAgent("coder-auto-1", "host gone").get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS))
                .isTrue();
            Await.until("the dispatcher to restart it through the type's factory", DEADLINE,
                () -> dispatcher.restarts() == 1 && coders(dispatcher).contains("coder-auto-1"));
            assertThat(dispatcher.submitAsync(Task.builder("coder").targetAgent("coder-auto-1").build())
                .get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS).result()).isEqualTo("ok from #2");
            assertThat(factory.log).containsExactly("create coder-auto-1 #1", "stop #1", "create coder-auto-1 #2");
            assertThat(events(autoscaler, ScalingEvent.Kind.CRASHED, "coder-auto-1")).as("declined").isZero();
        }
        finally
        {
            assertThat(dispatcher.drain(Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void aCrashHandlerThatThrowsDeclinesSoTheDispatcherRestartsTheAgentThroughItsFactory() throws Exception
    {
        final NumberedFactory factory = NumberedFactory.holding(0);
        final Dispatcher dispatcher = supervised(factory);
        try
        {
            dispatcher.addAgent(factory.spec("coder-x"), factory.create(factory.spec("coder-x")),
                (spec, reason, stopped) ->
                {
                    throw new StackOverflowError("the owner's handler broke");
                }).get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(dispatcher.crashAgent("coder-x", "host gone").get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS))
                .isTrue();
            Await.until("the dispatcher to restart it", DEADLINE,
                () -> dispatcher.restarts() == 1 && coders(dispatcher).contains("coder-x"));
            assertThat(factory.log).containsExactly("create coder-x #1", "stop #1", "create coder-x #2");
        }
        finally
        {
            assertThat(dispatcher.drain(Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void aCrashHandlerThatThrowsLeavesTheDispatcherRoutingAndTheCrashedAdapterStopped() throws Exception
    {
        final Queue<String> log = new ConcurrentLinkedQueue<>();
        final Dispatcher dispatcher = Dispatcher.builder().strategy(TestStrategies.leastLoaded())
            .agent(AgentSpec.builder("reviewer-0", "reviewer").build(), AgentAdapter.sync(t -> "reviewed"))
            .supervision(new Supervision(1, Duration.ofMillis(20), Duration.ofMillis(200)))
            .build().start();
        try
        {
            dispatcher.addAgent(AgentSpec.builder("coder-x", "coder").build(), NumberedFactory.numbered(2, log),
                (spec, reason, stopped) ->
                {
                    throw new StackOverflowError("the owner's handler broke");
                }).get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(dispatcher.crashAgent("coder-x", "host gone").get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS))
                .isTrue();
            Await.until("the crashed adapter to be stopped", DEADLINE, () -> log.contains("stop #2"));
            assertThat(dispatcher.submitAsync(Task.builder("reviewer").build())
                .get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS).result()).isEqualTo("reviewed");
            assertThat(dispatcher.agents()).extracting(AgentView::id).containsExactly("reviewer-0");
            assertThat(dispatcher.restarts()).isZero();
        }
        finally
        {
            assertThat(dispatcher.drain(Duration.ofSeconds(10))).isTrue();
        }
    }
}
