package dev.ringmaster.dispatch;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.testing.TestStrategies;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A task that no agent could ever take is refused at submit, with the constraint that rules every agent out: accepted,
 * it would wait until its time to live, or for ever without one, and hold up every drain. And a draining dispatcher's
 * full queue answers NOT_RUNNING, not QUEUE_FULL, so a caller waiting for room does not wait out its whole deadline.
 */
class UnplaceableTaskTest
{
    /** c1 knows java, c2 knows rust. */
    private static Dispatcher fleet()
    {
        return Dispatcher.builder()
            .agent(AgentSpec.builder("c1", "coder").skill("java", 0.9).build(), AgentAdapter.sync(t -> "c1"))
            .agent(AgentSpec.builder("c2", "coder").skill("rust", 0.9).build(), AgentAdapter.sync(t -> "c2"))
            .strategy(TestStrategies.first())
            .build().start();
    }

    @Test
    void aTaskAddressedToAnAgentWithoutItsSkillsIsRefusedNamingTheMissingSkill()
    {
        try (Dispatcher d = fleet())
        {
            final Task task = Task.builder("coder").targetAgent("c1").requiredSkills("rust").build();
            assertThat(d.submit(task)).isEqualTo(SubmitStatus.NO_CAPABLE_AGENT);
            assertThatThrownBy(() -> d.submitOrThrow(task)).isInstanceOf(RejectedTaskException.class)
                .hasMessageContaining("addressed to agent 'c1', which lacks [rust]");
            assertThat(d.metrics().accepted()).isZero();
        }
    }

    @Test
    void aTaskAddressedToTheAgentItAvoidsIsRefused()
    {
        try (Dispatcher d = fleet())
        {
            final Task task = Task.builder("coder").targetAgent("c1").avoidAgent("c1").build();
            assertThatThrownBy(() -> d.submitOrThrow(task)).isInstanceOf(RejectedTaskException.class)
                .hasMessageContaining("NO_CAPABLE_AGENT")
                .hasMessageContaining("addressed to agent 'c1' and avoids the same agent");
        }
    }

    @Test
    void aTaskAvoidingTheOnlyAgentThatCouldTakeItIsRefused()
    {
        try (Dispatcher d = fleet())
        {
            assertThatThrownBy(() -> d.submitOrThrow(Task.builder("coder").requiredSkills("java").avoidAgent("c1")
                .build())).isInstanceOf(RejectedTaskException.class)
                .hasMessageContaining("the only agent of type 'coder' with all of [java] is 'c1', which the task avoids");
        }
        try (Dispatcher alone = Dispatcher.builder()
            .agent(AgentSpec.builder("solo", "writer").build(), AgentAdapter.sync(t -> "solo"))
            .strategy(TestStrategies.first()).build().start())
        {
            assertThatThrownBy(() -> alone.submitOrThrow(Task.builder("writer").avoidAgent("solo").build()))
                .isInstanceOf(RejectedTaskException.class)
                .hasMessageContaining("the only agent of type 'writer' is 'solo', which the task avoids");
        }
    }

    @Test
    void theSameConstraintsThatSomeAgentMeetsAreAcceptedAndRunThere() throws Exception
    {
        try (Dispatcher d = fleet())
        {
            final TaskResult avoiding = d.submitAsync(Task.builder("coder").avoidAgent("c1").build())
                .get(10, TimeUnit.SECONDS);
            assertThat(avoiding.completed()).isTrue();
            assertThat(avoiding.result()).isEqualTo("c2");
            final TaskResult targeted = d.submitAsync(Task.builder("coder").targetAgent("c1").requiredSkills("java")
                .avoidAgent("c2").build()).get(10, TimeUnit.SECONDS);
            assertThat(targeted.result()).isEqualTo("c1");
            assertThat(d.drain(Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void aFullQueueOfADrainingDispatcherAnswersNotRunning() throws Exception
    {
        final CountDownLatch release = new CountDownLatch(1);
        final Dispatcher d = Dispatcher.builder()
            .agent(AgentSpec.builder("slow", "t").build(), AgentAdapter.sync(t -> held(release)))
            .queueCapacity(4).strategy(TestStrategies.first()).build().start();
        try
        {
            int accepted = 0;
            SubmitStatus status;
            while ((status = d.submit(Task.builder("t").build())) == SubmitStatus.ACCEPTED)
            {
                accepted++;
                assertThat(accepted).as("accepted before the queue filled").isLessThan(100);
            }
            assertThat(status).isEqualTo(SubmitStatus.QUEUE_FULL);
            assertThat(d.drain(Duration.ofMillis(100))).as("drained with the agent held").isFalse();
            assertThat(d.state()).isEqualTo(DispatcherState.DRAINING);

            assertThat(d.submit(Task.builder("t").build())).isEqualTo(SubmitStatus.NOT_RUNNING);
            // a bounded submit answers at once instead of waiting for room a draining dispatcher never gives
            assertThat(d.submit(Task.builder("t").build(), Duration.ofSeconds(30))).isEqualTo(SubmitStatus.NOT_RUNNING);
            assertThatThrownBy(() -> d.submitOrThrow(Task.builder("t").build())).isInstanceOf(RejectedTaskException.class)
                .hasMessageContaining("NOT_RUNNING").hasMessageContaining("DRAINING");
        }
        finally
        {
            release.countDown();
            assertThat(d.drain(Duration.ofSeconds(10))).isTrue();
        }
    }

    private static String held(final CountDownLatch release)
    {
        try
        {
            return release.await(30, TimeUnit.SECONDS) ? "done" : "released by its deadline";
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
