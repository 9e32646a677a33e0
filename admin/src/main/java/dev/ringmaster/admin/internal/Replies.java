package dev.ringmaster.admin.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Answers admin requests, now or once a dispatcher change completes, and maps failed changes to HTTP statuses; every
 * answer is counted (for a closing server) and audited. Thread-safe: continuations run on the admin executor, so
 * the dispatcher's router, which completes the changes, never does I/O.
 */
final class Replies
{
    private static final Logger LOG = LoggerFactory.getLogger(Replies.class);

    /** A response computed from a change's result; immutable. */
    record Reply(int status, ObjectNode body)
    {
    }

    final Executor executor;
    final Duration commandWait;
    final AuditTrail audit;
    /** Exchanges received and not yet answered, so that a closing server can let them finish. */
    final AtomicInteger open = new AtomicInteger();

    Replies(final Executor executor, final Duration commandWait, final AuditTrail audit)
    {
        this.executor = executor;
        this.commandWait = commandWait;
        this.audit = audit;
    }

    void respond(final HttpExchange x, final int status, final ObjectNode body)
    {
        open.decrementAndGet();
        audit.record(x, status, body);
        try (x)
        {
            Responses.json(x, status, body);
        }
    }

    /** Answers once {@code change} completes, or 503 after {@code wait}. */
    <T> void reply(final HttpExchange x, final CompletableFuture<T> change, final Duration wait,
                   final Function<T, Reply> onSuccess)
    {
        change.copy().orTimeout(wait.toNanos(), TimeUnit.NANOSECONDS).whenCompleteAsync((value, error) ->
        {
            if (error != null)
            {
                respond(x, error);
                return;
            }
            try
            {
                final Reply r = onSuccess.apply(value);
                respond(x, r.status(), r.body());
            }
            catch (final ApiException e)
            {
                respond(x, e.status(), Views.error(e.getMessage(), e.fix()));
            }
            catch (final RuntimeException | LinkageError e)
            {
                LOG.warn("admin reply failed", e);
                respond(x, 500, Views.error("internal error: " + e, "see the server's log"));
            }
        }, executor);
    }

    /**
     * Maps a failed change to a status. The dispatcher reports an unknown agent or type and a duplicate id as
     * {@link IllegalArgumentException}s and a removal already under way or a stopped dispatcher as
     * {@link IllegalStateException}s; only the message tells the first kinds apart.
     */
    void respond(final HttpExchange x, final Throwable failure)
    {
        Throwable e = failure;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null)
        {
            e = e.getCause();
        }
        final String message = String.valueOf(e.getMessage());
        if (e instanceof ApiException a)
        {
            respond(x, a.status(), Views.error(a.getMessage(), a.fix()));
        }
        else if (e instanceof IllegalArgumentException)
        {
            if (message.startsWith("unknown agent type"))
            {
                respond(x, 404, Views.error(message, "use one of the known types; GET /types lists them"));
            }
            else if (message.startsWith("unknown agent"))
            {
                respond(x, 404, Views.error(message, "use one of the known agents; GET /agents lists them"));
            }
            else if (message.startsWith("duplicate agent id"))
            {
                respond(x, 409, Views.error(message, "pick an id that no agent in the fleet has"));
            }
            else
            {
                respond(x, 400, Views.error(message, "correct the request and send it again"));
            }
        }
        else if (e instanceof IllegalStateException)
        {
            respond(x, 409, Views.error(message, message.contains("being removed") ?
                "wait for the drain to finish; GET /agents shows it as draining until it leaves" :
                "fleet changes apply only while the dispatcher runs"));
        }
        else if (e instanceof TimeoutException)
        {
            respond(x, 503, Views.error("the dispatcher did not apply the change within " + commandWait.toMillis() +
                " ms; it may still apply it", "check GET /status and GET /agents before retrying"));
        }
        else
        {
            LOG.warn("admin fleet change failed", e);
            respond(x, 500, Views.error("internal error: " + e, "see the server's log"));
        }
    }
}
