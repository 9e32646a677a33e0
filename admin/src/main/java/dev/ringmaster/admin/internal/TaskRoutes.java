package dev.ringmaster.admin.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.sun.net.httpserver.HttpExchange;
import dev.ringmaster.admin.TaskSubmitter;
import dev.ringmaster.dispatch.CancelOutcome;
import dev.ringmaster.dispatch.DeadLetter;
import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.dispatch.RejectedTaskException;
import dev.ringmaster.dispatch.SubmitStatus;
import dev.ringmaster.dispatch.TaskResult;
import dev.ringmaster.model.Task;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The task operations of the endpoint: submit (so that a program in any language can delegate), find by id, cancel,
 * requeue a dead letter, purge the dead letters. Thread-safe: called on the server's threads after routing and
 * authorization.
 */
final class TaskRoutes
{
    /** Ends of tasks submitted here that are kept for {@code GET /tasks/{id}}. */
    static final int RESULTS_KEPT = 10_000;

    private final Dispatcher dispatcher;
    private final Replies replies;
    /** Null: the dispatcher's submit, answered at once. */
    private final TaskSubmitter submitter;
    private final TaskBook book = new TaskBook(RESULTS_KEPT);

    TaskRoutes(final Dispatcher dispatcher, final Replies replies, final TaskSubmitter submitter)
    {
        this.dispatcher = dispatcher;
        this.replies = replies;
        this.submitter = submitter;
    }

    void submit(final HttpExchange x)
    {
        final Task task = Submission.task(Requests.body(x, "{\"type\":\"coder\",\"payload\":\"fix the bug\"}"));
        offer(x, task, () -> dispatcher.submitAsync(task), accepted(task), false);
    }

    /**
     * Offers the task with {@code offer} (its future fails with the refusal, else completes with the task's end, which
     * is kept for {@code GET /tasks/{id}}) directly or, with a submitter, through it, and answers {@code ok} (202) or
     * the refusal; a {@code requeue} (of a dead letter) words its refusal and an unacknowledged answer for itself.
     */
    private void offer(final HttpExchange x, final Task task, final Supplier<CompletableFuture<TaskResult>> offer,
                       final ObjectNode ok, final boolean requeue)
    {
        // a refused requeue leaves the letter where it was
        final String refusalFix = requeue ? "; the dead letter stays listed" : null;
        if (submitter != null)
        {
            submitThroughSubmitter(x, task, offer, ok, refusalFix, requeue);
            return;
        }
        final CompletableFuture<TaskResult> result = offer.get();
        if (result.isCompletedExceptionally())
        {
            refuse(x, rejection(result), refusalFix);
            return;
        }
        result.thenAccept(book::record);
        replies.respond(x, 202, ok);
    }

    /**
     * Answers once the submitter acknowledged the task (a journal: once its ACCEPTED record is written), so that a
     * client's 202 means what the submitter promises, with its refusal, or with 503 after the command wait.
     */
    private void submitThroughSubmitter(final HttpExchange x, final Task task,
                                        final Supplier<CompletableFuture<TaskResult>> offer, final ObjectNode ok,
                                        final String refusalFix, final boolean requeue)
    {
        // the dispatcher's own refusal names more than its status (the known types, the missing skill): keep it
        final AtomicReference<RejectedTaskException> refused = new AtomicReference<>();
        // the dispatcher took it: a failure of the acknowledgement after this must not say the task did not run
        final java.util.concurrent.atomic.AtomicBoolean dispatched = new java.util.concurrent.atomic.AtomicBoolean();
        final CompletionStage<?> ack = submitter.submit(task, t ->
        {
            final CompletableFuture<TaskResult> result = offer.get();
            if (result.isCompletedExceptionally())
            {
                refused.set(rejection(result));
                return refused.get().status();
            }
            result.thenAccept(book::record);
            dispatched.set(true);
            return SubmitStatus.ACCEPTED;
        });
        // answered inline when the admin pool is full: a rejected async step would never answer at all
        final java.util.concurrent.Executor answer = command ->
        {
            try
            {
                replies.executor.execute(command);
            }
            catch (final java.util.concurrent.RejectedExecutionException full)
            {
                command.run();
            }
        };
        // a copy: the timeout must not complete the submitter's own stage
        ack.toCompletableFuture().copy().orTimeout(replies.commandWait.toNanos(), TimeUnit.NANOSECONDS)
            .whenCompleteAsync((value, error) ->
            {
                Throwable e = error;
                while (e instanceof CompletionException && e.getCause() != null)
                {
                    e = e.getCause();
                }
                if (e == null)
                {
                    replies.respond(x, 202, ok);
                }
                else if (e instanceof RejectedTaskException r && !dispatched.get())
                {
                    final RejectedTaskException own = refused.get();
                    refuse(x, own != null && own.status() == r.status() ? own : r, refusalFix);
                }
                else
                {
                    replies.respond(x, 503, unacknowledged(task, e, requeue));
                }
            }, answer);
    }

    /**
     * The answer when the dispatcher took the task and the submitter did not acknowledge it: the task may run. A
     * requeue says so in its own words, since POST /tasks's fix (submit it again if it is not there) is wrong for it:
     * the letter is off the list, and requeueing it again is refused.
     */
    private ObjectNode unacknowledged(final Task task, final Throwable e, final boolean requeue)
    {
        final boolean late = e instanceof TimeoutException;
        // a refusal after the dispatcher took the task: the journal failed in between (its own wording, "not
        // submitted", would be wrong here)
        final String why = late ? " within " + replies.commandWait.toMillis() + " ms; it may still be" :
            e instanceof RejectedTaskException r ? ": the journal could not record its " + (requeue ? "new " : "") +
            "acceptance (" + r.status() + ")" : ": " + e;
        final ObjectNode o = requeue
            ? Views.error("the requeue of dead letter " + task.id() + " was handed to the dispatcher but not " +
                "acknowledged" + why + ", and the task may run again; the letter is no longer listed", "GET /tasks/" +
                task.id() + " follows the requeued task; do not requeue it again (GET /dead-letters lists it again " +
                "only if it fails again), and check GET /ready for the journal")
            : Views.error("task " + task.id() + " was handed to the dispatcher but not acknowledged" + why +
                ", and it may run", "GET /tasks/" + task.id() + " says whether it runs; submit it again only if it " +
                "is not there (it would run twice), and check GET /ready");
        o.put("task_id", task.id());
        return o;
    }

    private void refuse(final HttpExchange x, final RejectedTaskException rejected, final String refusalFix)
    {
        // the refusal's own detail, not the status's general reason: that one speaks to embedders ("call start()
        // first"), and the fix below is the HTTP client's
        final Task task = rejected.task();
        final ObjectNode o = Views.error("task " + task.id() + " of type '" + task.type() + "' rejected (" +
            rejected.status() + "): " + (rejected.detail() != null ? rejected.detail() : reason(rejected.status())),
            fix(rejected.status()) + (refusalFix == null ? "" : refusalFix));
        o.put("status", rejected.status().name());
        if (rejected.status() == SubmitStatus.QUEUE_FULL || rejected.status() == SubmitStatus.RING_FULL)
        {
            x.getResponseHeaders().set("Retry-After", "1");
        }
        replies.respond(x, status(rejected.status()), o);
    }

    private static ObjectNode accepted(final Task task)
    {
        final ObjectNode o = Views.object();
        o.put("task_id", task.id());
        o.put("status", SubmitStatus.ACCEPTED.name());
        o.put("type", task.type());
        o.put("priority", task.priority().name());
        o.put("follow", "/tasks/" + task.id());
        return o;
    }

    private static RejectedTaskException rejection(final CompletableFuture<TaskResult> result)
    {
        try
        {
            result.join();
            throw new IllegalStateException("a refused submission completed normally");
        }
        catch (final CompletionException e)
        {
            if (e.getCause() instanceof RejectedTaskException r)
            {
                return r;
            }
            throw e;
        }
    }

    /** The status that fits each refusal: the client's mistake, a conflict, slow down, or the server's state. */
    static int status(final SubmitStatus s)
    {
        return switch (s)
        {
            case QUEUE_FULL, RING_FULL -> 429;
            case UNKNOWN_AGENT_TYPE, NO_CAPABLE_AGENT, EXPIRED, PAYLOAD_NOT_JOURNALED -> 422;
            case DUPLICATE_ID -> 409;
            case NOT_RUNNING, JOURNAL_FAILED -> 503;
            case ACCEPTED -> 202;
        };
    }

    /** What a refusal with no detail of its own means, for an HTTP client (the status's own reason is an embedder's). */
    private static String reason(final SubmitStatus s)
    {
        return switch (s)
        {
            case QUEUE_FULL -> "the type's queue for its priority is full";
            case RING_FULL -> "the dispatcher's intake is full";
            case UNKNOWN_AGENT_TYPE -> "no agent of that type is registered";
            case NO_CAPABLE_AGENT -> "no agent of its type can take it";
            case EXPIRED -> "its time to live had passed before it was taken in";
            case DUPLICATE_ID -> "a task with this id is already accepted and not finished";
            case NOT_RUNNING -> "the dispatcher is not accepting tasks";
            case JOURNAL_FAILED -> "the journal could not record it";
            case PAYLOAD_NOT_JOURNALED -> "the journal cannot hold its payload";
            case ACCEPTED -> "accepted";
        };
    }

    private static String fix(final SubmitStatus s)
    {
        return switch (s)
        {
            case QUEUE_FULL, RING_FULL -> "retry after a second (Retry-After), or scale the type up: POST /types/{type}/scale";
            case UNKNOWN_AGENT_TYPE -> "use one of the types GET /types lists";
            case NO_CAPABLE_AGENT -> "drop a skill, or add an agent that has them all (POST /agents)";
            case EXPIRED -> "give a longer ttl_s";
            case DUPLICATE_ID -> "submit it again once the first one ended";
            case NOT_RUNNING -> "the dispatcher is draining or stopped: submit to a running one";
            case JOURNAL_FAILED -> "fix the journal's storage and restart the server";
            case PAYLOAD_NOT_JOURNALED -> "send a payload the server's journal can hold: text, smaller than its largest record";
            case ACCEPTED -> "";
        };
    }

    /** Keeps the end of a task submitted around the endpoint, for {@link #find}; any thread. */
    void follow(final CompletionStage<TaskResult> end)
    {
        end.thenAccept(book::record);
    }

    void find(final HttpExchange x, final String rawId)
    {
        final long id = Requests.taskId(rawId);
        final TaskResult ended = book.get(id);
        if (ended != null)
        {
            replies.respond(x, 200, ended(ended));
            return;
        }
        replies.reply(x, dispatcher.whereIs(id), replies.commandWait, where ->
        {
            final ObjectNode o = Views.object();
            o.put("task_id", id);
            if (where != null)
            {
                o.put("state", where.isEmpty() ? "waiting" : "assigned");
                if (!where.isEmpty())
                {
                    o.put("agent", where);
                }
                return new Replies.Reply(200, o);
            }
            final TaskResult late = book.get(id);
            if (late != null)
            {
                return new Replies.Reply(200, ended(late));
            }
            final DeadLetter letter = letter(id);
            if (letter != null)
            {
                o.put("state", letter.state().name());
                o.put("reason", letter.reason());
                o.put("attempts", letter.attempts());
                o.put("last_agent", letter.lastAgentId());
                o.put("at", Instant.ofEpochMilli(letter.epochMillis()).toString());
                return new Replies.Reply(200, o);
            }
            throw new ApiException(404, "no task " + id + " is waiting or running, and no end of it is kept here",
                "check the id; the ends of the last " + RESULTS_KEPT + " tasks submitted with POST /tasks (or " +
                    "requeued, or recovered from a journal on start) are kept, and GET /dead-letters lists failed ones");
        });
    }

    private static ObjectNode ended(final TaskResult r)
    {
        final ObjectNode o = Views.object();
        o.put("task_id", r.task().id());
        o.put("state", r.state().name());
        o.put("agent", r.agentId());
        o.set("result", result(r.result()));
        o.put("reason", r.reason());
        o.put("attempts", r.attempts());
        o.put("tokens", r.tokensUsed());
        o.put("latency_ms", Views.ratio(r.latencyNanos() / 1e6));
        return o;
    }

    /** The agent's output as JSON: text as text, a record or map (e.g. a chat reply) as an object. */
    private static JsonNode result(final Object result)
    {
        if (result == null || result instanceof CharSequence)
        {
            return result == null ? NullNode.getInstance() : TextNode.valueOf(result.toString());
        }
        try
        {
            return Views.JSON.valueToTree(result);
        }
        catch (final IllegalArgumentException e)
        {
            return TextNode.valueOf(String.valueOf(result)); // not serializable as JSON: its text is the next best
        }
    }

    private DeadLetter letter(final long id)
    {
        final List<DeadLetter> letters = dispatcher.deadLetters();
        for (int i = letters.size() - 1; i >= 0; i--)
        {
            if (letters.get(i).task().id() == id)
            {
                return letters.get(i);
            }
        }
        return null;
    }

    void cancel(final HttpExchange x, final String rawId)
    {
        final long id = Requests.taskId(rawId);
        replies.reply(x, dispatcher.cancel(id), replies.commandWait, outcome ->
        {
            final ObjectNode o = Views.object();
            o.put("task_id", id);
            o.put("outcome", outcome.name());
            o.put("reason", outcome.reason());
            if (outcome == CancelOutcome.CANCELLED)
            {
                return new Replies.Reply(200, o);
            }
            if (outcome == CancelOutcome.NOT_FOUND)
            {
                return notLive(id, o);
            }
            o.put("error", "task " + id + " was not cancelled: " + outcome.reason());
            o.put("fix", "nothing to do: an agent runs it to its end");
            return new Replies.Reply(409, o);
        });
    }

    /**
     * A cancel of a task the dispatcher no longer holds: says so, with the end this endpoint kept if it has one (a task
     * submitted here, or a dead letter), else that the id finished long ago or never existed, and where to look.
     */
    private Replies.Reply notLive(final long id, final ObjectNode o)
    {
        final TaskResult ended = book.get(id);
        final DeadLetter letter = ended == null ? letter(id) : null;
        final String state = ended != null ? ended.state().name() : letter != null ? letter.state().name() : null;
        if (state != null)
        {
            o.put("state", state);
            o.put("error", "task " + id + " is not live, nothing to cancel: it already ended " + state);
            o.put("fix", "nothing to do; GET /tasks/" + id + " shows its end");
        }
        else
        {
            o.put("error", "task " + id + " is not live, nothing to cancel: it finished already or an unknown id " +
                "(no waiting or running task has it, and no end of it is kept here)");
            o.put("fix", "check the id with GET /tasks/" + id + "; a journaled server's 'ringmaster audit JOURNAL_DIR " +
                id + "' shows the history of a task that ended long ago");
        }
        return new Replies.Reply(404, o);
    }

    /**
     * Requeues a dead letter as {@link #submit} submits a task: through the submitter if there is one (a journal in
     * acknowledged durability: 202 once the new acceptance is written, never for a task the journal does not hold),
     * and keeping its new end for {@code GET /tasks/{id}}, which the answer's note points to.
     */
    void requeue(final HttpExchange x, final String rawId)
    {
        final long id = Requests.taskId(rawId);
        final DeadLetter letter = letter(id);
        if (letter == null)
        {
            throw notRequeueable(id, null);
        }
        final ObjectNode ok = Views.object();
        ok.put("task_id", id);
        ok.put("status", SubmitStatus.ACCEPTED.name());
        ok.put("note", "task " + id + " is queued again with its id; GET /tasks/" + id + " follows it");
        try
        {
            offer(x, letter.task(), () ->
            {
                book.forget(id); // before the requeue: its new end may be recorded before requeueDeadLetter returns
                final CompletableFuture<TaskResult> end = new CompletableFuture<>();
                dispatcher.requeueDeadLetter(id, end);
                return end;
            }, ok, true);
        }
        catch (final IllegalArgumentException e)
        {
            throw notRequeueable(id, e); // requeued or purged by another request meanwhile
        }
    }

    private static ApiException notRequeueable(final long id, final IllegalArgumentException e)
    {
        return new ApiException(404, e != null ? e.getMessage() : "no dead letter has task id " + id +
            " (requeued or purged already, or never dead-lettered)", "GET /dead-letters lists the task ids that can be requeued");
    }

    void purge(final HttpExchange x)
    {
        final ObjectNode o = Views.object();
        o.put("purged", dispatcher.purgeDeadLetters());
        replies.respond(x, 200, o);
    }
}
