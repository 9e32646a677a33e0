package dev.ringmaster.autoscale;

import dev.ringmaster.metrics.FaultLog;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Supplier;

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
    /** Crashed agents stopped and released, for the evaluation to replace under the same id. */
    final List<Tracked> replacing = new ArrayList<>();
    /**
     * Crashed agents we will not replace after all, with why: the dispatcher holds tasks addressed to them until told
     * (see {@link #giveUp}), for tasks that never get an agent would otherwise wait for ever.
     */
    final Map<String, String> givingUp = new LinkedHashMap<>();
    /** Failed releases: counted, and logged at most once per interval, so a broken factory cannot flood the log. */
    final FaultLog releaseFailures;
    ScalingState state = ScalingState.initial();
    long sequence;

    ScaledPool(final String type, final ScalingPolicy policy, final AgentFactory factory)
    {
        this.type = type;
        this.policy = policy;
        this.factory = factory;
        this.releaseFailures = new FaultLog(LOG, "factory of type '" + type + "'");
    }

    /** Applies the outcomes of earlier additions, removals and crashes; returns them for the history. */
    List<Settled> applyOutcomes(final Set<String> present)
    {
        final List<Settled> settled = new ArrayList<>();
        for (final Outcome outcome : outcomes)
        {
            final Tracked agent = outcome.agent();
            // by identity: an outcome of a crashed agent must not touch its replacement, tracked under the same id
            if (tracked.get(agent.id) != agent)
            {
                continue;
            }
            switch (outcome.step())
            {
                case ADD ->
                {
                    if (outcome.error() == null)
                    {
                        if (!agent.crashed) // a crash may overtake the news of its addition
                        {
                            agent.status = Observation.Status.ACTIVE;
                        }
                        settled.add(new Settled(ScalingEvent.Kind.ADDED, agent.id, "the dispatcher routes to it"));
                    }
                    else
                    {
                        tracked.remove(agent.id);
                        release(agent);
                        settled.add(new Settled(ScalingEvent.Kind.ADD_FAILED, agent.id, message(outcome.error())));
                        if (agent.replacement)
                        {
                            givingUp.put(agent.id, "its replacement could not be added: " + message(outcome.error()));
                        }
                    }
                }
                case REMOVE -> removed(agent, outcome.error(), present, settled);
                case CRASH -> settled.add(crashed(agent, outcome.reason()));
                case STOPPED ->
                {
                    if (agent.crashed)
                    {
                        // release(old) before create(new): a factory with one process per agent never holds two
                        tracked.remove(agent.id);
                        release(agent);
                        if (agent.status != Observation.Status.DRAINING)
                        {
                            replacing.add(agent);
                        }
                    }
                }
            }
        }
        outcomes.clear();
        return settled;
    }

    private void removed(final Tracked agent, final Throwable error, final Set<String> present, final List<Settled> settled)
    {
        if (error == null)
        {
            tracked.remove(agent.id);
            release(agent);
            settled.add(new Settled(ScalingEvent.Kind.REMOVED, agent.id, "drained: it finished its last task and left"));
            return;
        }
        // refused (unknown agent, already being removed by someone else, dispatcher stopped)
        if (agent.crashed)
        {
            // it crashed before the removal reached the dispatcher: released once the dispatcher has stopped it
        }
        else if (present.contains(agent.id) && agent.ours)
        {
            agent.status = Observation.Status.ACTIVE;
        }
        else
        {
            tracked.remove(agent.id);
            if (!present.contains(agent.id))
            {
                release(agent);
            }
        }
        settled.add(new Settled(ScalingEvent.Kind.REMOVE_FAILED, agent.id, message(error)));
    }

    /**
     * An agent we added crashed and the dispatcher, under supervision, left its replacement to us: it counts as
     * starting until its stopped adapter is released and a new one made (not when it was leaving anyway).
     */
    Settled crashed(final Tracked agent, final String reason)
    {
        agent.crashed = true;
        if (agent.status == Observation.Status.DRAINING)
        {
            givingUp.put(agent.id, "it crashed while the autoscaler was removing it");
            return new Settled(ScalingEvent.Kind.CRASHED, agent.id, "crashed (" + reason + ")" +
                "; it was being removed: released once stopped, not replaced");
        }
        agent.status = Observation.Status.STARTING;
        return new Settled(ScalingEvent.Kind.CRASHED, agent.id, "crashed (" + reason + ")" +
            "; released once stopped, then replaced under the same id");
    }

    /**
     * Takes the news of the agent's crash out of outcomes not yet applied, and applies it; for an agent missing from
     * the dispatcher, whose crash may have been told after this evaluation's outcomes were collected.
     *
     * @return what to record, or null if there is no such news: the agent was removed by someone else.
     */
    Settled crashNoticed(final Tracked agent)
    {
        for (int i = 0; i < outcomes.size(); i++)
        {
            final Outcome outcome = outcomes.get(i);
            if (outcome.agent() == agent && outcome.step() == Step.CRASH)
            {
                outcomes.remove(i);
                return crashed(agent, outcome.reason());
            }
        }
        return null;
    }

    /**
     * Makes a new adapter for each crashed agent that was stopped and released, under its id and spec, and has
     * {@code join} add it; a factory that fails leaves the pool one short, which the decider grows again by the policy.
     */
    void replaceCrashed(final List<Settled> settled, final long now, final Consumer<Tracked> join)
    {
        for (final Tracked crashed : replacing)
        {
            try
            {
                final Tracked replacement = new Tracked(crashed.id, crashed.spec, factory.create(crashed.spec), true,
                    Observation.Status.STARTING);
                replacement.replacement = true;
                tracked.put(crashed.id, replacement);
                join.accept(replacement);
            }
            catch (final Throwable e) // Errors too: a plugin's NoClassDefFoundError is a failed replacement
            {
                state = state.withAddFailed(now); // retried by the decider after the scale-up cooldown, not per tick
                log(false, "could not replace crashed agent '" + crashed.id + "' of type '" + type + "'", e);
                settled.add(new Settled(ScalingEvent.Kind.ADD_FAILED, crashed.id,
                    "its replacement after a crash: " + message(e)));
                givingUp.put(crashed.id, "its factory could not make a replacement: " + message(e));
            }
        }
        replacing.clear();
    }

    /** Closed: crashed agents stopped and released are not replaced; the fleet stops holding tasks for them. */
    void replaceNone(final ScalableFleet fleet)
    {
        for (final Tracked crashed : replacing)
        {
            givingUp.put(crashed.id, "the autoscaler was closed before it replaced it");
        }
        replacing.clear();
        giveUp(fleet);
    }

    /** Tells the fleet of the crashed agents we gave up; a fleet that throws is logged, as is one that fails later. */
    void giveUp(final ScalableFleet fleet)
    {
        for (final Map.Entry<String, String> entry : givingUp.entrySet())
        {
            submit(() -> fleet.giveUpReplacement(entry.getKey(), entry.getValue())).whenComplete((ignored, error) ->
            {
                if (error != null) // on the router maybe: logging only
                {
                    log(false, "could not tell the fleet to stop holding tasks for crashed agent '" +
                        entry.getKey() + "'", error);
                }
            });
        }
        givingUp.clear();
    }

    /**
     * Warns of a type the fleet refuses tasks of: with a minimum of 0 and no agent yet, the autoscaler would never see
     * its demand and never add one (a user's trial held at 0 agents for good).
     */
    static void warnIfUnknown(final ScalableFleet fleet, final String type, final ScalingPolicy policy)
    {
        if (!fleet.knowsType(type))
        {
            LOG.warn("autoscaler: the dispatcher knows no agent type '{}' yet, so it refuses its tasks " +
                "(UNKNOWN_AGENT_TYPE) and no demand for it shows{}; register the factory with " +
                "Dispatcher.builder().agentFactory(...) as well", type, policy.min() == 0 ?
                ": with a minimum of 0 no agent is ever added" : " until the minimum's agents are added");
        }
    }

    /**
     * Releases every agent we added and forgets every agent: the fleet stopped for good. Outcomes still to come (an
     * addition the shutdown refused) then find no agent, by identity, so none is released twice.
     *
     * @return the agents released.
     */
    int releaseAll()
    {
        int released = 0;
        for (final Tracked agent : tracked.values())
        {
            if (agent.spec != null)
            {
                release(agent);
                released++;
            }
        }
        tracked.clear();
        return released;
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
        catch (final Throwable e) // Errors and checked ones too, undeclared, from a factory in another JVM language
        {
            releaseFailures.report("failed to release agent '" + agent.id + "'; the autoscaler goes on without it", e);
        }
    }

    static String message(final Throwable error)
    {
        Throwable cause = error;
        while (cause instanceof CompletionException && cause.getCause() != null)
        {
            cause = cause.getCause();
        }
        try
        {
            return cause.getClass().getSimpleName() + ": " + cause.getMessage();
        }
        catch (final Throwable unreadable)
        {
            return FaultLog.describe(cause); // a message built lazily that throws: the history still gets a line
        }
    }

    /**
     * Logs a factory's or a fleet's failure, at warn or error level, without throwing even when the failure cannot be
     * printed (its message throws): thrown from a catch, it would end the scheduled evaluations for good.
     */
    static void log(final boolean error, final String what, final Throwable failure)
    {
        try
        {
            if (error)
            {
                LOG.error("{}", what, failure);
            }
            else
            {
                LOG.warn("{}", what, failure);
            }
        }
        catch (final Throwable unprintable)
        {
            LOG.warn("{}: {}", what, FaultLog.describe(failure));
        }
    }

    /** @return the call's future, or a failed one if the call threw instead. */
    static CompletableFuture<?> submit(final Supplier<CompletableFuture<?>> call)
    {
        try
        {
            return call.get();
        }
        catch (final Throwable e)
        {
            // a custom fleet's Error, or a checked exception thrown undeclared from another JVM language, fails this
            // call like any other: thrown on, it would leave a phantom STARTING or DRAINING agent and skip the other
            // types this evaluation
            return CompletableFuture.failedFuture(e);
        }
    }

    /** An agent the autoscaler added, or a registered one it is removing; confined to the evaluating thread. */
    static final class Tracked
    {
        final String id;
        final AgentSpec spec;
        final AgentAdapter adapter;
        final boolean ours;
        Observation.Status status;
        /** Set once the dispatcher told us it crashed: it is replaced, or released, once its adapter is stopped. */
        boolean crashed;
        /** A crashed agent's replacement: if it cannot be added, the dispatcher must stop holding tasks for it. */
        boolean replacement;

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

    /**
     * The end of an addition or a removal, or a crash and the stop of the crashed adapter, handed from whichever thread
     * saw it to the next evaluation: what failed, if anything, and for a crash why the dispatcher says it crashed.
     */
    record Outcome(ScaledPool pool, Tracked agent, Step step, Throwable error, String reason)
    {
        Outcome(final ScaledPool pool, final Tracked agent, final Step step, final Throwable error)
        {
            this(pool, agent, step, error, null);
        }
    }

    /** What an outcome reports. */
    enum Step
    {
        ADD, REMOVE, CRASH, STOPPED
    }
}
