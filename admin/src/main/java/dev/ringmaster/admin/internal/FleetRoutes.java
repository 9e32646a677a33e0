package dev.ringmaster.admin.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.ringmaster.admin.AdapterSupplier;
import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.dispatch.ReprioritizeOutcome;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Priority;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.AgentView;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The fleet changes of the endpoint: pause and resume a type, drain an agent, add one, scale a type, re-prioritize a
 * waiting task. Thread-safe: called on the server's threads after routing and authorization, each answer written by
 * {@link Replies} once the dispatcher applied the change.
 */
final class FleetRoutes
{
    private final Dispatcher dispatcher;
    private final AdapterSupplier adapters;
    private final Replies replies;
    private final Duration drainWait;
    /** Agents whose removal this server started and that still hold work; for the "draining" flag of GET /agents. */
    private final Map<String, CompletableFuture<AgentView>> draining = new ConcurrentHashMap<>();
    private final Scaling scaling;

    FleetRoutes(final Dispatcher dispatcher, final AdapterSupplier adapters, final Replies replies,
                final Duration drainWait)
    {
        this.dispatcher = dispatcher;
        this.adapters = adapters;
        this.replies = replies;
        this.drainWait = drainWait;
        this.scaling = new Scaling(dispatcher, this::startRemoval, replies.executor);
    }

    Set<String> draining()
    {
        return draining.keySet();
    }

    void pause(final HttpExchange x, final String type, final boolean pause)
    {
        // read before the change, so the answer can say a second pause (or a resume of a running type) changed
        // nothing; two changes racing may both claim the change, which only costs the wording
        final boolean wasPaused = Boolean.TRUE.equals(dispatcher.types().get(type));
        final CompletableFuture<Integer> change = pause ? dispatcher.pauseType(type) : dispatcher.resumeType(type);
        replies.reply(x, change, replies.commandWait, waiting ->
        {
            final ObjectNode o = Views.object();
            o.put("type", type);
            o.put("paused", pause);
            o.put("was_paused", wasPaused);
            o.put("changed", wasPaused != pause);
            o.put("waiting", waiting);
            if (!pause)
            {
                warnIfStranded(o, type);
            }
            return new Replies.Reply(200, o);
        });
    }

    /**
     * Adds a {@code warning} when no agent of the type can take a task while some wait: the change was done, but those
     * tasks wait for an agent nobody may be about to add (a trial drained the last researcher with three queued, and
     * heard of them only at shutdown).
     */
    private void warnIfStranded(final ObjectNode o, final String type)
    {
        for (final AgentView a : dispatcher.agents())
        {
            if (a.spec().type().equals(type) && !a.draining() && !a.ejected())
            {
                return;
            }
        }
        final Map<Priority, Long> depth = dispatcher.queueDepthByType().get(type);
        final long waiting = depth == null ? 0 : Views.total(depth);
        if (waiting > 0)
        {
            o.put("warning", "type '" + type + "' has no agent that can take a task now: its " + waiting + " waiting " +
                "task(s) wait until one is added (ringmaster admin add-agent --type " + type +
                (dispatcher.agentFactories().containsKey(type) ? ", or admin scale --type " + type + " --agents N" : "") +
                "), or until their time to live runs out");
        }
    }

    /** Starts a graceful removal, marked as draining until the agent left. */
    private CompletableFuture<AgentView> startRemoval(final String agentId)
    {
        final CompletableFuture<AgentView> removal = dispatcher.removeAgent(agentId);
        // only the first removal marks the agent: a second one fails ("already being removed") and must not unmark it
        draining.putIfAbsent(agentId, removal);
        removal.whenCompleteAsync((agent, error) -> draining.remove(agentId, removal), replies.executor);
        return removal;
    }

    void drain(final HttpExchange x, final String agentId)
    {
        final Duration wait = Duration.ofMillis(Math.round(1000 * Requests.doubleParam(x, "wait", drainWait.toMillis() / 1000.0)));
        final String type = dispatcher.agents().stream().filter(a -> a.id().equals(agentId)).map(a -> a.spec().type())
            .findFirst().orElse(null);
        final CompletableFuture<AgentView> bounded = startRemoval(agentId).copy()
            .completeOnTimeout(null, wait.toNanos(), TimeUnit.NANOSECONDS);
        bounded.whenCompleteAsync((agent, error) ->
        {
            if (error != null)
            {
                replies.respond(x, error);
                return;
            }
            final ObjectNode o = Views.object();
            o.put("agent", agentId);
            if (type != null)
            {
                warnIfStranded(o, type);
            }
            if (agent != null)
            {
                o.put("removed", true);
                o.put("note", "agent '" + agentId + "' finished what it held and left the fleet");
                replies.respond(x, 200, o);
            }
            else
            {
                o.put("removed", false);
                o.put("note", "agent '" + agentId + "' is draining: it gets no new tasks, its inbox went back to the " +
                    "queues, and it leaves once its running tasks finish; GET /agents shows it as draining until then");
                replies.respond(x, 202, o);
            }
        }, replies.executor);
    }

    void addAgent(final HttpExchange x)
    {
        if (adapters == null)
        {
            throw new ApiException(501, "this server cannot create agents: its embedder gave it no AdapterSupplier",
                "start the admin server with AdminServer.builder(d).adapters(spec -> adapter)");
        }
        final JsonNode body = Requests.body(x, "{\"id\":\"coder-3\",\"type\":\"coder\",\"capacity\":2}");
        final AgentSpec spec = Requests.spec(body);
        // a type with a factory is declared (serve's "agents: 0", waiting to be scaled), even before its first agent
        final java.util.Set<String> known = new java.util.TreeSet<>(dispatcher.types().keySet());
        known.addAll(dispatcher.agentFactories().keySet());
        if (!known.contains(spec.type()) && !body.path("new_type").asBoolean(false))
        {
            // a typo in the type would silently start a new, empty pool that no task ever reaches
            throw new ApiException(404, "unknown agent type '" + spec.type() + "'; known types: " + known,
                "use a known type, or send \"new_type\": true (ringmaster admin add-agent --new-type) to start a new " +
                "one on purpose");
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
        replies.reply(x, dispatcher.addAgent(spec, adapter), replies.commandWait,
            view -> new Replies.Reply(201, Views.agent(view)));
    }

    void scale(final HttpExchange x, final String type)
    {
        final JsonNode body = Requests.body(x, "{\"agents\":4}");
        Requests.onlyFields(body, "agents");
        final JsonNode n = body.get("agents");
        if (n == null || !n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < 0 || n.asInt() > Scaling.MAX_AGENTS)
        {
            throw new ApiException(400, "the body needs \"agents\": a whole number in [0, " + Scaling.MAX_AGENTS + "]" +
                (n == null ? "" : ", got " + n), "send e.g. {\"agents\": 6} to run 6 agents of type '" + type + "'");
        }
        replies.reply(x, scaling.scaleTo(type, n.asInt()), replies.commandWait, o ->
        {
            warnIfStranded(o, type);
            return new Replies.Reply(200, o);
        });
    }

    void reprioritize(final HttpExchange x, final String rawId)
    {
        final long taskId = Requests.taskId(rawId);
        final JsonNode body = Requests.body(x, "{\"priority\":\"HIGH\"}");
        final JsonNode p = body.get("priority");
        if (p == null || !p.isTextual())
        {
            throw new ApiException(400, "the body needs a \"priority\" string", "send {\"priority\":\"CRITICAL\"} (or HIGH, MEDIUM, LOW)");
        }
        final Priority priority = Requests.priority(p.asText());
        replies.reply(x, dispatcher.reprioritize(taskId, priority), replies.commandWait, outcome ->
        {
            final ObjectNode o = Views.reprioritized(taskId, priority, outcome);
            if (outcome == ReprioritizeOutcome.MOVED)
            {
                return new Replies.Reply(200, o);
            }
            o.put("error", "task " + taskId + " was not moved: " + outcome.reason());
            o.put("fix", outcome == ReprioritizeOutcome.NOT_FOUND ? "check the id; GET /dead-letters lists failed tasks" :
                outcome == ReprioritizeOutcome.QUEUE_FULL ? "retry once the queue has room" :
                "nothing to do: the task is already with an agent");
            return new Replies.Reply(outcome == ReprioritizeOutcome.NOT_FOUND ? 404 : 409, o);
        });
    }
}
