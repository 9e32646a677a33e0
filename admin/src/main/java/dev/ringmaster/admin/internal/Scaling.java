package dev.ringmaster.admin.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.AgentFactory;
import dev.ringmaster.spi.AgentView;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * Scales an agent type to a number of agents through the type's {@link AgentFactory}: new agents from the factory,
 * surplus ones drained (the least loaded first), so none is dropped with work in hand. Thread-safe: a decision is
 * taken under this object's monitor (operator calls only, never the dispatch path), counting additions still on
 * their way, so that two requests at once do not overshoot.
 */
final class Scaling
{
    static final int MAX_AGENTS = 1024;

    private final Dispatcher dispatcher;
    private final Function<String, CompletableFuture<AgentView>> remove;
    /** Runs factory releases: a factory may do I/O, and the router, which completes fleet changes, must not. */
    private final Executor executor;
    /** Additions requested and not yet applied, per type. */
    private final Map<String, Set<String>> adding = new ConcurrentHashMap<>();
    /** Adapters this server made, so that their factory releases them once their agent left. */
    private final Map<String, AgentAdapter> made = new ConcurrentHashMap<>();

    Scaling(final Dispatcher dispatcher, final Function<String, CompletableFuture<AgentView>> remove,
            final Executor executor)
    {
        this.dispatcher = dispatcher;
        this.remove = remove;
        this.executor = executor;
    }

    /** @return completes with what was done once the additions took effect; drains go on after it. */
    synchronized CompletableFuture<ObjectNode> scaleTo(final String type, final int target)
    {
        final AgentFactory factory = dispatcher.agentFactories().get(type);
        if (factory == null)
        {
            if (!dispatcher.types().containsKey(type))
            {
                throw new ApiException(404, "unknown agent type '" + type + "'; known types: " +
                    dispatcher.types().keySet(), "use one of the known types; GET /types lists them");
            }
            throw new ApiException(409, "agent type '" + type + "' has no agent factory, so it cannot be scaled; " +
                "types with one: " + dispatcher.agentFactories().keySet(), "register a factory for it when building " +
                "the dispatcher (Dispatcher.builder().agentFactory(...)), or add agents one by one with POST /agents");
        }
        final Set<String> ids = new HashSet<>();
        final List<AgentView> serving = new ArrayList<>();
        for (final AgentView a : dispatcher.agents())
        {
            ids.add(a.id());
            if (a.spec().type().equals(type) && !a.draining())
            {
                serving.add(a);
            }
        }
        final Set<String> pending = adding.computeIfAbsent(type, t -> ConcurrentHashMap.newKeySet());
        ids.addAll(pending);
        final int before = serving.size() + pending.size();
        final ObjectNode o = Views.object();
        o.put("type", type);
        o.put("before", before);
        o.put("agents", target);
        final ArrayNode added = o.putArray("added");
        final ArrayNode drained = o.putArray("draining");
        final List<CompletableFuture<AgentView>> additions = new ArrayList<>();
        int next = 1;
        for (int i = before; i < target; i++)
        {
            while (ids.contains(type + "-" + next))
            {
                next++;
            }
            final String id = type + "-" + next;
            ids.add(id);
            additions.add(add(factory, type, id, pending));
            added.add(id);
        }
        // the least loaded leave first, the newest among equals: they have the least to finish
        java.util.Collections.reverse(serving); // newest first; the sort below is stable
        serving.sort(Comparator.comparingInt(AgentView::inFlight));
        for (int i = 0; i < before - target && i < serving.size(); i++)
        {
            final String id = serving.get(i).id();
            drained.add(id);
            remove.apply(id).whenCompleteAsync((agent, error) ->
            {
                final AgentAdapter adapter = made.remove(id);
                if (error == null && adapter != null)
                {
                    factory.release(agent.spec(), adapter);
                }
            }, executor);
        }
        o.put("note", drained.isEmpty() ? agents(added.size()) + " added" : agents(drained.size()) + " draining: " +
            "they get no new tasks and leave once their running tasks finish");
        return CompletableFuture.allOf(additions.toArray(new CompletableFuture<?>[0])).thenApply(done -> o);
    }

    private CompletableFuture<AgentView> add(final AgentFactory factory, final String type, final String id,
                                             final Set<String> pending)
    {
        final AgentSpec spec;
        final AgentAdapter adapter;
        try
        {
            spec = factory.spec(id);
            adapter = factory.create(spec);
        }
        catch (final Exception | Error e)
        {
            // a plugin's factory may throw anything, an Error included; it is the request's answer, not the pool's
            throw new ApiException(502, "the agent factory of type '" + type + "' could not make agent '" + id + "': " + e,
                "check the factory's settings and the service behind it, then scale again");
        }
        pending.add(id);
        made.put(id, adapter);
        return dispatcher.addAgent(spec, adapter).whenCompleteAsync((view, error) ->
        {
            pending.remove(id);
            if (error != null)
            {
                made.remove(id);
                factory.release(spec, adapter);
            }
        }, executor);
    }

    /** "1 agent", "2 agents": a note must not read "1 agents". */
    private static String agents(final int n)
    {
        return n + (n == 1 ? " agent" : " agents");
    }
}
