package dev.ringmaster.remote.internal;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.model.AgentSpec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What adding one host session's agents came to: the ids added, why the others were not (null if none), and whether
 * every such cause passes (so the host waits instead of being refused); immutable, made on the dispatcher's threads
 * and applied by the poller ({@link LinkTable}).
 */
record Admission(HostLink link, List<String> added, String failure, boolean passing)
{
    /**
     * Adds every agent of the session's HELLO to the dispatcher.
     *
     * @return completes, never exceptionally, once every add has come to something.
     */
    static CompletableFuture<Admission> addAgents(final Dispatcher dispatcher, final HostLink link)
    {
        final List<CompletableFuture<?>> adds = new ArrayList<>(link.agents.size());
        final List<String> added = Collections.synchronizedList(new ArrayList<>());
        final List<String> failures = Collections.synchronizedList(new ArrayList<>());
        final AtomicBoolean permanent = new AtomicBoolean();
        for (int i = 0; i < link.agents.size(); i++)
        {
            final AgentSpec spec = link.agents.get(i);
            adds.add(dispatcher.addAgent(spec, link.adapters[i]).handle((view, e) ->
            {
                if (e == null)
                {
                    added.add(spec.id());
                }
                else
                {
                    final Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                    failures.add("agent '" + spec.id() + "' was not added: " + cause.getMessage());
                    if (!AdmissionFailures.passing(cause))
                    {
                        permanent.set(true);
                    }
                }
                return null;
            }));
        }
        return CompletableFuture.allOf(adds.toArray(new CompletableFuture[0])).handle((done, e) ->
            new Admission(link, List.copyOf(added), failures.isEmpty() ? null : String.join("; ", failures),
                !permanent.get()));
    }
}
