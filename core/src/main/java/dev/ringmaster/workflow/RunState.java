package dev.ringmaster.workflow;

import dev.ringmaster.dispatch.TaskResult;
import dev.ringmaster.model.Task;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The bookkeeping of one workflow run; every method except {@link #result()}, {@link #requestCancel()} and
 * {@link #endUnstarted} runs on the supervisor's thread, so the fields below need neither locks nor CAS.
 *
 * <p>State of step {@code i}: pending ({@code status[i] == null}) until it ends; it waits for
 * {@code waitingOn[i]} predecessors, then sits in {@code ready} until the fan-out bound lets it into the dispatcher
 * ({@code inDispatcher[i]}); on failure {@code current[i]} becomes its fallback step, which goes back to
 * {@code ready}.
 */
final class RunState
{
    private static final long NOT_YET = Long.MIN_VALUE;

    private final Supervisor supervisor;
    private final Workflow workflow;
    private final CompletableFuture<WorkflowResult> result = new CompletableFuture<>();

    private final Step[] current;
    private final int[] waitingOn;
    private final StepStatus[] status;
    private final boolean[] inDispatcher;
    /** Dispatcher task id of each step's latest submission, to cancel it when the run ends early. */
    private final long[] taskIds;
    private final boolean[] usedFallback;
    private final Object[] results;
    private final String[] agentIds;
    private final int[] attempts;
    private final String[] reasons;
    private final long[] readyNanos;
    private final long[] submittedNanos;
    private final long[] finishedNanos;
    private final PriorityQueue<Integer> ready;
    private long startNanos;
    private int inFlight;
    private int remaining;
    private boolean ended;

    RunState(final Supervisor supervisor, final Workflow workflow)
    {
        this.supervisor = supervisor;
        this.workflow = workflow;
        final int n = workflow.size();
        current = new Step[n];
        waitingOn = new int[n];
        for (int i = 0; i < n; i++)
        {
            current[i] = workflow.step(i);
            waitingOn[i] = workflow.predecessorsOf(i).length;
        }
        status = new StepStatus[n];
        inDispatcher = new boolean[n];
        taskIds = new long[n];
        usedFallback = new boolean[n];
        results = new Object[n];
        agentIds = new String[n];
        attempts = new int[n];
        reasons = new String[n];
        readyNanos = filled(n);
        submittedNanos = filled(n);
        finishedNanos = filled(n);
        // higher priority first, then declaration order, so a bounded fan-out serves urgent steps first
        ready = new PriorityQueue<>(Math.max(1, n), (a, b) ->
        {
            final int byPriority = Integer.compare(current[a].priority().ordinal(), current[b].priority().ordinal());
            return byPriority != 0 ? byPriority : Integer.compare(a, b);
        });
        remaining = n;
    }

    /** Any thread. */
    CompletableFuture<WorkflowResult> result()
    {
        return result;
    }

    Workflow workflow()
    {
        return workflow;
    }

    /** Any thread: the cancel is applied in order with everything else that happens to the run. */
    void requestCancel()
    {
        if (!result.isDone())
        {
            supervisor.post(() -> cancel("cancelled by the caller"));
        }
    }

    /**
     * Any thread, only once the supervisor has stopped: the start event may never run, so complete the run here with
     * nothing submitted. Built from the immutable workflow alone, never from the confined fields.
     */
    void endUnstarted(final String reason)
    {
        final Map<String, StepOutcome> steps = new LinkedHashMap<>();
        final List<String> unfinished = new ArrayList<>();
        for (final Step s : workflow.steps())
        {
            steps.put(s.name(), new StepOutcome(s.name(), StepStatus.SKIPPED, null, null, 0, null, null, null, null));
            unfinished.add(s.name());
        }
        result.complete(new WorkflowResult(workflow.name(), WorkflowStatus.CANCELLED, null, null, reason,
            Collections.emptyMap(), Collections.unmodifiableMap(steps), Collections.unmodifiableList(unfinished),
            Duration.ZERO));
    }

    void start()
    {
        startNanos = System.nanoTime();
        if (supervisor.stopped())
        {
            end(WorkflowStatus.CANCELLED, null, "the supervisor closed before the run started");
            return;
        }
        supervisor.register(this);
        for (int i = 0; i < waitingOn.length; i++)
        {
            if (waitingOn[i] == 0)
            {
                markReady(i, startNanos);
            }
        }
        pump();
    }

    void cancel(final String reason)
    {
        if (!ended)
        {
            end(WorkflowStatus.CANCELLED, null, reason);
        }
    }

    private void pump()
    {
        final int maxParallelSteps = workflow.maxParallelSteps();
        while (!ended && inFlight < maxParallelSteps && !ready.isEmpty())
        {
            submit(ready.poll());
        }
    }

    private void markReady(final int i, final long now)
    {
        readyNanos[i] = now;
        ready.add(i);
    }

    private void submit(final int i)
    {
        final Step step = current[i];
        final Task task;
        try
        {
            task = step.toTask(step.buildPayload(inputsOf(i)));
        }
        catch (final Throwable t)
        {
            fail(i, describe(i, step) + " could not build its task: " + t, System.nanoTime());
            return;
        }
        if (submittedNanos[i] == NOT_YET)
        {
            submittedNanos[i] = System.nanoTime();
        }
        inDispatcher[i] = true;
        taskIds[i] = task.id();
        inFlight++;
        // completed on the router thread (or here, if rejected): only hand the outcome over, never work there
        supervisor.dispatcher().submitAsync(task).whenComplete((taskResult, error) ->
            supervisor.post(() -> onStepEnd(i, step, taskResult, error)));
    }

    private void onStepEnd(final int i, final Step step, final TaskResult taskResult, final Throwable error)
    {
        if (ended)
        {
            return; // abandoned when the run ended; its outcome no longer matters
        }
        final long now = System.nanoTime();
        inDispatcher[i] = false;
        inFlight--;
        if (error != null)
        {
            final Throwable cause = error instanceof CompletionException && error.getCause() != null ?
                error.getCause() : error;
            fail(i, describe(i, step) + " was rejected at submit: " + cause.getMessage(), now);
        }
        else
        {
            attempts[i] += taskResult.attempts();
            if (taskResult.agentId() != null)
            {
                agentIds[i] = taskResult.agentId();
            }
            switch (taskResult.state())
            {
                case COMPLETED:
                    succeed(i, taskResult.result(), now);
                    break;
                case DEAD_LETTERED:
                    fail(i, describe(i, step) + " was dead-lettered: " + taskResult.reason(), now);
                    break;
                case EXPIRED:
                    fail(i, describe(i, step) + " expired: " + taskResult.reason(), now);
                    break;
                default:
                    fail(i, describe(i, step) + " was cancelled by the dispatcher: " + taskResult.reason(), now);
                    break;
            }
        }
        pump();
    }

    private void succeed(final int i, final Object value, final long now)
    {
        status[i] = usedFallback[i] ? StepStatus.FALLBACK : StepStatus.COMPLETED;
        results[i] = value;
        finishedNanos[i] = now;
        for (final int s : workflow.successorsOf(i))
        {
            if (--waitingOn[s] == 0)
            {
                markReady(s, now);
            }
        }
        if (--remaining == 0)
        {
            end(WorkflowStatus.SUCCEEDED, null, null);
        }
    }

    private void fail(final int i, final String reason, final long now)
    {
        final Step step = current[i];
        if (step.fallbackStep() != null || step.hasFallbackValue())
        {
            if (reasons[i] == null)
            {
                reasons[i] = reason; // the first failure is why the fallback was needed
            }
            usedFallback[i] = true;
            if (step.fallbackStep() != null)
            {
                current[i] = step.fallbackStep();
                ready.add(i);
            }
            else
            {
                succeed(i, step.fallbackValue(), now);
            }
            return;
        }
        reasons[i] = usedFallback[i] ? reason + " (the fallback ran because " + reasons[i] + ")" : reason;
        status[i] = StepStatus.FAILED;
        finishedNanos[i] = now;
        end(WorkflowStatus.FAILED, workflow.step(i).name(), reasons[i]);
    }

    private void end(final WorkflowStatus outcome, final String failedStep, final String reason)
    {
        ended = true;
        supervisor.unregister(this);
        for (int i = 0; i < workflow.size(); i++)
        {
            if (inDispatcher[i] && status[i] == null)
            {
                // not started yet: take it out of the dispatcher; a running one finishes and its result is ignored
                supervisor.dispatcher().cancel(taskIds[i]);
            }
        }
        final long now = System.nanoTime();
        final int n = workflow.size();
        final Map<String, Object> stepResults = new LinkedHashMap<>();
        final Map<String, StepOutcome> steps = new LinkedHashMap<>();
        final List<String> unfinished = new ArrayList<>();
        for (int i = 0; i < n; i++)
        {
            final String name = workflow.step(i).name();
            StepStatus s = status[i];
            if (s == null)
            {
                s = inDispatcher[i] ? StepStatus.ABANDONED : StepStatus.SKIPPED;
                unfinished.add(name);
            }
            if (s.hasResult())
            {
                stepResults.put(name, results[i]);
            }
            steps.put(name, new StepOutcome(name, s, results[i], agentIds[i], attempts[i], reasons[i],
                sinceStart(readyNanos[i]), sinceStart(submittedNanos[i]), sinceStart(finishedNanos[i])));
        }
        final Object finalResult = outcome == WorkflowStatus.SUCCEEDED ? finalResult() : null;
        // dependents chained without *Async run here, on the supervisor thread, after the run is fully recorded
        result.complete(new WorkflowResult(workflow.name(), outcome, finalResult, failedStep, reason,
            Collections.unmodifiableMap(stepResults), Collections.unmodifiableMap(steps),
            Collections.unmodifiableList(unfinished), Duration.ofNanos(now - startNanos)));
    }

    private Object finalResult()
    {
        if (workflow.synthesisIndex() >= 0)
        {
            return results[workflow.synthesisIndex()];
        }
        final int[] sinks = workflow.sinks();
        if (sinks.length == 1)
        {
            return results[sinks[0]];
        }
        final Map<String, Object> bySink = new LinkedHashMap<>();
        for (final int s : sinks)
        {
            bySink.put(workflow.step(s).name(), results[s]);
        }
        return Collections.unmodifiableMap(bySink);
    }

    private Map<String, Object> inputsOf(final int i)
    {
        final int[] predecessors = workflow.predecessorsOf(i);
        final Map<String, Object> inputs = new LinkedHashMap<>(Math.max(4, predecessors.length * 2));
        for (final int p : predecessors)
        {
            inputs.put(workflow.step(p).name(), results[p]);
        }
        return Collections.unmodifiableMap(inputs);
    }

    private String describe(final int i, final Step step)
    {
        final String name = workflow.step(i).name();
        return step == workflow.step(i) ? "step '" + name + "'" : "fallback '" + step.name() + "' of step '" + name + "'";
    }

    private Duration sinceStart(final long nanos)
    {
        return nanos == NOT_YET ? null : Duration.ofNanos(nanos - startNanos);
    }

    private static long[] filled(final int n)
    {
        final long[] a = new long[n];
        Arrays.fill(a, NOT_YET);
        return a;
    }
}
