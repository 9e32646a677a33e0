package dev.ringmaster.dispatch;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Skills;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.testing.TestStrategies;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A skill name that only tasks mention (a typo, a caller's free text passed through) takes no bit of the JVM-wide
 * registry: before, each one used up one of its 64 bits for good, and a service that passed user-supplied names
 * through was locked out of adding agents with new skills after 64 rejected requests (a user's trial).
 */
class UnknownSkillTest
{
    @Test
    void aTaskRequiringANameNoAgentHasTakesNoBitIsRefusedNamingItAndRunsOnceAnAgentHasIt() throws Exception
    {
        final String unheardOf = "unknown-skill-test-" + System.nanoTime();
        try (Dispatcher d = Dispatcher.builder()
            .agent(AgentSpec.builder("c1", "coder").skill("java", 0.9).build(), AgentAdapter.sync(t -> "c1"))
            .strategy(TestStrategies.first()).build().start())
        {
            final Task task = Task.builder("coder").requiredSkills("java", unheardOf).build();
            assertThat(Skills.idIfKnown(unheardOf)).as("the task's name took a bit").isEqualTo(-1);
            assertThat(task.requiresUnknownSkill()).isTrue();
            assertThat(task.requiredSkillNames()).containsExactlyInAnyOrder("java", unheardOf);
            assertThat(task.toString()).contains(unheardOf);

            assertThat(d.submit(task)).isEqualTo(SubmitStatus.NO_CAPABLE_AGENT);
            assertThatThrownBy(() -> d.submitOrThrow(task)).isInstanceOf(RejectedTaskException.class)
                .hasMessageContaining("no agent of type 'coder' has all of [java, " + unheardOf + "]")
                .hasMessageContaining("no agent in this JVM has had [" + unheardOf + "]");
            assertThat(Skills.idIfKnown(unheardOf)).as("a refusal took a bit").isEqualTo(-1);

            // an agent that has it arrives: the same task, built before, now requires both bits and runs there
            d.addAgent(AgentSpec.builder("c2", "coder").skill("java", 0.5).skill(unheardOf, 0.9).build(),
                AgentAdapter.sync(t -> "c2")).get(10, TimeUnit.SECONDS);
            assertThat(task.requiresUnknownSkill()).isFalse();
            assertThat(task.requiredSkills()).isEqualTo(Skills.mask(java.util.List.of("java", unheardOf)));
            final TaskResult result = d.submitAsync(task).get(10, TimeUnit.SECONDS);
            assertThat(result.completed()).isTrue();
            assertThat(result.result()).isEqualTo("c2");
            assertThat(Task.Builder.from(task).build().requiredSkills()).as("a copy keeps the requirement")
                .isEqualTo(task.requiredSkills());
            assertThat(d.drain(Duration.ofSeconds(10))).isTrue();
        }
    }
}
