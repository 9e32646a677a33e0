package dev.ringmaster.delegation;

import dev.ringmaster.dispatch.CancelOutcome;
import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.dispatch.TaskResult;
import dev.ringmaster.model.Task;

import java.util.ArrayList;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Copies of one task racing on several agents, the first success completing {@link #outcome}: the core of
 * {@link Broadcast} and {@link Hedger}. Copies are launched from any thread and settle on the router thread; the race
 * is decided by {@link CompletableFuture#complete}, so there is no lock.
 *
 * <p>Lifecycle: the race starts open (more copies may come); the owner {@link #seal}s it once it will launch no more.
 * It fails only when it is sealed and every copy has settled without success, so a late hedge is never mistaken for
 * "all failed".
 */
final class Race
{
    private static final int MAX_CANCEL_ATTEMPTS = 3;

    private final Dispatcher dispatcher;
    private final Task task;
    private final String what;
    private final Stats stats;
    private final CompletableFuture<TaskResult> outcome = new CompletableFuture<>();
    private final Queue<Copy> copies = new ConcurrentLinkedQueue<>();
    private final Queue<String> reasons = new ConcurrentLinkedQueue<>();
    private final Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
    // one per unsettled copy, plus one while the race is open
    private final AtomicInteger unsettled = new AtomicInteger(1);
    private final AtomicInteger launched = new AtomicInteger();

    /**
     * @param what names the race in failures, e.g. "broadcast".
     */
    Race(final Dispatcher dispatcher, final Task task, final String what, final Stats stats)
    {
        this.dispatcher = dispatcher;
        this.task = task;
        this.what = what;
        this.stats = stats;
        outcome.whenComplete((result, error) -> cancelLosers(result));
    }

    CompletableFuture<TaskResult> outcome()
    {
        return outcome;
    }

    /**
     * Submits one copy and enters it in the race; call only before {@link #seal}.
     *
     * @param label names the copy in failure reasons, e.g. "agent a" or "hedge".
     */
    Copy launch(final Task copyTask, final String label)
    {
        unsettled.incrementAndGet();
        launched.incrementAndGet();
        stats.copiesSent.increment();
        final Copy copy = new Copy(copyTask, label, dispatcher.submitAsync(copyTask));
        copies.add(copy);
        if (outcome.isDone())
        {
            // lost before it started: cancelLosers may have swept the queue before this copy was in it
            cancel(copy);
        }
        copy.future.whenComplete((result, error) -> settle(copy, result, error));
        return copy;
    }

    /** Declares that no more copies will be launched; the race fails if every copy has already failed. */
    void seal()
    {
        if (unsettled.decrementAndGet() == 0)
        {
            fail();
        }
    }

    private void settle(final Copy copy, final TaskResult result, final Throwable error)
    {
        if (result != null && result.completed())
        {
            outcome.complete(result);
        }
        else if (error != null)
        {
            final Throwable cause = error instanceof CompletionException && error.getCause() != null ?
                error.getCause() : error;
            errors.add(cause);
            reasons.add(copy.label + ": " + cause.getMessage());
        }
        else
        {
            reasons.add(copy.label + " (task " + copy.task.id() + (result.agentId() == null ? "" :
                " on agent '" + result.agentId() + "'") + "): " + result.state() +
                (result.reason() == null ? "" : " (" + result.reason() + ")"));
        }
        if (unsettled.decrementAndGet() == 0)
        {
            fail();
        }
    }

    private void fail()
    {
        if (outcome.isDone())
        {
            return;
        }
        if (launched.get() == 1 && errors.size() == 1)
        {
            // a single copy that was refused: the caller gets the dispatcher's own rejection, as from submitAsync
            outcome.completeExceptionally(errors.peek());
            return;
        }
        final DelegationException failure = new DelegationException(what + " of task " + task.id() + " (type '" +
            task.type() + "') failed on every copy", task, new ArrayList<>(reasons), null);
        for (final Throwable e : errors)
        {
            failure.addSuppressed(e);
        }
        outcome.completeExceptionally(failure);
    }

    private void cancelLosers(final TaskResult winner)
    {
        for (final Copy copy : copies)
        {
            if (winner == null || copy.task.id() != winner.task().id())
            {
                cancel(copy);
            }
        }
    }

    private void cancel(final Copy copy)
    {
        if (!copy.future.isDone() && copy.cancelRequested.compareAndSet(0, 1))
        {
            requestCancel(copy, 1);
        }
    }

    private void requestCancel(final Copy copy, final int attempt)
    {
        // a command queued to the router: never blocks, so it is safe on the router thread that decided the race
        dispatcher.cancel(copy.task.id()).whenComplete((answer, error) ->
        {
            if (answer == CancelOutcome.CANCELLED)
            {
                stats.losersCancelled.increment();
            }
            else if (answer == CancelOutcome.RUNNING)
            {
                stats.losersRunning.increment();
            }
            else if (answer == CancelOutcome.NOT_FOUND && !copy.future.isDone() && attempt < MAX_CANCEL_ATTEMPTS)
            {
                // not yet drained from the ingress ring when the command ran: the router drains the ring before
                // it applies commands, so asking again from here finds it
                requestCancel(copy, attempt + 1);
            }
        });
    }

    /** One submitted copy; immutable apart from the once-only cancel flag. */
    static final class Copy
    {
        final Task task;
        final String label;
        final CompletableFuture<TaskResult> future;
        final AtomicInteger cancelRequested = new AtomicInteger();

        Copy(final Task task, final String label, final CompletableFuture<TaskResult> future)
        {
            this.task = task;
            this.label = label;
            this.future = future;
        }
    }

    /** Counters shared by the races of one model; updated from any thread, read any time. */
    static final class Stats
    {
        final LongAdder copiesSent = new LongAdder();
        final LongAdder losersCancelled = new LongAdder();
        final LongAdder losersRunning = new LongAdder();
    }
}
