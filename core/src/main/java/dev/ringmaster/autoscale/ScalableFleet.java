package dev.ringmaster.autoscale;

import dev.ringmaster.dispatch.CrashHandler;
import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.dispatch.DispatcherState;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Priority;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.AgentView;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The part of a dispatcher that the {@link Autoscaler} samples and changes; called from the autoscaler's evaluation
 * thread, while the futures it returns may complete on any thread (a dispatcher completes them on its router).
 */
public interface ScalableFleet
{
    /** @return the agents of a type now, with their load; agents being removed stay until they hold nothing. */
    List<AgentSample> agents(String type);

    /** @return tasks of the type waiting centrally, not yet given to an agent. */
    long queueDepth(String type);

    /** @return true if routing to the type is paused. */
    boolean paused(String type);

    /**
     * @return the type's mean time per task in seconds, over its agents that have returned enough results to say
     *     ({@link AgentView#expectedLatencyNanos()}); NaN if none has (the default), so a predicted arrival rate cannot
     *     yet be turned into slots.
     */
    default double secondsPerTask(final String type)
    {
        return Double.NaN;
    }

    /** Adds an agent; the future completes once tasks may be routed to it, or fails. */
    CompletableFuture<?> add(AgentSpec spec, AgentAdapter adapter);

    /**
     * Adds an agent whose crash the fleet tells {@code onCrash} instead of restarting it itself, as a dispatcher under
     * supervision does, so that the autoscaler replaces it through its factory. The default ignores {@code onCrash}:
     * a crashed agent then shows only as gone from {@link #agents}, and is released as lost.
     */
    default CompletableFuture<?> add(final AgentSpec spec, final AgentAdapter adapter, final CrashHandler onCrash)
    {
        return add(spec, adapter);
    }

    /** Removes an agent gracefully; the future completes once it holds no task, or fails for an unknown agent. */
    CompletableFuture<?> remove(String agentId);

    /**
     * The autoscaler will not replace a crashed agent it was told of ({@link CrashHandler}), so the fleet need not hold
     * tasks for it any more; see {@link Dispatcher#giveUpReplacement}. The default does nothing.
     */
    default CompletableFuture<?> giveUpReplacement(final String agentId, final String reason)
    {
        return CompletableFuture.completedFuture(false);
    }

    /**
     * @return whether the fleet accepts tasks of this type now (a dispatcher has an agent or a factory of it); a task
     *     of an unknown type is refused, so its demand never shows. The default says yes.
     */
    default boolean knowsType(final String type)
    {
        return true;
    }

    /**
     * @return true once the fleet has stopped for good (a dispatcher TERMINATED): its agents will never leave it one by
     *     one, so a closed autoscaler releases the ones it added itself. The default says never.
     */
    default boolean terminated()
    {
        return false;
    }

    /**
     * @param dispatcher a running dispatcher.
     * @return the dispatcher as a fleet; each call reads its live views, so keep calls to one per type per evaluation.
     */
    static ScalableFleet of(final Dispatcher dispatcher)
    {
        Objects.requireNonNull(dispatcher, "dispatcher must not be null");
        return new ScalableFleet()
        {
            @Override
            public List<AgentSample> agents(final String type)
            {
                final List<AgentSample> samples = new ArrayList<>();
                for (final AgentView agent : dispatcher.agents())
                {
                    if (agent.spec().type().equals(type))
                    {
                        samples.add(new AgentSample(agent.id(), agent.capacity(), agent.inFlight(), agent.draining()));
                    }
                }
                return samples;
            }

            @Override
            public double secondsPerTask(final String type)
            {
                double sum = 0;
                int measured = 0;
                for (final AgentView agent : dispatcher.agents())
                {
                    if (agent.spec().type().equals(type) && agent.expectedLatencyNanos() > 0)
                    {
                        sum += agent.expectedLatencyNanos();
                        measured++;
                    }
                }
                return measured == 0 ? Double.NaN : sum / measured / 1e9;
            }

            @Override
            public long queueDepth(final String type)
            {
                final Map<Priority, Long> byPriority = dispatcher.queueDepthByType().get(type);
                long depth = 0;
                if (byPriority != null)
                {
                    for (final long d : byPriority.values())
                    {
                        depth += d;
                    }
                }
                return depth;
            }

            @Override
            public boolean paused(final String type)
            {
                return Boolean.TRUE.equals(dispatcher.types().get(type));
            }

            @Override
            public boolean knowsType(final String type)
            {
                return dispatcher.types().containsKey(type);
            }

            @Override
            public boolean terminated()
            {
                // and its adapters stopped: TERMINATED is published before the stops, which a release must follow
                return dispatcher.state() == DispatcherState.TERMINATED && dispatcher.awaitTermination(Duration.ZERO);
            }

            @Override
            public CompletableFuture<?> add(final AgentSpec spec, final AgentAdapter adapter)
            {
                return dispatcher.addAgent(spec, adapter);
            }

            @Override
            public CompletableFuture<?> add(final AgentSpec spec, final AgentAdapter adapter, final CrashHandler onCrash)
            {
                return dispatcher.addAgent(spec, adapter, onCrash);
            }

            @Override
            public CompletableFuture<?> remove(final String agentId)
            {
                return dispatcher.removeAgent(agentId);
            }

            @Override
            public CompletableFuture<?> giveUpReplacement(final String agentId, final String reason)
            {
                return dispatcher.giveUpReplacement(agentId, reason);
            }
        };
    }

    /**
     * One agent's load at sampling time; immutable.
     *
     * @param id       agent id.
     * @param capacity tasks it runs at once.
     * @param inFlight tasks it holds: running plus waiting in its inbox.
     * @param draining true while it is being removed, by anyone: it takes no new task and leaves once idle.
     */
    record AgentSample(String id, int capacity, int inFlight, boolean draining)
    {
        /** A sample of an agent that is not being removed. */
        public AgentSample(final String id, final int capacity, final int inFlight)
        {
            this(id, capacity, inFlight, false);
        }
    }
}
