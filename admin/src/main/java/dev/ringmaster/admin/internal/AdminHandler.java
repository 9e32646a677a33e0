package dev.ringmaster.admin.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.ringmaster.admin.AdapterSupplier;
import dev.ringmaster.dispatch.Dispatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The routing table of the admin endpoint: which route, which methods, whether the token is needed, and which
 * handler serves it; {@link #handle} runs on the server's executor threads, several at once.
 *
 * <p>Order of checks for a request: route, then method (404, 405), then the token for a mutating call (401), and only
 * then the body and the dispatcher. A caller without the token learns nothing about agents or types and changes
 * nothing. Fleet and task changes are asynchronous end to end (see {@link Replies}): no admin thread sits blocked
 * while an agent drains.
 */
public final class AdminHandler implements HttpHandler
{
    private static final Logger LOG = LoggerFactory.getLogger(AdminHandler.class);
    private static final int DEFAULT_LIMIT = 50;
    /** Changes kept for GET /audit. */
    private static final int AUDIT_KEPT = 1_000;
    static final List<String> ROUTES = List.of("GET /status", "GET /queue-depth", "GET /agents", "GET /distribution",
        "GET /dead-letters?limit=N", "DELETE /dead-letters", "POST /dead-letters/{task id}/requeue", "GET /types",
        "POST /types/{type}/pause", "POST /types/{type}/resume", "POST /types/{type}/scale {\"agents\": N}",
        "POST /agents/{id}/drain?wait=SECONDS", "DELETE /agents/{id}", "POST /agents", "POST /tasks",
        "GET /tasks/{id}", "POST /tasks/{id}/cancel", "DELETE /tasks/{id}", "POST /tasks/{id}/priority",
        "GET /audit?limit=N", "GET /health", "GET /ready", "GET /metrics");

    private final Dispatcher dispatcher;
    private final Auth auth;
    private final Supplier<String> state;
    /** GET without the token. */
    private final boolean publicReads;
    /** Extra fields per agent id for GET /agents (a remote agent's host and connection state). */
    private final java.util.function.Function<String, java.util.Map<String, String>> agentDetails;
    private final Replies replies;
    private final FleetRoutes fleet;
    private final TaskRoutes tasks;

    public AdminHandler(final Dispatcher dispatcher, final String token, final AdapterSupplier adapters,
                        final Supplier<String> state, final Executor executor, final Duration drainWait,
                        final Duration commandWait, final boolean publicReads,
                        final java.util.function.Function<String, java.util.Map<String, String>> agentDetails,
                        final java.util.function.Consumer<dev.ringmaster.admin.AdminChange> changes,
                        final dev.ringmaster.admin.TaskSubmitter submitter)
    {
        this.agentDetails = agentDetails;
        this.dispatcher = dispatcher;
        this.auth = new Auth(token);
        this.state = state;
        this.publicReads = publicReads;
        this.replies = new Replies(executor, commandWait, new AuditTrail(AUDIT_KEPT, changes));
        this.fleet = new FleetRoutes(dispatcher, adapters, replies, drainWait);
        this.tasks = new TaskRoutes(dispatcher, replies, submitter);
    }

    /** Keeps the end of a task submitted around the endpoint for GET /tasks/{id}; any thread. */
    public void follow(final java.util.concurrent.CompletionStage<dev.ringmaster.dispatch.TaskResult> end)
    {
        tasks.follow(end);
    }

    /** @return requests received and not yet answered; any thread. */
    public int openExchanges()
    {
        return replies.open.get();
    }

    @Override
    public void handle(final HttpExchange exchange)
    {
        replies.open.incrementAndGet();
        try
        {
            route(exchange);
        }
        catch (final ApiException e)
        {
            replies.respond(exchange, e.status(), Views.error(e.getMessage(), e.fix()));
        }
        catch (final RuntimeException | Error e)
        {
            // an Error too (the jar replaced under a running server, a plugin's assertion): answer it rather than let
            // the pool thread die with the exchange left open and the client waiting for its timeout
            LOG.warn("admin request {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
            replies.respond(exchange, 500, Views.error("internal error: " + e, "see the server's log; the dispatcher is unaffected"));
        }
    }

    /** @return {@code handler} behind this server's token check, answering 401 in JSON without it. */
    public HttpHandler authorized(final HttpHandler handler)
    {
        return x ->
        {
            try
            {
                auth.authorize(x);
            }
            catch (final ApiException e)
            {
                replies.open.incrementAndGet();
                replies.respond(x, e.status(), Views.error(e.getMessage(), e.fix()));
                return;
            }
            handler.handle(x);
        };
    }

    private void route(final HttpExchange x)
    {
        final String method = x.getRequestMethod();
        final List<String> path = Requests.segments(x.getRequestURI().getRawPath());
        if (path.isEmpty() && ("GET".equals(method) || "HEAD".equals(method)) && Dashboard.wanted(x))
        {
            replies.open.decrementAndGet();
            Dashboard.send(x); // static: it holds no data, and asks for the token before it reads any
            return;
        }
        if (!publicReads)
        {
            auth.authorize(x); // reads too: what the fleet runs and for whom is nobody else's business
        }
        final String first = path.isEmpty() ? "" : path.get(0);
        switch (path.size() + ":" + first)
        {
            case "0:" -> read(x, index());
            case "1:status" -> read(x, Views.status(dispatcher, state.get()));
            case "1:queue-depth" -> read(x, Views.queueDepth(dispatcher));
            case "1:distribution" -> read(x, Views.distribution(dispatcher));
            case "1:types" -> read(x, types());
            case "1:audit" -> read(x, replies.audit.view(Requests.intParam(x, "limit", DEFAULT_LIMIT)));
            case "1:dead-letters" ->
            {
                if ("DELETE".equals(allow(x, "GET", "DELETE")))
                {
                    tasks.purge(x);
                }
                else
                {
                    read(x, Views.deadLetters(dispatcher, Requests.intParam(x, "limit", DEFAULT_LIMIT)));
                }
            }
            case "3:dead-letters" ->
            {
                Requests.expect(path.get(2), "requeue", "/dead-letters/{task id}/requeue");
                change(x, "POST");
                tasks.requeue(x, path.get(1));
            }
            case "1:agents" ->
            {
                if ("POST".equals(allow(x, "GET", "POST")))
                {
                    auth.authorize(x);
                    fleet.addAgent(x);
                }
                else
                {
                    read(x, Views.agents(dispatcher, fleet.draining(), agentDetails));
                }
            }
            case "2:agents" ->
            {
                change(x, "DELETE");
                fleet.drain(x, path.get(1));
            }
            case "3:agents" ->
            {
                Requests.expect(path.get(2), "drain", "/agents/{id}/drain");
                change(x, "POST");
                fleet.drain(x, path.get(1));
            }
            case "3:types" -> typeChange(x, path.get(1), path.get(2));
            case "1:tasks" ->
            {
                change(x, "POST");
                tasks.submit(x);
            }
            case "2:tasks" ->
            {
                if ("DELETE".equals(allow(x, "GET", "DELETE")))
                {
                    auth.authorize(x);
                    tasks.cancel(x, path.get(1));
                }
                else
                {
                    tasks.find(x, path.get(1));
                }
            }
            case "3:tasks" -> taskChange(x, path.get(1), path.get(2));
            default -> throw Requests.notFound(x);
        }
    }

    private void typeChange(final HttpExchange x, final String type, final String verb)
    {
        switch (verb)
        {
            case "pause", "resume" ->
            {
                change(x, "POST");
                fleet.pause(x, type, verb.equals("pause"));
            }
            case "scale" ->
            {
                change(x, "POST");
                fleet.scale(x, type);
            }
            default -> throw Requests.notFound(x);
        }
    }

    private void taskChange(final HttpExchange x, final String id, final String verb)
    {
        switch (verb)
        {
            case "priority" ->
            {
                change(x, "POST");
                fleet.reprioritize(x, id);
            }
            case "cancel" ->
            {
                change(x, "POST");
                tasks.cancel(x, id);
            }
            default -> throw new ApiException(404, "no route ends in '/" + verb + "'",
                "did you mean /tasks/{id}/priority or /tasks/{id}/cancel? GET / lists the routes");
        }
    }

    private void read(final HttpExchange x, final ObjectNode body)
    {
        allow(x, "GET");
        replies.respond(x, 200, body);
    }

    /** Checks the method, then the token: a change needs both. */
    private void change(final HttpExchange x, final String method)
    {
        allow(x, method);
        auth.authorize(x);
    }

    /** @return the request's method, one of {@code methods} (HEAD counts as GET). */
    private static String allow(final HttpExchange x, final String... methods)
    {
        final String method = x.getRequestMethod();
        for (final String m : methods)
        {
            if (m.equals(method) || ("HEAD".equals(method) && "GET".equals(m)))
            {
                return m;
            }
        }
        final String allowed = String.join(", ", methods);
        x.getResponseHeaders().set("Allow", allowed);
        throw new ApiException(405, method + " is not allowed on " + x.getRequestURI().getPath(), "use " + allowed);
    }

    private ObjectNode types()
    {
        final ObjectNode o = Views.object();
        dispatcher.types().forEach((type, paused) ->
            o.putObject(type).put("paused", paused).put("scalable", dispatcher.agentFactories().containsKey(type)));
        return o;
    }

    private static ObjectNode index()
    {
        final ObjectNode o = Views.object();
        o.put("service", "ringmaster admin");
        final var routes = o.putArray("routes");
        ROUTES.forEach(routes::add);
        o.put("auth", "every route but /health and /ready needs 'Authorization: Bearer <token>' (GET not, if the " +
            "server was started with public reads)");
        return o;
    }
}
