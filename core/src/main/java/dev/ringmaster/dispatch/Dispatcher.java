package dev.ringmaster.dispatch;

import dev.ringmaster.autoscale.AgentFactories;
import dev.ringmaster.dispatch.internal.Engine;
import dev.ringmaster.metrics.MetricsSnapshot;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Priority;
import dev.ringmaster.model.Task;
import dev.ringmaster.routing.RoutingStrategies;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.AgentFactory;
import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.DispatchListener;
import dev.ringmaster.spi.RoutingStrategy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * An embeddable, lock-free task dispatcher for a fleet of agents; every method may be called from any thread, and
 * {@code submit} takes no lock.
 *
 * <p>Data path: producers publish into a multi-producer Disruptor ring; whichever thread holds the routing role (a
 * submitter when the dispatcher is not busy, the router thread under sustained load; taken with a compare-and-set,
 * never waited for) places tasks on agents through the {@link RoutingStrategy}, or queues them per type and priority;
 * workers run the adapters and steal for idle agents; a completed task's result is delivered on the thread that
 * completed it, and the role's holder folds the attempt in later. The common path crosses threads once.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>every accepted task reaches exactly one terminal state (completed, dead-lettered, expired, cancelled);</li>
 *   <li>priority with aging: the head of a priority level is dispatched within {@code agingQuantum + 3} dispatches of
 *       its type once an able agent has room, so LOW is never starved;</li>
 *   <li>late binding by default: an agent holds at most {@code capacity + prefetch} tasks, the rest wait centrally
 *       by priority; or early per type ({@link Binding}): each agent's own FIFO;</li>
 *   <li>backpressure is explicit: a full ring or queue is a {@link SubmitStatus}, never an unbounded queue.</li>
 * </ul>
 */
public final class Dispatcher implements AutoCloseable
{

    private final Engine engine;
    private final double overloadThreshold;
    private final MetricsReader metrics;
    private final DeadLetterShelf shelf;
    private final Map<String, AgentFactory> factories;

    private Dispatcher(final Engine engine, final double overloadThreshold, final Map<String, AgentFactory> factories)
    {
        this.engine = engine;
        this.overloadThreshold = overloadThreshold;
        this.metrics = new MetricsReader(engine, overloadThreshold);
        this.shelf = new DeadLetterShelf(engine::deadLetters);
        this.factories = Map.copyOf(factories);
    }

    /** @return a builder; add agents and pick a strategy, then {@code build().start()}. */
    public static Builder builder()
    {
        return new Builder();
    }

    /** Starts the router and worker threads. @return this. */
    public Dispatcher start()
    {
        engine.start();
        return this;
    }

    /**
     * Offers a task without blocking and without locks; may route, and end other tasks (their callbacks), on this thread.
     *
     * @return ACCEPTED, after which the task will reach exactly one terminal state, or the reason it was refused.
     * @throws NullPointerException if the task is null.
     */
    public SubmitStatus submit(final Task task)
    {
        return engine.submit(task, null);
    }

    /**
     * Offers a task, waiting up to {@code maxWait} (backing off) while the ring or its queue is full; an interrupted
     * caller gets the full status at once, its interrupt status still set.
     */
    public SubmitStatus submit(final Task task, final Duration maxWait)
    {
        return BlockingSubmit.submit(engine, task, BuilderChecks.waitNanos(maxWait, "maxWait"));
    }

    /**
     * Offers a task and returns a stage that completes with its terminal result (allocates the future).
     *
     * @return a future completed as {@link ResultHandler} is called: on the thread that completed the task if it
     *     completed, else on the thread holding the routing role; completed exceptionally with
     *     {@link RejectedTaskException} if the task was refused. Chain heavy work with the *Async variants.
     */
    public CompletableFuture<TaskResult> submitAsync(final Task task)
    {
        final CompletableFuture<TaskResult> future = new CompletableFuture<>();
        settle(task, engine.submit(task, future), future);
        return future;
    }

    /** As {@link #submitAsync(Task)}, waiting up to {@code maxWait} while the ring or its queue is full. */
    public CompletableFuture<TaskResult> submitAsync(final Task task, final Duration maxWait)
    {
        final CompletableFuture<TaskResult> future = new CompletableFuture<>();
        settle(task, BlockingSubmit.submit(engine, task, future, BuilderChecks.waitNanos(maxWait, "maxWait")), future);
        return future;
    }

    /** Fails {@code future} with the refusal, naming it, unless {@code status} accepted the task. @return status. */
    private SubmitStatus settle(final Task task, final SubmitStatus status, final CompletableFuture<TaskResult> future)
    {
        if (!status.accepted())
        {
            future.completeExceptionally(new RejectedTaskException(task, status, engine.rejectionDetail(task, status)));
        }
        return status;
    }

    /** Like {@link #submit(Task)}. @throws RejectedTaskException on rejection, naming the problem and the fix. */
    public void submitOrThrow(final Task task)
    {
        final SubmitStatus status = engine.submit(task, null);
        if (!status.accepted())
        {
            throw new RejectedTaskException(task, status, engine.rejectionDetail(task, status));
        }
    }

    /**
     * Stops accepting and waits for every accepted task to reach a terminal state, then stops the threads. A running
     * attempt is never stopped: one with no timeout that never answers holds the drain to its timeout.
     *
     * @return true if done within the timeout; false leaves the dispatcher draining (call {@link #shutdownNow}) and logs
     *     a warning with the tasks that cannot run now by cause and the fix ({@link DrainBlockers}).
     */
    public boolean drain(final Duration timeout)
    {
        return drainQuietly(timeout) || DrainBlockers.logTimedOut(this, timeout);
    }

    /** As {@link #drain}, without the warning at the timeout: for a caller that reports it ({@link DrainBlockers#of}). */
    public boolean drainQuietly(final Duration timeout)
    {
        return engine.drain(BuilderChecks.waitNanos(timeout, "drain timeout"), TimeUnit.NANOSECONDS);
    }

    /**
     * Stops accepting, cancels every task that has not started and stops every agent's adapter ({@code stop()}, once,
     * on a thread of the dispatcher's own: what makes a call still running return), waiting up to 10 s for those
     * stops; an attempt that still answers ends as usual but is not retried, and one still running 1 s after the
     * stops returned (5 s at most) is cancelled with a reason that starts with
     * {@link DispatchListener#SHUTDOWN_REASON_PREFIX}, its late answer ignored. Call {@link #awaitTermination}.
     *
     * @return every task accepted before this call and cancelled by it (each also got a CANCELLED event; a submit racing
     *     it may end CANCELLED unlisted); empty when called from a listener, or from the result handler for a task that
     *     did not complete: the sweep runs on that thread once the callback returns, so this call does not wait for it.
     */
    public List<Task> shutdownNow()
    {
        return engine.shutdownNow(10, TimeUnit.SECONDS);
    }

    /**
     * Waits for the end of a {@link #drain} or {@link #shutdownNow}; it does not stop a dispatcher by itself. After
     * shutdownNow it ends within seconds even if an adapter never answers, unless a {@code stop()}, a callback or a
     * synchronous adapter's call blocks a thread for good.
     *
     * @return true once the dispatcher was shut down, every accepted task is terminal and the threads have stopped;
     *     false at the timeout, also while nobody has shut it down (a dispatcher never started stays startable).
     */
    public boolean awaitTermination(final Duration timeout)
    {
        return engine.awaitTermination(BuilderChecks.waitNanos(timeout, "timeout"), TimeUnit.NANOSECONDS);
    }

    /**
     * Drains for up to 30 seconds (not after {@link #shutdownNow}: then it only waits), then shuts down now and waits
     * up to 30 seconds more, logging an error if the dispatcher still did not terminate; ends a dispatcher never
     * started at once. An attempt that never answers holds the drain to its end, not the shutdown.
     */
    @Override
    public void close()
    {
        if (engine.closeUnstarted() || (state().compareTo(DispatcherState.STOPPING) < 0 && drain(Duration.ofSeconds(30))))
        {
            return;
        }
        shutdownNow();
        if (!awaitTermination(Duration.ofSeconds(30)))
        {
            org.slf4j.LoggerFactory.getLogger(Dispatcher.class).error("close(): not terminated 30 s after shutting down: a " +
                "call deaf to its stop() and an interrupt (hung= below), or a callback or stop(), does not return; {}", describe());
        }
    }

    /** @return the most recent dead letters (failed every attempt, or expired), oldest first, with reasons. */
    public List<DeadLetter> deadLetters()
    {
        return shelf.shown();
    }

    /**
     * Submits a dead letter's task again, same id, as a new acceptance with its own terminal state (its TTL counts
     * from now); the letter leaves {@link #deadLetters()} unless the dispatcher refuses the task.
     *
     * @throws IllegalArgumentException if no listed dead letter has this task id.
     */
    public SubmitStatus requeueDeadLetter(final long taskId)
    {
        return shelf.requeue(taskId, letter -> engine.submit(letter.task(), null));
    }

    /**
     * As {@link #requeueDeadLetter(long)}, completing {@code result} as {@link #submitAsync}'s future: with the task's
     * new end, or exceptionally with a {@link RejectedTaskException} if refused (the letter then stays listed).
     */
    public SubmitStatus requeueDeadLetter(final long taskId, final CompletableFuture<TaskResult> result)
    {
        Objects.requireNonNull(result, "result future must not be null: use requeueDeadLetter(taskId) for none");
        return shelf.requeue(taskId, letter -> settle(letter.task(), engine.submit(letter.task(), result), result));
    }

    /** Takes every dead letter off {@link #deadLetters()}; counters keep them. @return how many were listed. */
    public int purgeDeadLetters()
    {
        return shelf.purge();
    }

    /** @return the agent factory registered for each type at build time (the ones that can scale it). */
    public Map<String, AgentFactory> agentFactories()
    {
        return factories;
    }

    /** @return the live load view of every agent in the fleet, in registration order. */
    public List<AgentView> agents()
    {
        return List.copyOf(engine.agents());
    }

    /**
     * Asks an agent's adapter to warm its context for a key ({@link AgentAdapter#warm}), for predictive pre-routing;
     * called off the dispatch path, on the caller's thread.
     *
     * @param agent an agent of this dispatcher, as {@link #agents()} lists it.
     * @return what the adapter returned; false for an agent this dispatcher does not run.
     * @throws Exception whatever the adapter's hook throws.
     */
    public boolean warm(final AgentView agent, final String contextKey) throws Exception
    {
        return agent instanceof dev.ringmaster.dispatch.internal.AgentState state && engine.agents().contains(state) &&
            state.adapter().warm(contextKey);
    }

    // ---------------------------------------------------------------- fleet operations
    // Each change is queued to the router and applied between its duty cycles: the router stays the single writer of
    // routing state, so the dispatch path needs no lock. The returned stage completes when the change took effect.

    /**
     * Adds an agent while tasks flow (a new type gets its own queues), after calling its adapter's {@code start()} on
     * this thread. @return completes once it is routed to; fails, the agent not added, if {@code start()} threw.
     */
    public CompletableFuture<AgentView> addAgent(final AgentSpec spec, final AgentAdapter adapter)
    {
        Objects.requireNonNull(spec, "agent spec must not be null");
        Objects.requireNonNull(adapter, "adapter of agent '" + spec.id() + "' must not be null");
        return engine.fleet.addAgent(spec, adapter, null);
    }

    /**
     * As {@link #addAgent(AgentSpec, AgentAdapter)}, for an agent its caller replaces itself should it crash: under
     * supervision the dispatcher stops its adapter and tells {@code onCrash} instead of restarting it through the
     * type's factory (which the caller's records and the factory's release would not follow), unless the handler
     * declines (returns false, or throws: the crash is then handled as any other); without supervision it
     * stays out, as any crashed agent does. The autoscaler adds its agents this way.
     */
    public CompletableFuture<AgentView> addAgent(final AgentSpec spec, final AgentAdapter adapter, final CrashHandler onCrash)
    {
        Objects.requireNonNull(spec, "agent spec must not be null");
        Objects.requireNonNull(adapter, "adapter of agent '" + spec.id() + "' must not be null");
        return engine.fleet.addAgent(spec, adapter, Objects.requireNonNull(onCrash, "crash handler must not be null"));
    }

    /**
     * Tells the dispatcher that the owner of a crashed agent (see {@link CrashHandler}) will not add it again, say
     * because its factory could not make a replacement: the tasks held for it, addressed to it or needing a skill only
     * it had, stop waiting and are dead-lettered with {@code reason}. @return completes with false if no replacement
     * of that agent was awaited (it was added again already, say).
     */
    public CompletableFuture<Boolean> giveUpReplacement(final String agentId, final String reason)
    {
        return engine.fleet.giveUpReplacement(Objects.requireNonNull(agentId, "agent id must not be null"), reason);
    }

    /**
     * Removes an agent gracefully: no new tasks, its inbox routed elsewhere, what it runs finishes; nothing lost or run
     * twice; then its adapter's {@code stop()} is called. An attempt that outlived its timeout does not hold the
     * removal up: its task was already retried or ended, and {@code stop()} is what may unblock the hung call, whose
     * answer is then ignored. @return completes when no task of the agent is live any more and its adapter was
     * stopped; fails for an unknown agent.
     */
    public CompletableFuture<AgentView> removeAgent(final String agentId)
    {
        return engine.fleet.removeAgent(Objects.requireNonNull(agentId, "agent id must not be null"));
    }

    /**
     * Takes an agent out at once, as crashed, without waiting for what it runs (for an agent known dead, such as a
     * remote host gone silent): what waits in its inbox is routed elsewhere, and its running attempts end when their
     * adapter fails them or they time out. Its adapter is stopped at once; with supervision its factory restarts it (or,
     * for an agent added with a {@link CrashHandler}, its owner replaces it). Also while draining, and after shutdownNow
     * (its running attempts are then cancelled at once); refused only once terminated.
     * @return completes with true once it is out (an agent being removed too: its removal then completes at once);
     *     fails for an unknown agent.
     */
    public CompletableFuture<Boolean> crashAgent(final String agentId, final String reason)
    {
        return engine.fleet.crashAgent(Objects.requireNonNull(agentId, "agent id must not be null"), reason);
    }

    /** Stops routing to a type; its tasks stay queued in order until {@link #resumeType}. @return tasks waiting. */
    public CompletableFuture<Integer> pauseType(final String type)
    {
        return engine.fleet.setPaused(Objects.requireNonNull(type, "type must not be null"), true);
    }

    /** Resumes routing to a paused type, in queue order. @return completes with the number of tasks waiting. */
    public CompletableFuture<Integer> resumeType(final String type)
    {
        return engine.fleet.setPaused(Objects.requireNonNull(type, "type must not be null"), false);
    }

    /** @return each agent type and whether it is paused. */
    public Map<String, Boolean> types()
    {
        return engine.fleet.typesPaused();
    }

    /** Moves a waiting task to another priority (O(queued), for operators). @return the outcome, with a reason. */
    public CompletableFuture<ReprioritizeOutcome> reprioritize(final long taskId, final Priority priority)
    {
        return engine.fleet.reprioritize(taskId, Objects.requireNonNull(priority, "priority must not be null"));
    }

    /**
     * Cancels a task that has not started (O(queued)). @return CANCELLED, RUNNING (it runs on) or NOT_FOUND (also
     * before start and after termination).
     */
    public CompletableFuture<CancelOutcome> cancel(final long taskId)
    {
        return engine.fleet.cancel(taskId);
    }

    /** @return the id of the agent holding the task, "" if it waits centrally, null if no live task has this id. */
    public CompletableFuture<String> whereIs(final long taskId)
    {
        return engine.fleet.whereIs(taskId);
    }

    /** @return per agent type, the tasks waiting centrally at each priority. */
    public Map<String, Map<Priority, Long>> queueDepthByType()
    {
        return metrics.queueDepthByType();
    }

    /** @return the routing strategy's name. */
    public String strategy()
    {
        return engine.strategyName();
    }

    /** @return agents restarted by supervision so far. */
    public long restarts()
    {
        return engine.restarts();
    }

    /** @return where the dispatcher is in its lifecycle. */
    public DispatcherState state()
    {
        return DispatcherState.values()[engine.runState()];
    }

    /** @return the load (in flight over capacity) at or above which metrics flag an agent as overloaded. */
    public double overloadThreshold()
    {
        return overloadThreshold;
    }

    /** @return a human-readable dump of queue depths, room and agent slots, for diagnosing a stall. */
    public String describe()
    {
        return engine.fleet.describe();
    }

    /** @return accepted tasks that are not yet terminal. */
    public int outstanding()
    {
        return engine.outstanding();
    }

    /** @return a consistent-enough snapshot of every metric (counters are read one by one, histograms cumulatively). */
    public MetricsSnapshot metrics()
    {
        return metrics.snapshot();
    }

    /** Configures a {@link Dispatcher}; not thread-safe, use from one thread. */
    public static final class Builder extends DispatcherOptions<Builder>
    {
        private final List<AgentSpec> specs = new ArrayList<>();
        private final List<AgentAdapter> adapters = new ArrayList<>();
        private final Set<String> ids = new HashSet<>();
        private final List<DispatchListener> listeners = new ArrayList<>();
        private RoutingStrategy strategy;
        private String strategyName = "least-connections";
        private RoutingStrategy shadow;
        private String shadowName;
        private ClassLoader pluginLoader = Dispatcher.class.getClassLoader();
        /** In registration order; by name ones are looked up at build time, when the plugin loader is final. */
        private final List<Function<ClassLoader, AgentFactory>> factories = new ArrayList<>();
        private ResultHandler resultHandler;
        /** The strategy instances of the dispatchers already built, which a second build must not share. */
        private final Set<RoutingStrategy> builtWith = Collections.newSetFromMap(new IdentityHashMap<>());

        private Builder()
        {
        }

        @Override
        Builder self()
        {
            return this;
        }

        /** Registers an agent. @throws IllegalArgumentException if another agent has the same id. */
        public Builder agent(final AgentSpec spec, final AgentAdapter adapter)
        {
            Objects.requireNonNull(spec, "agent spec must not be null");
            Objects.requireNonNull(adapter, "adapter of agent '" + spec.id() + "' must not be null");
            if (!ids.add(spec.id()))
            {
                throw new IllegalArgumentException("duplicate agent id '" + spec.id() + "': every agent needs its own id");
            }
            specs.add(spec);
            adapters.add(adapter);
            return this;
        }

        /** Selects a strategy by name, found through {@link java.util.ServiceLoader} at build time. */
        public Builder strategy(final String name)
        {
            this.strategyName = Objects.requireNonNull(name, "strategy name must not be null");
            this.strategy = null;
            return this;
        }

        /**
         * Runs a second strategy, found by name at build time, as a shadow: it decides on every task the live strategy
         * places, without acting; {@link #metrics()} and the journal record how often it agrees and its estimated
         * regret. Its faults are contained and counted, never felt by dispatch.
         */
        public Builder shadow(final String name)
        {
            this.shadowName = Objects.requireNonNull(name, "shadow strategy name must not be null");
            this.shadow = null;
            return this;
        }

        /** As {@link #shadow(String)}, with this instance (its own: not the live strategy, not shared). */
        public Builder shadow(final RoutingStrategy strategy)
        {
            this.shadow = Objects.requireNonNull(strategy, "shadow strategy must not be null");
            return this;
        }

        /** Uses this strategy instance (it must not be shared with another dispatcher: build() checks). */
        public Builder strategy(final RoutingStrategy strategy)
        {
            this.strategy = Objects.requireNonNull(strategy, "strategy must not be null");
            return this;
        }

        /** The class loader in which strategies are looked up by name; the core's own by default. */
        public Builder pluginClassLoader(final ClassLoader loader)
        {
            this.pluginLoader = Objects.requireNonNull(loader, "class loader must not be null");
            return this;
        }

        /**
         * Looks strategies and agent factories up by name on the current plugin class loader's classpath and in every {@code *.jar} of
         * {@code directory}, each jar in its own class loader (see {@link dev.ringmaster.plugin.PluginRegistry});
         * a broken, empty or clashing jar is logged as a warning and skipped. Replaces the plugin class loader; the
         * jars that contributed stay open for the life of the JVM, since the strategies run from them.
         *
         * @throws IllegalArgumentException if the directory does not exist or is not a directory.
         */
        public Builder pluginDirectory(final java.nio.file.Path directory)
        {
            Objects.requireNonNull(directory, "plugin directory must not be null");
            this.pluginLoader = dev.ringmaster.plugin.PluginRegistry.load(directory, pluginLoader).logProblems()
                .classLoader();
            return this;
        }

        public Builder listener(final DispatchListener listener)
        {
            listeners.add(Objects.requireNonNull(listener, "listener must not be null"));
            return this;
        }

        /** Called with every terminal state; for a completed task on the thread that completed it (thread-safe!). */
        public Builder onResult(final ResultHandler handler)
        {
            this.resultHandler = Objects.requireNonNull(handler, "result handler must not be null");
            return this;
        }

        /**
         * Registers the factory that makes agents of its type, e.g. to restart crashed ones or to scale; of two for one
         * type, the later wins. The type is known from the start even with no agent of it yet: its tasks are accepted
         * and wait for its first agent (unless they need a skill or an agent it lacks).
         */
        public Builder agentFactory(final AgentFactory factory)
        {
            Objects.requireNonNull(factory, "agent factory must not be null");
            factories.add(loader -> factory);
            return this;
        }

        /**
         * As {@link #agentFactory(AgentFactory)}, with the factory that the agent factory plugin {@code name} (e.g.
         * "echo") makes for {@code type}, found through {@link java.util.ServiceLoader} on the plugin class loader at
         * build time, as a strategy by name is.
         *
         * @param options the plugin's settings, e.g. "capacity" to "4"; see its description.
         */
        public Builder agentFactory(final String name, final String type, final Map<String, String> options)
        {
            Objects.requireNonNull(name, "agent factory name must not be null");
            Objects.requireNonNull(type, "agent type for agent factory '" + name + "' must not be null");
            final Map<String, String> copy = Map.copyOf(Objects.requireNonNull(options,
                "options for agent factory '" + name + "' must not be null: pass Map.of() for none"));
            factories.add(loader -> AgentFactories.create(name, type, copy, loader));
            return this;
        }

        /**
         * @return a dispatcher, not yet started.
         * @throws IllegalArgumentException for no agents, or an unknown strategy or agent factory name (listing the
         *                                  known ones), or a bad agent factory option, or a strategy instance (live
         *                                  or shadow) that routes for another dispatcher not yet terminated.
         * @throws IllegalStateException    if a strategy instance given to this builder already routes for a dispatcher
         *                                  it built (a second build needs new instances, or names).
         */
        public Dispatcher build()
        {
            return new Dispatcher(buildEngine(true), overloadThreshold, config.factories); // buildEngine fills factories
        }

        /** The engine; {@code claim}: a dispatcher runs it, not a {@link RoutingProbe} (which never starts it). */
        Engine buildEngine(final boolean claim)
        {
            for (final Function<ClassLoader, AgentFactory> factory : factories)
            {
                final AgentFactory made = factory.apply(pluginLoader);
                config.factories.put(made.type(), made);
            }
            BuilderChecks.notBuiltWith(builtWith, strategy, shadow);
            final RoutingStrategy chosen = strategy != null ? strategy : RoutingStrategies.create(strategyName, pluginLoader);
            config.shadow = shadow != null ? shadow : shadowName == null ? null : RoutingStrategies.create(shadowName, pluginLoader);
            BuilderChecks.shadowApart(chosen, config.shadow);
            final Engine engine = new Engine(specs, adapters, chosen, listeners, resultHandler, config);
            if (claim)
            {
                dev.ringmaster.dispatch.internal.StrategyClaims.claim(engine, chosen, config.shadow);
            }
            builtWith.add(chosen);
            if (config.shadow != null)
            {
                builtWith.add(config.shadow);
            }
            return engine;
        }
    }
}
