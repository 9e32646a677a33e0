package dev.ringmaster.autoscale;

import dev.ringmaster.autoscale.ScaledPool.Outcome;
import dev.ringmaster.autoscale.ScaledPool.Settled;
import dev.ringmaster.autoscale.ScaledPool.Step;
import dev.ringmaster.autoscale.ScaledPool.Tracked;
import dev.ringmaster.dispatch.CrashHandler;
import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.AgentFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * Grows and shrinks agent pools of a running dispatcher by their {@link ScalingPolicy}; evaluations run one at a time
 * (on its scheduler, or on a caller of {@link #evaluate}), while {@link #history()} and {@link #lastDecisions()} may
 * be read from any thread.
 *
 * <p>Each evaluation samples every scaled type (agents, in flight, central queue depth, paused), asks
 * {@link ScalingDecider#decide} what to do, and does it: new agents come from the type's {@link AgentFactory} and are
 * added through the dispatcher; agents that go are removed through it, which drains them (no new tasks, inbox
 * re-routed, running tasks finish), so none is killed with work in hand.
 *
 * <p>Bookkeeping, all owned by the evaluating thread:
 * <ul>
 *   <li>an agent being added counts toward the pool (with its capacity) from the moment it is requested, so
 *       {@code max} is never passed while additions are in flight;</li>
 *   <li>an agent being removed counts as gone from the moment its removal is requested and is never chosen again;
 *       when the dispatcher reports it gone, its factory releases it;</li>
 *   <li>only agents the autoscaler added are removed, unless the policy says {@code removeRegisteredAgents};</li>
 *   <li>an added agent that crashes under the dispatcher's supervision is ours to replace (see {@link CrashHandler}):
 *       it counts as starting until its stopped adapter is released and a new one, same id, is added;</li>
 *   <li>the dispatcher completes fleet futures on its router thread, so their callbacks only enqueue an outcome, which
 *       the next evaluation applies: the router never runs autoscaler code beyond one queue offer (once closed, and
 *       starting the thread that settles it); so does a crash's news.</li>
 * </ul>
 *
 * <p>Closing stops the evaluations and leaves the fleet as it is. Additions and removals still in flight are settled
 * when they end, on a thread of the autoscaler's own, so the factory still releases every agent that leaves or could
 * not be added. An agent of ours that crashes after closing is left to the dispatcher's supervision, as any other. A
 * terminated dispatcher keeps its stopped agents and never reports them gone: the first evaluation or {@code close()}
 * after its termination releases every agent the autoscaler added, so close the autoscaler after the dispatcher's
 * {@code awaitTermination}, not only before it.
 */
public final class Autoscaler implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(Autoscaler.class);

    private final ScalableFleet fleet;
    private final Map<String, ScaledPool> pools;
    private final Duration interval;
    private final LongSupplier clock;
    private final PredictedDemand predicted;
    private final ScheduledExecutorService scheduler;
    private final boolean ownsScheduler;
    private final AtomicBoolean evaluating = new AtomicBoolean();
    private boolean releasedAtTermination; // under the evaluation flag
    private final Queue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    private final ScalingHistory history;
    private final Map<String, Decision> lastDecisions = new ConcurrentHashMap<>();
    private final AtomicReference<ScheduledFuture<?>> schedule = new AtomicReference<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    private Autoscaler(final Builder b)
    {
        this.fleet = b.fleet;
        this.pools = new LinkedHashMap<>(b.pools);
        this.interval = b.interval;
        this.clock = b.clock;
        this.predicted = new PredictedDemand(b.clock, PredictedDemand.DEFAULT_TTL_NANOS);
        this.history = new ScalingHistory(b.historyCapacity);
        this.ownsScheduler = b.scheduler == null;
        this.scheduler = ownsScheduler ? Executors.newSingleThreadScheduledExecutor(r ->
        {
            final Thread t = new Thread(r, "ringmaster-autoscaler");
            t.setDaemon(true);
            return t;
        }) : b.scheduler;
    }

    /** @return a builder for an autoscaler of this dispatcher. */
    public static Builder builder(final Dispatcher dispatcher)
    {
        return new Builder(ScalableFleet.of(dispatcher));
    }

    /** @return a builder for an autoscaler of any fleet, e.g. a simulated one. */
    public static Builder builder(final ScalableFleet fleet)
    {
        return new Builder(Objects.requireNonNull(fleet, "fleet must not be null"));
    }

    /**
     * Evaluates every {@code interval} on the scheduler, the first time one interval from now.
     *
     * @return this.
     * @throws IllegalStateException if already started or closed.
     */
    public Autoscaler start()
    {
        if (closed.get() || schedule.get() != null)
        {
            throw new IllegalStateException("an autoscaler starts once; it is " + (closed.get() ? "closed" : "running"));
        }
        final long every = interval.toNanos();
        final ScheduledFuture<?> started =
            scheduler.scheduleWithFixedDelay(this::evaluateLogged, every, every, TimeUnit.NANOSECONDS);
        if (!schedule.compareAndSet(null, started))
        {
            started.cancel(false);
            throw new IllegalStateException("an autoscaler starts once; it is running");
        }
        if (closed.get())
        {
            started.cancel(false); // closed while starting: close() may have looked before the schedule was set
        }
        return this;
    }

    /**
     * Runs one evaluation of every type now, on the calling thread.
     *
     * @return the decisions taken, one per type, in the order the types were added; empty if another evaluation was
     *     running (it is not waited for), the autoscaler is closed, or the dispatcher terminated (then the agents
     *     the autoscaler added are released).
     */
    public List<Decision> evaluate()
    {
        if (closed.get() || !evaluating.compareAndSet(false, true))
        {
            return List.of();
        }
        try
        {
            final long now = clock.getAsLong();
            drain();
            if (fleet.terminated())
            {
                releaseAtTermination();
                return List.of(); // nothing left to scale
            }
            final List<Decision> decisions = new ArrayList<>(pools.size());
            for (final ScaledPool pool : pools.values())
            {
                decisions.add(evaluate(pool, now));
            }
            return decisions;
        }
        finally
        {
            evaluating.set(false);
            if (closed.get())
            {
                settleAfterClose(); // an outcome offered during this evaluation found it running and left it to us
            }
        }
    }

    /** Hands outcomes to their pools; by whoever holds the evaluation flag. */
    private void drain()
    {
        Outcome outcome;
        while ((outcome = outcomes.poll()) != null)
        {
            outcome.pool().outcomes.add(outcome);
        }
    }

    /**
     * @return the hint to give pre-routing (the {@code CapacityHint} of {@code LivePreRouting}): the arrivals it
     *     predicts count as demand, so a pool grows ahead of a predicted burst.
     */
    public PredictedDemand capacityHint()
    {
        return predicted;
    }

    /** @return changes decided and their outcomes, oldest first, at most the history capacity of them. */
    public List<ScalingEvent> history()
    {
        return history.copy();
    }

    /** @return per type, the latest decision, holds included: why the pool is the size it is. */
    public Map<String, Decision> lastDecisions()
    {
        return Map.copyOf(lastDecisions);
    }

    /**
     * @return releases that the factories failed (they threw), over all types; each was logged, at most one line per
     *     type every few seconds, and the autoscaler went on without it. Any thread.
     */
    public long releaseFailures()
    {
        long failures = 0;
        for (final ScaledPool pool : pools.values())
        {
            failures += pool.releaseFailures.total();
        }
        return failures;
    }

    /** @return the scaled types. */
    public Set<String> types()
    {
        return pools.keySet();
    }

    /**
     * Stops evaluating (a running evaluation finishes); the agents stay, and additions and removals in flight are
     * settled as they end. Idempotent.
     */
    @Override
    public void close()
    {
        closed.set(true);
        settleAfterClose();
        final ScheduledFuture<?> running = schedule.get();
        if (running != null)
        {
            running.cancel(false);
        }
        if (ownsScheduler)
        {
            scheduler.shutdown();
        }
    }

    /**
     * Applies outcomes no evaluation will apply any more, so the factory releases what left or was never added; one
     * caller at a time by the evaluation flag, and whoever clears that flag looks again, so none is stranded.
     */
    private void settleAfterClose()
    {
        while ((!outcomes.isEmpty() || !releasedAtTermination && fleet.terminated()) && evaluating.compareAndSet(false, true))
        {
            try
            {
                final Set<ScaledPool> touched = new LinkedHashSet<>();
                Outcome outcome;
                while ((outcome = outcomes.poll()) != null)
                {
                    outcome.pool().outcomes.add(outcome);
                    touched.add(outcome.pool());
                }
                final long now = clock.getAsLong();
                for (final ScaledPool pool : touched)
                {
                    final Set<String> present = new HashSet<>();
                    for (final ScalableFleet.AgentSample sample : fleet.agents(pool.type))
                    {
                        present.add(sample.id());
                    }
                    final Decision last = lastDecisions.get(pool.type);
                    final double utilization = last == null ? 0 : last.utilization();
                    final List<Settled> settled = pool.applyOutcomes(present);
                    pool.replaceNone(fleet); // closed: crashed agents are released, not replaced
                    for (final Settled entry : settled)
                    {
                        record(new ScalingEvent(now, pool.type, entry.kind(), present.size(), present.size(),
                            utilization, List.of(entry.id()), entry.detail()));
                    }
                }
                if (fleet.terminated())
                {
                    releaseAtTermination();
                }
            }
            catch (final Throwable e) // a custom fleet's agents(): that pool's outcomes wait for its next outcome
            {
                ScaledPool.log(true, "autoscaler failed to settle additions and removals that ended after it closed", e);
            }
            finally
            {
                evaluating.set(false);
            }
        }
    }

    /** Holding the evaluation flag, once: a terminated dispatcher never reports its agents gone, so nothing else would. */
    private void releaseAtTermination()
    {
        if (!releasedAtTermination)
        {
            releasedAtTermination = true;
            java.util.Optional.ofNullable(schedule.get()).ifPresent(s -> s.cancel(false)); // nothing left to scale
            LOG.info("the dispatcher terminated: released {} agent(s) the autoscaler had added",
                pools.values().stream().mapToInt(ScaledPool::releaseAll).sum());
        }
    }

    /** Called on whichever thread ends an addition or removal (a dispatcher's router), so it never runs user code. */
    private void offer(final Outcome outcome)
    {
        outcomes.offer(outcome);
        if (closed.get())
        {
            // no evaluation will apply it, and the factory's release must not run on the router. Not a daemon: a
            // JVM that exits right after a shutdown waits for the release (a child process, a connection) to run
            final Thread settler = new Thread(this::settleAfterClose, "ringmaster-autoscaler-settle");
            settler.start();
        }
    }

    private void evaluateLogged()
    {
        try
        {
            evaluate();
        }
        catch (final Throwable e) // a factory in another JVM language may throw a checked exception undeclared
        {
            // a scheduled task that throws is never run again: log and keep scaling
            ScaledPool.log(true, "autoscaler evaluation failed; retrying at the next interval", e);
        }
    }

    private Decision evaluate(final ScaledPool pool, final long now)
    {
        final List<ScalableFleet.AgentSample> samples = fleet.agents(pool.type);
        final Set<String> present = new HashSet<>();
        for (final ScalableFleet.AgentSample sample : samples)
        {
            present.add(sample.id());
        }
        final List<Settled> settled = pool.applyOutcomes(present);
        for (final Settled entry : settled)
        {
            if (entry.kind() == ScalingEvent.Kind.ADD_FAILED)
            {
                pool.state = pool.state.withAddFailed(now);
            }
        }
        pool.replaceCrashed(settled, now, replacement -> join(pool, replacement));
        pool.giveUp(fleet);

        final List<Observation.AgentLoad> loads = new ArrayList<>(samples.size() + pool.tracked.size());
        for (final ScalableFleet.AgentSample sample : samples)
        {
            final Tracked tracked = pool.tracked.get(sample.id());
            // an agent someone else is removing (an operator's removeAgent) is leaving just as our own removals are
            final boolean draining = sample.draining() ||
                tracked != null && tracked.status == Observation.Status.DRAINING;
            final Observation.Status status = draining ? Observation.Status.DRAINING : Observation.Status.ACTIVE;
            final boolean removable = (tracked != null && tracked.ours) || pool.policy.removeRegisteredAgents();
            loads.add(new Observation.AgentLoad(sample.id(), sample.capacity(), sample.inFlight(), status, removable));
        }
        for (final Tracked tracked : new ArrayList<>(pool.tracked.values()))
        {
            if (present.contains(tracked.id))
            {
                continue;
            }
            if (tracked.status == Observation.Status.STARTING)
            {
                loads.add(new Observation.AgentLoad(tracked.id, tracked.spec.capacity(), 0,
                    Observation.Status.STARTING, true));
            }
            else if (tracked.status == Observation.Status.ACTIVE)
            {
                // the dispatcher tells of a crash before the agent leaves its list, maybe after the outcomes above
                drain();
                final Settled crash = pool.crashNoticed(tracked);
                if (crash != null)
                {
                    settled.add(crash);
                    loads.add(new Observation.AgentLoad(tracked.id, tracked.spec.capacity(), 0,
                        Observation.Status.STARTING, true));
                    continue;
                }
                // it was added, and now the dispatcher does not list it: someone else removed it
                pool.tracked.remove(tracked.id);
                pool.release(tracked);
                settled.add(new Settled(ScalingEvent.Kind.LOST, tracked.id,
                    "it left the dispatcher without the autoscaler removing it"));
            }
            // a DRAINING agent no longer listed has left; its outcome arrives with the next evaluation
        }
        final Observation observation = new Observation(loads, fleet.queueDepth(pool.type), fleet.paused(pool.type),
            predicted.slots(pool.type, fleet.secondsPerTask(pool.type), now));
        final Decision decision = ScalingDecider.decide(pool.policy, pool.state, observation, now);
        pool.state = decision.next();
        lastDecisions.put(pool.type, decision);
        recordSettled(pool, settled, decision, now);

        switch (decision.action())
        {
            case ADD -> add(pool, decision, present, now);
            case REMOVE -> remove(pool, decision, now);
            default ->
            {
            }
        }
        return decision;
    }

    private void recordSettled(final ScaledPool pool, final List<Settled> settled, final Decision decision, final long now)
    {
        for (final Settled entry : settled)
        {
            record(new ScalingEvent(now, pool.type, entry.kind(), decision.poolSize(), decision.poolSize(),
                decision.utilization(), List.of(entry.id()), entry.detail()));
        }
    }

    private void add(final ScaledPool pool, final Decision decision, final Set<String> present, final long now)
    {
        final List<String> ids = new ArrayList<>(decision.add());
        for (int i = 0; i < decision.add(); i++)
        {
            String id;
            do
            {
                id = pool.type + "-auto-" + (++pool.sequence);
            }
            while (present.contains(id) || pool.tracked.containsKey(id));
            final AgentSpec spec;
            final AgentAdapter adapter;
            try
            {
                spec = pool.factory.spec(id);
                if (!spec.id().equals(id) || !spec.type().equals(pool.type))
                {
                    throw new IllegalStateException("factory " + pool.factory.getClass().getName() + " was asked for " +
                        "agent '" + id + "' of type '" + pool.type + "' and made '" + spec.id() + "' of type '" +
                        spec.type() + "'");
                }
                adapter = pool.factory.create(spec);
            }
            catch (final Throwable e) // a plugin's NoClassDefFoundError is a failed addition too
            {
                // retried once per scale-up cooldown, not per tick: the decision's, or below min the failure's
                pool.state = pool.state.withAddFailed(now);
                ScaledPool.log(false, "could not create agent '" + id + "' of type '" + pool.type + "'", e);
                record(new ScalingEvent(now, pool.type, ScalingEvent.Kind.ADD_FAILED, decision.poolSize(),
                    decision.poolSize() + ids.size(), decision.utilization(), List.of(id), ScaledPool.message(e)));
                break;
            }
            final Tracked tracked = new Tracked(id, spec, adapter, true, Observation.Status.STARTING);
            pool.tracked.put(id, tracked);
            ids.add(id);
            join(pool, tracked);
        }
        if (!ids.isEmpty())
        {
            record(new ScalingEvent(now, pool.type, ScalingEvent.Kind.SCALE_UP, decision.poolSize(),
                decision.poolSize() + ids.size(), decision.utilization(), ids, decision.reason()));
        }
    }

    /**
     * Adds an agent we made, as its owner: should it crash under the dispatcher's supervision, we are told (on the
     * router: offers only) and replace it, so that the factory releases the crashed adapter and we keep counting it.
     */
    private void join(final ScaledPool pool, final Tracked agent)
    {
        final CrashHandler onCrash = (spec, reason, stopped) ->
        {
            if (closed.get())
            {
                return false; // no evaluation will replace it: the dispatcher's supervision restarts it, if it can
            }
            offer(new Outcome(pool, agent, Step.CRASH, null, reason));
            stopped.whenComplete((ignored, error) -> offer(new Outcome(pool, agent, Step.STOPPED, null)));
            return true;
        };
        ScaledPool.submit(() -> fleet.add(agent.spec, agent.adapter, onCrash)).whenComplete((ignored, error) ->
            offer(new Outcome(pool, agent, Step.ADD, error)));
    }

    private void remove(final ScaledPool pool, final Decision decision, final long now)
    {
        for (final String id : decision.remove())
        {
            final Tracked tracked = pool.tracked.computeIfAbsent(id,
                registered -> new Tracked(registered, null, null, false, Observation.Status.ACTIVE));
            tracked.status = Observation.Status.DRAINING;
            ScaledPool.submit(() -> fleet.remove(id)).whenComplete((ignored, error) ->
                offer(new Outcome(pool, tracked, Step.REMOVE, error)));
        }
        record(new ScalingEvent(now, pool.type, ScalingEvent.Kind.SCALE_DOWN, decision.poolSize(),
            decision.poolSizeAfter(), decision.utilization(), decision.remove(), decision.reason()));
    }

    private void record(final ScalingEvent event)
    {
        history.add(event);
        LOG.info("autoscaler {} {} {}: {} -> {} agents; {}", event.type(), event.kind(), event.agents(),
            event.poolBefore(), event.poolAfter(), event.reason());
    }

    /** Configures an {@link Autoscaler}; not thread-safe, use from one thread. */
    public static final class Builder
    {
        private final ScalableFleet fleet;
        private final Map<String, ScaledPool> pools = new LinkedHashMap<>();
        private Duration interval = Duration.ofSeconds(1);
        private LongSupplier clock = System::nanoTime;
        private ScheduledExecutorService scheduler;
        private int historyCapacity = 1024;

        private Builder(final ScalableFleet fleet)
        {
            this.fleet = fleet;
        }

        /**
         * Scales the factory's type by the policy.
         *
         * @throws IllegalArgumentException if the type is already scaled.
         */
        public Builder scale(final ScalingPolicy policy, final AgentFactory factory)
        {
            Objects.requireNonNull(policy, "scaling policy must not be null");
            Objects.requireNonNull(factory, "agent factory must not be null");
            final String type = Objects.requireNonNull(factory.type(), "agent factory type must not be null");
            if (pools.containsKey(type))
            {
                throw new IllegalArgumentException("type '" + type + "' is already scaled: one policy per type");
            }
            pools.put(type, new ScaledPool(type, policy, factory));
            ScaledPool.warnIfUnknown(fleet, type, policy);
            return this;
        }

        /** Time between evaluations (default 1 s). */
        public Builder interval(final Duration interval)
        {
            if (interval == null || interval.isNegative() || interval.isZero())
            {
                throw new IllegalArgumentException("evaluation interval must be positive, got " + interval);
            }
            this.interval = interval;
            return this;
        }

        /** The clock of cooldowns and history, in nanoseconds (default {@link System#nanoTime()}). */
        public Builder clock(final LongSupplier nanoClock)
        {
            this.clock = Objects.requireNonNull(nanoClock, "clock must not be null");
            return this;
        }

        /** Runs evaluations on this scheduler, which the autoscaler will not shut down (default: its own thread). */
        public Builder scheduler(final ScheduledExecutorService scheduler)
        {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler must not be null");
            return this;
        }

        /** History entries kept, oldest dropped first (default 1024). */
        public Builder historyCapacity(final int capacity)
        {
            if (capacity < 1)
            {
                throw new IllegalArgumentException("history capacity must be >= 1, got " + capacity);
            }
            this.historyCapacity = capacity;
            return this;
        }

        /**
         * @return an autoscaler, not yet started.
         * @throws IllegalArgumentException if no type is scaled.
         */
        public Autoscaler build()
        {
            if (pools.isEmpty())
            {
                throw new IllegalArgumentException("an autoscaler needs at least one type: call scale(policy, factory)");
            }
            return new Autoscaler(this);
        }
    }
}
