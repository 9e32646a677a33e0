package dev.ringmaster.workflow;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.ringmaster.workflow.Fleet.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every malformed workflow is refused at build with a message naming the problem. */
class WorkflowValidationTest
{
    @Test
    void aCycleIsNamedWithItsStepsInOrder()
    {
        final Workflow.Builder b = Workflow.builder("loop")
            .step(step("a", "c"))
            .step(step("b", "a"))
            .step(step("c", "b"))
            .step(step("d"));

        assertThatThrownBy(b::build).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("workflow 'loop' has a cycle: b -> c -> a -> b (each step waits for the one before it)");
    }

    @Test
    void aStepThatWaitsForItselfIsACycle()
    {
        assertThatThrownBy(() -> Workflow.builder("selfish").step(step("a", "a")).build())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cycle: a -> a");
    }

    @Test
    void aCycleBehindValidStepsIsStillFound()
    {
        final Workflow.Builder b = Workflow.builder("tail")
            .step(step("root"))
            .step(step("x", "root", "z"))
            .step(step("y", "x"))
            .step(step("z", "y"));

        assertThatThrownBy(b::build).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("cycle: y -> z -> x -> y").hasMessageNotContaining("root ->");
    }

    @Test
    void aSynthesisStepThatAnotherStepWaitsForIsACycle()
    {
        final Workflow.Builder b = Workflow.builder("backwards")
            .step(step("a"))
            .synthesis(step("s"))
            .step(step("late", "s"));

        assertThatThrownBy(b::build).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("cycle").hasMessageContaining("late").hasMessageContaining("s");
    }

    @Test
    void anUnknownDependencyIsNamed()
    {
        assertThatThrownBy(() -> Workflow.builder("typo").step(step("a")).step(step("b", "aa")).build())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("step 'b' of workflow 'typo' depends on unknown step 'aa'; its steps are [a, b]");
    }

    @Test
    void duplicateStepNamesAreRefused()
    {
        assertThatThrownBy(() -> Workflow.builder("twice").step(step("a")).step(step("a")).build())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("workflow 'twice' has two steps named 'a': every step needs its own name");
    }

    @Test
    void aWorkflowWithoutStepsIsRefused()
    {
        assertThatThrownBy(() -> Workflow.builder("empty").build())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'empty' has no steps");
    }

    @Test
    void onlyOneSynthesisStepIsAllowed()
    {
        assertThatThrownBy(() -> Workflow.builder("w").synthesis(step("s1")).synthesis(step("s2")))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("already has the synthesis step 's1'").hasMessageContaining("'s2'");
    }

    @Test
    void aFallbackCannotDeclareDependencies()
    {
        assertThatThrownBy(() -> step("b").fallback(step("b2", "a").build()))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("fallback 'b2' of step 'b' must not declare dependencies [a]");
    }

    @Test
    void badSettingsAreRefusedWhereTheyAreMade()
    {
        assertThatThrownBy(() -> Workflow.builder("w").maxParallelSteps(0))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxParallelSteps");
        assertThatThrownBy(() -> Workflow.builder(" "))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("workflow name");
        assertThatThrownBy(() -> Step.builder("", "coder"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("step name");
        assertThatThrownBy(() -> Step.builder("a", null))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("agent type of step 'a'");
        assertThatThrownBy(() -> Step.builder("a", "coder").timeout(Duration.ZERO))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout of step 'a'");
        assertThatThrownBy(() -> Step.builder("a", "coder").maxRetries(-1))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxRetries of step 'a'");
        assertThatThrownBy(() -> Step.builder("a", "coder").after(""))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blank dependency");
    }

    @Test
    void aValidGraphIsOrderedDependenciesFirstWithTiesInDeclarationOrder()
    {
        final Workflow w = Workflow.builder("ok")
            .step(step("d", "b", "c"))
            .step(step("c", "a"))
            .step(step("b", "a"))
            .step(step("a"))
            .build();

        assertThat(w.topologicalOrder()).containsExactly("a", "c", "b", "d");
        assertThat(w.dependenciesOf("d")).containsExactly("b", "c");
        assertThat(w.synthesisStep()).isNull();
        assertThat(w.maxParallelSteps()).isEqualTo(Workflow.DEFAULT_MAX_PARALLEL_STEPS);
    }
}
