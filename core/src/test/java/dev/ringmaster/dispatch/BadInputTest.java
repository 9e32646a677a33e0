package dev.ringmaster.dispatch;

import dev.ringmaster.testing.TestStrategies;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentAdapter;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every kind of bad input gets an exception or status that names the problem and the fix. */
class BadInputTest
{
    private static Dispatcher coderFleet()
    {
        return Dispatcher.builder()
            .agent(AgentSpec.builder("c1", "coder").capacity(1).skill("java", 0.9).build(), AgentAdapter.sync(t -> "ok"))
            .strategy(TestStrategies.first())
            .build().start();
    }

    @Test
    void nullTask()
    {
        final Dispatcher d = coderFleet();
        assertThatThrownBy(() -> d.submit(null))
            .isInstanceOf(NullPointerException.class)
            .hasMessageContaining("task must not be null");
        d.close();
    }

    @Test
    void unknownAgentType() throws Exception
    {
        final Dispatcher d = coderFleet();
        final Task task = Task.builder("painter").build();
        final SubmitStatus status = d.submit(task);
        assertThat(status).isEqualTo(SubmitStatus.UNKNOWN_AGENT_TYPE);
        assertThat(status.reason()).contains("no agent of the task's type");

        assertThatThrownBy(() -> d.submitOrThrow(task))
            .isInstanceOf(RejectedTaskException.class)
            .hasMessageContaining("'painter'")
            .hasMessageContaining("[coder]");
        assertThatThrownBy(() -> d.submitAsync(task).get(1, TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class)
            .hasCauseInstanceOf(RejectedTaskException.class);
        assertThat(d.metrics().accepted()).isZero();
        d.close();
    }

    @Test
    void aSkillNoAgentHas()
    {
        final Dispatcher d = coderFleet();
        assertThatThrownBy(() -> d.submitOrThrow(Task.builder("coder").requiredSkills("cobol").build()))
            .isInstanceOf(RejectedTaskException.class)
            .hasMessageContaining("NO_CAPABLE_AGENT")
            .hasMessageContaining("cobol");
        d.close();
    }

    @Test
    void negativeOrZeroCapacity()
    {
        assertThatThrownBy(() -> AgentSpec.builder("a1", "coder").capacity(-3))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("capacity of agent 'a1' must be >= 1")
            .hasMessageContaining("-3");
        assertThatThrownBy(() -> AgentSpec.builder("a1", "coder").capacity(0))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void speedMustBeFiniteAndPositive()
    {
        for (final double bad : new double[]{0.0, -2.0, Double.NaN, Double.POSITIVE_INFINITY})
        {
            assertThatThrownBy(() -> AgentSpec.builder("a1", "coder").speed(bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("speed of agent 'a1' must be a finite number > 0")
                .hasMessageContaining("leave it unset for 1.0");
        }
        assertThat(AgentSpec.builder("a1", "coder").build().speed()).isEqualTo(1.0);
        assertThat(AgentSpec.builder("a1", "coder").speed(2.5).build().speed()).isEqualTo(2.5);
    }

    @Test
    void duplicateAgentId()
    {
        final var b = Dispatcher.builder()
            .agent(AgentSpec.builder("a1", "coder").build(), AgentAdapter.sync(t -> "ok"));
        assertThatThrownBy(() -> b.agent(AgentSpec.builder("a1", "reviewer").build(), AgentAdapter.sync(t -> "ok")))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("duplicate agent id 'a1'");
    }

    @Test
    void noAgentsAndUnknownStrategy()
    {
        assertThatThrownBy(() -> Dispatcher.builder().strategy(TestStrategies.first()).build())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("at least one agent (a factory starts none)");
        assertThatThrownBy(() -> Dispatcher.builder()
            .agent(AgentSpec.builder("a1", "coder").build(), AgentAdapter.sync(t -> "ok"))
            .strategy("telepathy").build())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("unknown routing strategy 'telepathy'")
            .hasMessageContaining("available");
    }

    @Test
    void badTaskAndConfigurationValues()
    {
        assertThatThrownBy(() -> Task.builder(" ")).hasMessageContaining("task type");
        assertThatThrownBy(() -> Task.builder("coder").id(Long.MIN_VALUE))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Long.MIN_VALUE is reserved");
        assertThat(Task.builder("coder").id(Long.MIN_VALUE + 1).build().id()).isEqualTo(Long.MIN_VALUE + 1);
        assertThatThrownBy(() -> Task.builder("coder").maxRetries(-1)).hasMessageContaining("maxRetries");
        assertThatThrownBy(() -> Task.builder("coder").timeout(Duration.ZERO)).hasMessageContaining("timeout must be positive");
        assertThatThrownBy(() -> Dispatcher.builder().ringSize(1000)).hasMessageContaining("power of two");
        assertThatThrownBy(() -> AgentSpec.builder("a", "coder").skill("java", 1.5)).hasMessageContaining("[0, 1]");
    }

    @Test
    void submittingBeforeStartOrAfterShutdownIsRefused()
    {
        final Dispatcher notStarted = Dispatcher.builder()
            .agent(AgentSpec.builder("a1", "coder").build(), AgentAdapter.sync(t -> "ok"))
            .strategy(TestStrategies.first()).build();
        assertThat(notStarted.submit(Task.builder("coder").build())).isEqualTo(SubmitStatus.NOT_RUNNING);
        final Dispatcher d = coderFleet();
        assertThat(d.drain(Duration.ofSeconds(5))).isTrue();
        assertThat(d.submit(Task.builder("coder").build())).isEqualTo(SubmitStatus.NOT_RUNNING);
        assertThatThrownBy(d::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("already started");
    }

    /** "Wait for ever" written as the longest Duration there is, the way java.time offers it, is not an overflow. */
    @Test
    void waitsAcceptAnyDurationUpToForeverAndNameANullOne()
    {
        final Duration forever = ChronoUnit.FOREVER.getDuration();
        final Dispatcher d = coderFleet();
        assertThatThrownBy(() -> d.drain(null))
            .isInstanceOf(NullPointerException.class).hasMessageContaining("drain timeout must not be null");
        assertThatThrownBy(() -> d.submit(Task.builder("coder").build(), null))
            .isInstanceOf(NullPointerException.class).hasMessageContaining("maxWait must not be null");
        assertThatThrownBy(() -> d.awaitTermination(null))
            .isInstanceOf(NullPointerException.class).hasMessageContaining("timeout must not be null");

        assertThat(d.submit(Task.builder("coder").build(), forever)).isEqualTo(SubmitStatus.ACCEPTED);
        assertThat(d.drain(forever)).isTrue();
        assertThat(d.awaitTermination(forever)).isTrue();
    }

    @Test
    void aTtlOrTimeoutTooLongToCountInNanosecondsIsCutToTheLongestATaskHolds() throws Exception
    {
        final long longest = Task.MAX_TTL_OR_TIMEOUT.toNanos();
        assertThat(Task.builder("coder").ttl(ChronoUnit.FOREVER.getDuration()).build().ttlNanos()).isEqualTo(longest);
        assertThat(Task.builder("coder").timeout(Duration.ofNanos(Long.MAX_VALUE)).build().timeoutNanos()).isEqualTo(longest);
        assertThat(Task.builder("coder").ttl(Duration.ofDays(365L * 100)).build().ttlNanos())
            .isEqualTo(Duration.ofDays(365L * 100).toNanos());

        final Dispatcher d = coderFleet();
        final TaskResult result = d.submitAsync(Task.builder("coder").ttl(ChronoUnit.FOREVER.getDuration())
            .timeout(ChronoUnit.FOREVER.getDuration()).build()).get(10, TimeUnit.SECONDS);
        assertThat(result.state()).as("neither expired nor timed out at once").isEqualTo(TerminalState.COMPLETED);
        assertThat(d.drain(Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void aBuilderBuiltTwiceDoesNotShareItsStrategyInstanceBetweenTwoDispatchers() throws Exception
    {
        final Dispatcher.Builder builder = Dispatcher.builder()
            .agent(AgentSpec.builder("c1", "coder").build(), AgentAdapter.sync(t -> "ok"))
            .strategy(TestStrategies.first());
        final Dispatcher first = builder.build().start();

        assertThatThrownBy(builder::build)
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("already routes for the dispatcher this builder built")
            .hasMessageContaining("new instance");
        final Dispatcher second = builder.strategy(TestStrategies.first()).build().start();

        assertThat(first.submitAsync(Task.builder("coder").build()).get(10, TimeUnit.SECONDS).completed()).isTrue();
        assertThat(second.submitAsync(Task.builder("coder").build()).get(10, TimeUnit.SECONDS).completed()).isTrue();
        assertThat(first.drain(Duration.ofSeconds(10))).isTrue();
        assertThat(second.drain(Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void twoBuildersDoNotShareOneStrategyInstanceWhileItsFirstDispatcherLives() throws Exception
    {
        final dev.ringmaster.spi.RoutingStrategy shared = TestStrategies.first();
        final Dispatcher first = Dispatcher.builder()
            .agent(AgentSpec.builder("c1", "coder").build(), AgentAdapter.sync(t -> "ok"))
            .strategy(shared).build().start();
        final Dispatcher.Builder other = Dispatcher.builder()
            .agent(AgentSpec.builder("c2", "coder").build(), AgentAdapter.sync(t -> "ok"))
            .strategy(shared);

        assertThatThrownBy(other::build)
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("'test-first'")
            .hasMessageContaining("another dispatcher")
            .hasMessageContaining("new instance");
        assertThatThrownBy(() -> Dispatcher.builder()
            .agent(AgentSpec.builder("c3", "coder").build(), AgentAdapter.sync(t -> "ok"))
            .strategy(TestStrategies.first()).shadow(shared).build())
            .as("nor as a shadow").isInstanceOf(IllegalArgumentException.class);

        assertThat(first.drain(Duration.ofSeconds(10))).isTrue();
        final Dispatcher second = other.build().start(); // free again once its dispatcher terminated
        assertThat(second.submitAsync(Task.builder("coder").build()).get(10, TimeUnit.SECONDS).completed()).isTrue();
        assertThat(second.drain(Duration.ofSeconds(10))).isTrue();
    }

    /** submit() answers with the status alone: its reason must fit a task addressed to a missing agent too. */
    @Test
    void aTaskAddressedToAnAgentThatIsNotThereIsRefusedWithAReasonThatSaysSo()
    {
        final Dispatcher d = coderFleet();
        final Task task = Task.builder("coder").targetAgent("c7").build();

        final SubmitStatus status = d.submit(task);

        assertThat(status).isEqualTo(SubmitStatus.NO_CAPABLE_AGENT);
        assertThat(status.reason()).contains("targetAgent");
        assertThatThrownBy(() -> d.submitOrThrow(task))
            .isInstanceOf(RejectedTaskException.class)
            .hasMessageContaining("addressed to agent 'c7', which is not an agent of type 'coder'");
        d.close();
    }

    @Test
    void aRateLimitOrBindingOnATypeNoAgentHasIsLoggedWithTheTypesThatExist()
    {
        final String logs = dev.ringmaster.testing.StderrLogs.of(() -> Dispatcher.builder()
            .agent(AgentSpec.builder("c1", "coder").build(), AgentAdapter.sync(t -> "ok"))
            .rateLimit(RateLimit.tasksPerSecond(RateLimit.Scope.TYPE, "codr", 10))
            .rateLimit(RateLimit.tasksPerSecond(RateLimit.Scope.TYPE, "coder", 10))
            .binding("coders", Binding.EARLY_STEALING).binding("coder", Binding.LATE)
            .strategy(TestStrategies.first()).build().close());
        assertThat(logs).contains("WARN").contains("the rate limit on agent type 'codr' limits nothing yet")
            .contains("the types are [coder]").doesNotContain("type 'coder' limits nothing");
        // a misspelt type's binding ran LATE without a word (a user's trial)
        assertThat(logs).contains("the binding EARLY_STEALING of agent type 'coders' applies to no agent yet")
            .doesNotContain("type 'coder' applies to no agent");
    }

    @Test
    void aNullSettingIsNamed()
    {
        final Dispatcher.Builder b = Dispatcher.builder()
            .rateLimit(RateLimit.tasksPerSecond(RateLimit.Scope.TYPE, "coder", 10));
        assertThatThrownBy(() -> b.rateLimit(null)).hasMessageContaining("rate limit must not be null");
        assertThatThrownBy(() -> b.retryBackoff(null, Duration.ofSeconds(1))).hasMessageContaining("retry backoff base");
        assertThatThrownBy(() -> b.watchdogInterval(null)).hasMessageContaining("watchdog interval must not be null");
        assertThatThrownBy(() -> b.maxPark(null)).hasMessageContaining("maxPark must not be null");
        assertThatThrownBy(() -> b.slowStart(null, 0.5)).hasMessageContaining("slow start window must not be null");
        assertThatThrownBy(() -> b.agentFactory("echo", "coder", null))
            .hasMessageContaining("options for agent factory 'echo' must not be null");
        assertThatThrownBy(() -> Task.Builder.from(null)).hasMessageContaining("task to copy must not be null");
    }

    @Test
    void aRateLimitOrEjectionThresholdThatIsNotANumberIsRefusedAtBuildTime()
    {
        // NaN fails every comparison, so it slipped past range checks: a NaN rate held the type's tasks for ever
        // while the router woke at once, again and again, to see whether the bucket had refilled
        final RateLimit.Scope type = RateLimit.Scope.TYPE;
        assertThatThrownBy(() -> RateLimit.tasksPerSecond(type, "coder", Double.NaN))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tasksPerSecond").hasMessageContaining("NaN");
        assertThatThrownBy(() -> RateLimit.tasksPerSecond(type, "coder", 10).withTaskBurst(Double.NaN))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("taskBurst").hasMessageContaining("NaN");
        assertThatThrownBy(() -> RateLimit.tokensPerMinute(type, "coder", Double.POSITIVE_INFINITY))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tokensPerMinute").hasMessageContaining("Infinity");
        assertThatThrownBy(() -> new RateLimit(type, "coder", 0, 0, 1_000, Double.NaN))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tokenBurst").hasMessageContaining("NaN");
        assertThatThrownBy(() -> new OutlierEjection(3, Double.NaN, 10, Duration.ofSeconds(30), 0.5))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("latencyFactor").hasMessageContaining("NaN");
    }
}
