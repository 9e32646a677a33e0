package dev.ringmaster.admin.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.ringmaster.admin.AdapterSupplier;
import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.dispatch.ReprioritizeOutcome;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Priority;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.AgentView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Routes admin requests to the dispatcher; {@link #handle} runs on the server's executor threads, several at once.
 *
 * <p>Fleet changes are asynchronous end to end: the dispatcher's future completes on its router thread, and the
 * response is written by a continuation on the admin executor ({@code *Async}), so the router never does I/O and no
 * admin thread sits blocked while an agent drains.
 *
 * <p>Order of checks for a request: route, then method (404, 405), then the token for a mutating call (401), and only
 * then the body and the dispatcher. A caller without the token learns nothing about agents or types and changes
 * nothing.
 */
public final class AdminHandler implements HttpHandler
{
    private static final Logger LOG = LoggerFactory.getLogger(AdminHandler.class);
    private static final int DEFAULT_DEAD_LETTERS = 50;
    /** The live dashboard: one self-contained page, plain HTML, CSS and JavaScript, read once from the jar. */
    private static final String DASHBOARD = readDashboard();

    private final Dispatcher dispatcher;
    private final byte[] token;
    private final AdapterSupplier adapters;
    private final Supplier<String> state;
    private final Executor executor;
    private final Duration drainWait;
    private final Duration commandWait;
    /** GET without the token. */
    private final boolean publicReads;
    /** Extra fields per agent id for GET /agents (a remote agent's host and connection state). */
    private final java.util.function.Function<String, java.util.Map<String, String>> agentDetails;
    /** Agents whose removal this server started and that still hold work; for the "draining" flag of GET /agents. */
    private final Map<String, CompletableFuture<AgentView>> draining = new ConcurrentHashMap<>();
    /** Exchanges received and not yet answered, so that a closing server can let them finish. */
    private final AtomicInteger open = new AtomicInteger();

    public AdminHandler(final Dispatcher dispatcher, final String token, final AdapterSupplier adapters,
                        final Supplier<String> state, final Executor executor, final Duration drainWait,
                        final Duration commandWait, final boolean publicReads,
                        final java.util.function.Function<String, java.util.Map<String, String>> agentDetails)
    {
        this.agentDetails = agentDetails;
        this.publicReads = publicReads;
        this.dispatcher = dispatcher;
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.adapters = adapters;
        this.state = state;
        this.executor = executor;
        this.drainWait = drainWait;
        this.commandWait = commandWait;
    }

    private static String readDashboard()
    {
        try (var in = AdminHandler.class.getResourceAsStream("/dev/ringmaster/admin/dashboard.html"))
        {
            if (in == null)
            {
                throw new IllegalStateException("dashboard.html is missing from the admin jar; rebuild it");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (final IOException e)
        {
            throw new java.io.UncheckedIOException("cannot read the dashboard from the admin jar", e);
        }
    }

    /** @return requests received and not yet answered; any thread. */
    public int openExchanges()
    {
        return open.get();
    }

    @Override
    public void handle(final HttpExchange exchange)
    {
        open.incrementAndGet();
        try
        {
            route(exchange);
        }
        catch (final ApiException e)
        {
            respond(exchange, e.status(), Views.error(e.getMessage(), e.fix()));
        }
        catch (final RuntimeException | LinkageError e)
        {
            // a LinkageError too (e.g. the jar replaced under a running server): answer it rather than let the pool
            // thread die with the exchange left open and the client waiting for its timeout
            LOG.warn("admin request {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
            respond(exchange, 500, Views.error("internal error: " + e, "see the server's log; the dispatcher is unaffected"));
        }
    }

    /** @return {@code handler} behind this server's token check, answering 401 in JSON without it. */
    public HttpHandler authorized(final HttpHandler handler)
    {
        return x ->
        {
            try
            {
                authorize(x);
            }
            catch (final ApiException e)
            {
                open.incrementAndGet();
                respond(x, e.status(), Views.error(e.getMessage(), e.fix()));
                return;
            }
            handler.handle(x);
        };
    }

    private void route(final HttpExchange x)
    {
        final String method = x.getRequestMethod();
        final List<String> path = Requests.segments(x.getRequestURI().getRawPath());
        if (path.isEmpty() && ("GET".equals(method) || "HEAD".equals(method)) && wantsHtml(x))
        {
            dashboard(x); // static: it holds no data, and asks for the token before it reads any
            return;
        }
        if (!publicReads)
        {
            authorize(x); // reads too: what the fleet runs and for whom is nobody else's business
        }
        final String first = path.isEmpty() ? "" : path.get(0);
        switch (path.size() + ":" + first)
        {
            case "0:" -> allow(x, "GET").respond(x, 200, index());
            case "1:status" -> allow(x, "GET").respond(x, 200, Views.status(dispatcher, state.get()));
            case "1:queue-depth" -> allow(x, "GET").respond(x, 200, Views.queueDepth(dispatcher));
            case "1:distribution" -> allow(x, "GET").respond(x, 200, Views.distribution(dispatcher));
            case "1:dead-letters" -> allow(x, "GET").respond(x, 200,
                Views.deadLetters(dispatcher, Requests.intParam(x, "limit", DEFAULT_DEAD_LETTERS)));
            case "1:types" -> allow(x, "GET").respond(x, 200, types());
            case "1:agents" ->
            {
                allow(x, "GET", "POST");
                if ("POST".equals(method))
                {
                    addAgent(x);
                }
                else
                {
                    respond(x, 200, Views.agents(dispatcher, draining.keySet(), agentDetails));
                }
            }
            case "2:agents" ->
            {
                allow(x, "DELETE").authorize(x);
                drain(x, path.get(1));
            }
            case "3:agents" ->
            {
                Requests.expect(path.get(2), "drain", "/agents/{id}/drain");
                allow(x, "POST").authorize(x);
                drain(x, path.get(1));
            }
            case "3:types" ->
            {
                final String verb = path.get(2);
                if (!verb.equals("pause") && !verb.equals("resume"))
                {
                    throw Requests.notFound(x);
                }
                allow(x, "POST").authorize(x);
                pause(x, path.get(1), verb.equals("pause"));
            }
            case "3:tasks" ->
            {
                Requests.expect(path.get(2), "priority", "/tasks/{id}/priority");
                allow(x, "POST").authorize(x);
                reprioritize(x, path.get(1));
            }
            default -> throw Requests.notFound(x);
        }
    }

    // ---------------------------------------------------------------- fleet changes

    private void pause(final HttpExchange x, final String type, final boolean pause)
    {
        final CompletableFuture<Integer> change = pause ? dispatcher.pauseType(type) : dispatcher.resumeType(type);
        reply(x, change, commandWait, waiting ->
        {
            final ObjectNode o = Views.object();
            o.put("type", type);
            o.put("paused", pause);
            o.put("waiting", waiting);
            return new Reply(200, o);
        });
    }

    private void drain(final HttpExchange x, final String agentId)
    {
        final Duration wait = Duration.ofMillis(Math.round(1000 * Requests.doubleParam(x, "wait", drainWait.toMillis() / 1000.0)));
        final CompletableFuture<AgentView> removal = dispatcher.removeAgent(agentId);
        // only the first removal marks the agent: a second one fails ("already being removed") and must not unmark it
        draining.putIfAbsent(agentId, removal);
        removal.whenCompleteAsync((agent, error) -> draining.remove(agentId, removal), executor);
        final CompletableFuture<AgentView> bounded = removal.copy().completeOnTimeout(null, wait.toNanos(), TimeUnit.NANOSECONDS);
        bounded.whenCompleteAsync((agent, error) ->
        {
            if (error != null)
            {
                respond(x, error);
                return;
            }
            final ObjectNode o = Views.object();
            o.put("agent", agentId);
            if (agent != null)
            {
                o.put("removed", true);
                o.put("note", "agent '" + agentId + "' finished what it held and left the fleet");
                respond(x, 200, o);
            }
            else
            {
                o.put("removed", false);
                o.put("note", "agent '" + agentId + "' is draining: it gets no new tasks, its inbox went back to the " +
                    "queues, and it leaves once its running tasks finish; GET /agents shows it as draining until then");
                respond(x, 202, o);
            }
        }, executor);
    }

    private void addAgent(final HttpExchange x)
    {
        authorize(x);
        if (adapters == null)
        {
            throw new ApiException(501, "this server cannot create agents: its embedder gave it no AdapterSupplier",
                "start the admin server with AdminServer.builder(d).adapters(spec -> adapter)");
        }
        final com.fasterxml.jackson.databind.JsonNode body = Requests.body(x);
        final AgentSpec spec = Requests.spec(body);
        if (!dispatcher.types().containsKey(spec.type()) && !body.path("new_type").asBoolean(false))
        {
            // a typo in the type would silently start a new, empty pool that no task ever reaches
            throw new ApiException(404, "unknown agent type '" + spec.type() + "'; known types: " +
                dispatcher.types().keySet(), "use a known type, or send \"new_type\": true to start a new one on purpose");
        }
        final AgentAdapter adapter;
        try
        {
            adapter = adapters.create(spec);
        }
        catch (final IllegalArgumentException e)
        {
            throw new ApiException(400, e.getMessage(), "describe an agent this server knows how to create");
        }
        if (adapter == null)
        {
            throw new ApiException(400, "no adapter for agent '" + spec.id() + "' of type '" + spec.type() + "'",
                "describe an agent this server knows how to create");
        }
        reply(x, dispatcher.addAgent(spec, adapter), commandWait, view -> new Reply(201, Views.agent(view)));
    }

    private void reprioritize(final HttpExchange x, final String rawId)
    {
        final long taskId;
        try
        {
            taskId = Long.parseLong(rawId);
        }
        catch (final NumberFormatException e)
        {
            throw new ApiException(400, "task id '" + rawId + "' is not a whole number", "use the numeric id of a waiting task");
        }
        final JsonNode body = Requests.body(x);
        final JsonNode p = body.get("priority");
        if (p == null || !p.isTextual())
        {
            throw new ApiException(400, "the body needs a \"priority\" string", "send {\"priority\":\"CRITICAL\"} (or HIGH, MEDIUM, LOW)");
        }
        final Priority priority = Requests.priority(p.asText());
        reply(x, dispatcher.reprioritize(taskId, priority), commandWait, outcome ->
        {
            final ObjectNode o = Views.reprioritized(taskId, priority, outcome);
            if (outcome == ReprioritizeOutcome.MOVED)
            {
                return new Reply(200, o);
            }
            o.put("error", "task " + taskId + " was not moved: " + outcome.reason());
            o.put("fix", outcome == ReprioritizeOutcome.NOT_FOUND ? "check the id; GET /dead-letters lists failed tasks" :
                outcome == ReprioritizeOutcome.QUEUE_FULL ? "retry once the queue has room" :
                "nothing to do: the task is already with an agent");
            return new Reply(outcome == ReprioritizeOutcome.NOT_FOUND ? 404 : 409, o);
        });
    }

    /** A response computed from a fleet change's result. */
    private record Reply(int status, ObjectNode body)
    {
    }

    private <T> void reply(final HttpExchange x, final CompletableFuture<T> change, final Duration wait,
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
            catch (final RuntimeException | LinkageError e)
            {
                LOG.warn("admin reply failed", e);
                respond(x, 500, Views.error("internal error: " + e, "see the server's log"));
            }
        }, executor);
    }

    /**
     * Maps a failed fleet change to a status. The dispatcher reports an unknown agent or type and a duplicate id as
     * {@link IllegalArgumentException}s and a removal already under way or a stopped dispatcher as
     * {@link IllegalStateException}s; only the message tells the first kinds apart.
     */
    private void respond(final HttpExchange x, final Throwable failure)
    {
        Throwable e = failure;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null)
        {
            e = e.getCause();
        }
        final String message = String.valueOf(e.getMessage());
        if (e instanceof IllegalArgumentException)
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

    // ---------------------------------------------------------------- request parts

    private AdminHandler allow(final HttpExchange x, final String... methods)
    {
        final String method = x.getRequestMethod();
        for (final String m : methods)
        {
            if (m.equals(method) || ("HEAD".equals(method) && "GET".equals(m)))
            {
                return this;
            }
        }
        final String allowed = String.join(", ", methods);
        x.getResponseHeaders().set("Allow", allowed);
        throw new ApiException(405, method + " is not allowed on " + x.getRequestURI().getPath(), "use " + allowed);
    }

    /** Compares in constant time, so the response time does not reveal how much of a guessed token was right. */
    private void authorize(final HttpExchange x)
    {
        final String header = x.getRequestHeaders().getFirst("Authorization");
        final byte[] presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ?
            header.substring(7).trim().getBytes(StandardCharsets.UTF_8) : new byte[0];
        if (!MessageDigest.isEqual(presented, token))
        {
            x.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"ringmaster-admin\"");
            throw new ApiException(401, header == null ? "this call needs the admin token" :
                "the admin token was refused", "send 'Authorization: Bearer <token>' with the token the server was started with");
        }
    }

    private ObjectNode types()
    {
        final ObjectNode o = Views.object();
        dispatcher.types().forEach((type, paused) -> o.putObject(type).put("paused", paused));
        return o;
    }

    /** The page, unless the client asks for JSON (the CLI sends Accept: application/json): then the route index. */
    private static boolean wantsHtml(final HttpExchange x)
    {
        final String accept = x.getRequestHeaders().getFirst("Accept");
        return accept == null || !accept.contains("application/json") || accept.contains("text/html");
    }

    private void dashboard(final HttpExchange x)
    {
        open.decrementAndGet();
        try (x)
        {
            // everything the page needs is in it; the policy keeps it from loading or sending anything elsewhere
            x.getResponseHeaders().set("Content-Security-Policy", "default-src 'none'; script-src 'unsafe-inline'; " +
                "style-src 'unsafe-inline'; connect-src 'self'; form-action 'none'; frame-ancestors 'none'");
            x.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            Responses.send(x, 200, "text/html; charset=utf-8", DASHBOARD);
        }
    }

    private static ObjectNode index()
    {
        final ObjectNode o = Views.object();
        o.put("service", "ringmaster admin");
        final var routes = o.putArray("routes");
        for (final String r : List.of("GET /status", "GET /queue-depth", "GET /agents", "GET /distribution",
            "GET /dead-letters?limit=N", "GET /types", "POST /types/{type}/pause", "POST /types/{type}/resume",
            "POST /agents/{id}/drain?wait=SECONDS", "DELETE /agents/{id}", "POST /agents", "POST /tasks/{id}/priority",
            "GET /health", "GET /ready", "GET /metrics"))
        {
            routes.add(r);
        }
        o.put("auth", "every route but /health and /ready needs 'Authorization: Bearer <token>' (GET not, if the " +
            "server was started with public reads)");
        return o;
    }

    // ---------------------------------------------------------------- responses

    private void respond(final HttpExchange x, final int status, final ObjectNode body)
    {
        open.decrementAndGet();
        try (x)
        {
            Responses.json(x, status, body);
        }
    }
}
