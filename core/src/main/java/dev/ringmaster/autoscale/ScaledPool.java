package dev.ringmaster.autoscale;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.AgentFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;

/**
 * One type the {@link Autoscaler} scales: its policy, factory, decision state and the agents it is adding or removing;
 * confined to the evaluating thread (whoever holds the autoscaler's evaluation flag).
 */
final class ScaledPool
{
    private static final Logger LOG = LoggerFactory.getLogger(Autoscaler.class);

    final String type;
    final ScalingPolicy policy;
    final AgentFactory factory;
    final Map<String, Tracked> tracked = new LinkedHashMap<>();
    final List<Outcome> outcomes = new ArrayList<>();
    ScalingState state = ScalingState.initial();
    long sequence;

    ScaledPool(final String type, final ScalingPolicy policy, final AgentFactory factory)
    {
        this.type = type;
        this.policy = policy;
        this.factory = factory;
    }

    /** Applies the outcomes of earlier additions and removals; returns them for the history. */
    List<Settled> applyOutcomes(final Set<String> present)
    {
        final List<Settled> settled = new ArrayList<>();
        for (final Outcome outcome : outcomes)
        {
            final Tracked agent = tracked.get(outcome.id());
            if (agent == null)
            {
                continue;
            }
            if (outcome.added())
            {
                if (outcome.error() == null)
                {
                    agent.status = Observation.Status.ACTIVE;
                    settled.add(new Settled(ScalingEvent.Kind.ADDED, outcome.id(), "the dispatcher routes to it"));
                }
                else
                {
                    tracked.remove(outcome.id());
                    release(agent);
                    settled.add(new Settled(ScalingEvent.Kind.ADD_FAILED, outcome.id(), message(outcome.error())));
                }
            }
            else if (outcome.error() == null)
            {
                tracked.remove(outcome.id());
                release(agent);
                settled.add(new Settled(ScalingEvent.Kind.REMOVED, outcome.id(),
                    "drained: it finished its last task and left"));
            }
            else
            {
                // refused (unknown agent, already being removed by someone else, dispatcher stopped)
                if (present.contains(outcome.id()) && agent.ours)
                {
                    agent.status = Observation.Status.ACTIVE;
                }
                else
                {
                    tracked.remove(outcome.id());
                    if (!present.contains(outcome.id()))
                    {
                        release(agent);
                    }
                }
                settled.add(new Settled(ScalingEvent.Kind.REMOVE_FAILED, outcome.id(), message(outcome.error())));
            }
        }
        outcomes.clear();
        return settled;
    }

    void release(final Tracked agent)
    {
        if (agent.spec == null)
        {
            return; // a registered agent: the embedder made it and releases it
        }
        try
        {
            factory.release(agent.spec, agent.adapter);
        }
        catch (final Throwable e) // checked ones too, undeclared, from a factory in another JVM language
        {
            LOG.warn("factory of type '{}' failed to release agent '{}'", type, agent.id, e);
        }
    }

    static String message(final Throwable error)
    {
        Throwable cause = error;
        while (cause instanceof CompletionException && cause.getCause() != null)
        {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    /** An agent the autoscaler added, or a registered one it is removing; confined to the evaluating thread. */
    static final class Tracked
    {
        final String id;
        final AgentSpec spec;
        final AgentAdapter adapter;
        final boolean ours;
        Observation.Status status;

        Tracked(final String id, final AgentSpec spec, final AgentAdapter adapter, final boolean ours,
                final Observation.Status status)
        {
            this.id = id;
            this.spec = spec;
            this.adapter = adapter;
            this.ours = ours;
            this.status = status;
        }
    }

    /** An outcome as it goes into the history. */
    record Settled(ScalingEvent.Kind kind, String id, String detail)
    {
    }

    /** The end of an addition or a removal, handed from whichever thread completed it to the next evaluation. */
    record Outcome(ScaledPool pool, String id, boolean added, Throwable error)
    {
    }
}
