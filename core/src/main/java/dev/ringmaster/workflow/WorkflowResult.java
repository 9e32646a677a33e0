package dev.ringmaster.workflow;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The outcome of one workflow run: the status, every step's result and timings, the final result, and for a failed
 * run the step that failed and why; immutable (its maps and lists are unmodifiable; results are the agents' objects).
 *
 * @param workflow        the workflow's name.
 * @param status          how the run ended.
 * @param finalResult     the synthesis step's result (see {@link Workflow} for workflows without one) if the run
 *                        succeeded, else null.
 * @param failedStep      the name of the step that failed the run, or null.
 * @param reason          why the run failed or was cancelled, or null if it succeeded.
 * @param results         step name to result for every step that has one, in declaration order; nulls allowed.
 * @param steps           step name to outcome for every step, in declaration order.
 * @param unfinishedSteps steps that had not ended when the run ended ({@link StepStatus#ABANDONED} or
 *                        {@link StepStatus#SKIPPED}), in declaration order; empty if it succeeded.
 * @param elapsed         from the start of the run to its end.
 */
public record WorkflowResult(String workflow, WorkflowStatus status, Object finalResult, String failedStep,
                             String reason, Map<String, Object> results, Map<String, StepOutcome> steps,
                             List<String> unfinishedSteps, Duration elapsed)
{
    /** @return true if every step completed. */
    public boolean succeeded()
    {
        return status == WorkflowStatus.SUCCEEDED;
    }

    /** @return the outcome of one step. @throws IllegalArgumentException for a step the workflow does not have. */
    public StepOutcome step(final String name)
    {
        final StepOutcome outcome = steps.get(name);
        if (outcome == null)
        {
            throw new IllegalArgumentException("workflow '" + workflow + "' has no step '" + name + "'");
        }
        return outcome;
    }
}
