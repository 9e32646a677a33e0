package dev.ringmaster.workflow;

import java.time.Duration;

/**
 * What happened to one step of a workflow run, with its timings measured from the start of the run; immutable.
 *
 * @param name        the step's name.
 * @param status      how it ended.
 * @param result      its result (the fallback's, if one was used) when {@link StepStatus#hasResult()}, else null.
 * @param agentId     the agent that last ran it, or null if none did.
 * @param attempts    attempts the dispatcher started for it, its fallback step's included.
 * @param reason      why it failed; for {@link StepStatus#FALLBACK}, why the fallback was needed; else null.
 * @param readyAt     when its dependencies had all completed, or null if they never did.
 * @param submittedAt when it was first handed to the dispatcher, or null if it never was.
 * @param finishedAt  when it (or its fallback) reached its end, or null if it had not when the run ended.
 */
public record StepOutcome(String name, StepStatus status, Object result, String agentId, int attempts, String reason,
                          Duration readyAt, Duration submittedAt, Duration finishedAt)
{
    /** @return time spent ready but held back by the fan-out bound, or null if it never was submitted. */
    public Duration waited()
    {
        return readyAt == null || submittedAt == null ? null : submittedAt.minus(readyAt);
    }

    /** @return time from first submission to its end, fallback included, or null if it has no end. */
    public Duration ran()
    {
        return submittedAt == null || finishedAt == null ? null : finishedAt.minus(submittedAt);
    }
}
