package dev.ringmaster.dispatch.internal;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import dev.ringmaster.dispatch.DeadLetter;
import dev.ringmaster.dispatch.ResultHandler;
import dev.ringmaster.dispatch.SubmitStatus;
import dev.ringmaster.dispatch.TaskResult;
import dev.ringmaster.metrics.FaultLog;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Priority;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.DispatchListener;
import dev.ringmaster.spi.RoutingStrategy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The wiring of one dispatcher: ring, lanes, agents, router and workers. {@link #submit} is called from any thread
 * and is lock-free; lifecycle methods may be called from any thread.
 */
public final class Engine
{
    /** Most capacity-plus-prefetch slots summed over all agents; bounds the completion queue. */
    public static final int MAX_FLEET_SLOTS = 1 << 16;

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Engine.class);

    final Control control = new Control();
    final RingBuffer<IngressEvent> ring;
    /** Replaced (copy on write) by the router when the fleet changes; other threads read a consistent array. */
    volatile Lane[] lanes;
    volatile AgentState[] agents;
    final EngineConfig config;
    /** Every rate limit's bucket, for metrics; set once by the router's constructor. */
    volatile List<TokenBucket> buckets = List.of();
    /** Fleet changes, applied by the router between duty cycles (single writer of routing state). */
    final org.jctools.queues.MpscUnboundedArrayQueue<Command<?>> commands = new org.jctools.queues.MpscUnboundedArrayQueue<>(64);
    final Signals signals;
    final StageRecorders stages = new StageRecorders();
    final Counters counters = new Counters();
    /** Tasks by state per priority and tenant, for metrics. */
    public final TaskTally tally = new TaskTally();
    final DeadLetterLog deadLetters;
    /** Ids of accepted, not yet terminal tasks: a second submission of one is refused. */
    final LiveIds liveIds;

    /** Replaced (copy on write) by the router when a new agent type appears; read by submitters. */
    volatile Map<String, Lane> lanesByType;
    private final StopsDone stopsDone = new StopsDone();
    /** Package-private for {@link DecisionProbe#of}, which routes through it on a never-started engine. */
    final Router router;
    /** Who may route now: a submitter, a completing worker or the router thread, one at a time. */
    final RoutingRole role;
    /** Fleet changes and task commands, queued to the routing role. */
    public final FleetCommands fleet = new FleetCommands(this);
    /**
     * One per agent up to {@code config.workers}; grown (copy on write) by the routing role as agents are added, never
     * shrunk. Volatile: read by the fleet's next holder and by {@link #awaitTermination}, which wakes them all.
     */
    volatile Worker[] workers;
    /** Null without supervision. */
    final Restarter restarter;
    private final ParkingIdleStrategy routerIdle;
    final Slumber slumber;
    private final EngineThreads threads = new EngineThreads();
    private final String strategyName;
    private volatile long startNanos;
    private volatile long stopNanos;

    /** Specs are the agents in registration order (ids unique); adapters, one per spec in the same order. */
    public Engine(final List<AgentSpec> specs, final List<AgentAdapter> adapters, final RoutingStrategy strategy,
                  final List<DispatchListener> listeners, final ResultHandler resultHandler, final EngineConfig config)
    {
        if (specs.isEmpty())
        {
            throw new IllegalArgumentException("a dispatcher needs at least one agent (a factory starts none): add one with builder.agent(spec, adapter)");
        }
        this.strategyName = strategy.name();
        this.config = config;
        final int workerCount = Math.min(config.workers, specs.size());
        // the router thread is off the common path (submitters and workers route while it sleeps): it wakes for
        // timed work, for a hand-over under sustained load, and at least every maxParkNanos as a safety net
        final long routerSpins = config.busySpin ? Long.MAX_VALUE : Waiting.ROUTER_SPIN_NANOS;
        this.routerIdle = new ParkingIdleStrategy(routerSpins, Waiting.ROUTER_YIELD_NANOS, 1_000,
            Waiting.ROUTER_MAX_PARK_NANOS,
            () -> role().routerHasWork() || threads.pending(), () -> role().wakeAtNanos());

        int totalLimit = 0;
        for (final AgentSpec spec : specs)
        {
            totalLimit += spec.capacity() + config.prefetch;
        }
        if (totalLimit > MAX_FLEET_SLOTS)
        {
            throw new IllegalArgumentException("the fleet's capacity plus prefetch adds up to " + totalLimit +
                " slots, more than the " + MAX_FLEET_SLOTS + " one dispatcher supports; split the fleet across dispatchers");
        }
        // sized for the largest fleet, so agents added at run time never outgrow it
        this.signals = new Signals(MAX_FLEET_SLOTS, workerCount);
        this.deadLetters = new DeadLetterLog(config.deadLetterCapacity);
        this.liveIds = new LiveIds((int)Math.min(Integer.MAX_VALUE, config.ringSize + (long)Priority.COUNT * config.queueCapacity));

        final AgentState[] agents = new AgentState[specs.size()];
        final Map<String, List<AgentState>> byType = new LinkedHashMap<>();
        for (int i = 0; i < specs.size(); i++)
        {
            final AgentSpec spec = specs.get(i);
            final AgentState agent = new AgentState(i, spec, adapters.get(i), config.prefetch, i % workerCount, signals);
            agents[i] = agent;
            byType.computeIfAbsent(spec.type(), t -> new ArrayList<>()).add(agent);
        }
        // a type with a factory is declared even before its first agent (an autoscaler's minimum of 0, serve's
        // "agents: 0"): its tasks are accepted and wait for one, as when a type's last agent left
        config.factories.keySet().forEach(type -> byType.putIfAbsent(type, new ArrayList<>()));
        final Map<String, Lane> lanesByType = new HashMap<>();
        final Lane[] lanes = new Lane[byType.size()];
        int laneIndex = 0;
        for (final Map.Entry<String, List<AgentState>> e : byType.entrySet())
        {
            final Lane lane = new Lane(e.getKey(), config.queueCapacity, e.getValue().toArray(new AgentState[0]),
                config.binding(e.getKey()));
            for (final AgentState a : lane.agents)
            {
                a.lane = lane;
            }
            lane.id = laneIndex;
            lanes[laneIndex++] = lane;
            lanesByType.put(e.getKey(), lane);
        }

        this.agents = agents;
        this.lanes = lanes;
        this.lanesByType = lanesByType;
        this.slumber = new Slumber(this, config, routerIdle);
        final Worker[] workers = new Worker[workerCount];
        for (int w = 0; w < workerCount; w++)
        {
            final List<AgentState> mine = new ArrayList<>();
            for (final AgentState a : agents)
            {
                if (a.workerIndex == w)
                {
                    mine.add(a);
                }
            }
            workers[w] = new Worker(w, control, mine.toArray(new AgentState[0]), signals, config, slumber);
            for (final AgentState a : mine)
            {
                a.worker = workers[w];
            }
        }
        Worker.team(workers, !config.busySpin && Worker.handOff(workerCount), 0);
        this.workers = workers;

        // nothing ever waits on this ring (the router polls it), so a non-blocking wait strategy: the default,
        // BlockingWaitStrategy, takes a lock and signals a condition on every publish, i.e. on every submit
        this.ring = RingBuffer.createMultiProducer(IngressEvent::new, config.ringSize, new com.lmax.disruptor.YieldingWaitStrategy());
        final com.lmax.disruptor.Sequence consumed = new com.lmax.disruptor.Sequence();
        ring.addGatingSequences(consumed);
        this.restarter = config.supervision == null ? null :
            new Restarter(this, config.supervision, new HashMap<>(config.factories));
        final Delivery delivery = new Delivery(liveIds, resultHandler);
        this.router = new Router(this, consumed, strategy, new Listeners(listeners.toArray(new DispatchListener[0])),
            delivery, workers, config);
        this.role = new RoutingRole(router, routerIdle);
        signals.attach(role, delivery);
    }

    private RoutingRole role()
    {
        return role;
    }

    // ---------------------------------------------------------------- submission (any thread, lock-free)

    /**
     * @param future completed with the result, or null if the caller wants none.
     * @return ACCEPTED, or the reason the task was refused (then nothing was retained).
     */
    public SubmitStatus submit(final Task task, final CompletableFuture<TaskResult> future)
    {
        if (task == null)
        {
            throw new NullPointerException("task must not be null: build one with Task.builder(type)...build()");
        }
        final Lane lane = lanesByType.get(task.type());
        if (lane == null)
        {
            return SubmitStatus.UNKNOWN_AGENT_TYPE;
        }
        // a task no agent could ever take would wait until its time to live, or for ever without one
        if ((task.requiredSkills() != 0 || task.targetAgent() != null || task.avoidAgent() != null ||
            task.requiresUnknownSkill()) && !lane.canServe(task))
        {
            return SubmitStatus.NO_CAPABLE_AGENT;
        }
        final int level = task.priority().ordinal();
        if (!lane.admit(level))
        {
            // a draining dispatcher's queues stay full: waiting for room there would never end; a live id is refused
            // as a duplicate whatever the room (as QUEUE_FULL, a bounded submit waited out its time for it)
            return control.runState != Control.RUNNING ? SubmitStatus.NOT_RUNNING :
                liveIds.contains(task.id()) ? SubmitStatus.DUPLICATE_ID : SubmitStatus.QUEUE_FULL;
        }
        // admitted before the state check: a concurrent drain either sees this admission or we see its state
        if (control.runState != Control.RUNNING)
        {
            lane.release(level);
            return SubmitStatus.NOT_RUNNING;
        }
        final int idCell = liveIds.add(task.id());
        if (idCell == LiveIds.DUPLICATE)
        {
            lane.release(level);
            return SubmitStatus.DUPLICATE_ID;
        }
        final long seq;
        try
        {
            seq = ring.tryNext();
        }
        catch (final InsufficientCapacityException e)
        {
            liveIds.remove(task.id(), idCell);
            lane.release(level);
            return SubmitStatus.RING_FULL;
        }
        ring.get(seq).set(task, lane, System.nanoTime(), future, idCell);
        ring.publish(seq);
        slumber.wakeIfDozing(); // first: a submitter that goes on to route a backlog inline must not delay a thief
        role.request(); // routes it here if nobody is routing: no wake-up of another thread
        return SubmitStatus.ACCEPTED;
    }

    /** @return a sentence for a rejection that names what exists, for exceptions (allocates). */
    public String rejectionDetail(final Task task, final SubmitStatus status)
    {
        return Rejections.detail(lanesByType, control.runState, task, status);
    }

    // ---------------------------------------------------------------- fleet changes (FleetCommands queues them)

    /**
     * Routing role only (adding an agent): adds a worker, which the new agent will be given, and has the router thread
     * start its thread ({@link EngineThreads}). Until it runs, the agent's tasks wait in its inbox: the thread's first
     * duty cycle starts them, so a wake that found no thread loses nothing.
     */
    Worker addWorker(final Placement placement)
    {
        final Worker[] old = workers;
        final Worker worker = new Worker(old.length, control, new AgentState[0], signals, config, slumber);
        signals.addWorkerQueue();
        final Worker[] grown = java.util.Arrays.copyOf(old, old.length + 1);
        grown[old.length] = worker;
        Worker.team(grown, !config.busySpin && Worker.handOff(grown.length), old.length);
        placement.workersChanged(grown);
        workers = grown;
        threads.startLater(worker);
        routerIdle.wake();
        return worker;
    }

    public long restarts()
    {
        return restarter == null ? 0 : restarter.restarts.get();
    }

    // ---------------------------------------------------------------- lifecycle

    public void start()
    {
        if (control.runState != Control.NEW)
        {
            throw new IllegalStateException("dispatcher already started; build a new one to start again");
        }
        final List<AgentState> failedToStart = new ArrayList<>();
        for (final AgentState agent : agents)
        {
            final Throwable e = AdapterLifecycle.start(agent.adapter);
            if (e != null)
            {
                if (restarter == null)
                {
                    for (final AgentState started : agents)
                    {
                        if (started == agent)
                        {
                            break;
                        }
                        AdapterLifecycle.stopQuietly(started.id(), started.adapter);
                    }
                    throw new dev.ringmaster.dispatch.AgentStartException(agent.id(), "agent '" + agent.id() + "' failed " +
                        "to start: " + FaultLog.describe(e) + "; fix it, or configure supervision with an AgentFactory to restart it", e);
                }
                LOG.warn("agent '{}' failed to start ({}); supervision will restart it", agent.id(), FaultLog.describe(e));
                failedToStart.add(agent);
            }
        }
        // before RUNNING lets fleet changes in: a worker added from then on is started by the router thread alone
        final Worker[] initial = workers;
        if (!control.compareAndSetRunState(Control.NEW, Control.RUNNING))
        {
            throw new IllegalStateException("dispatcher already started; build a new one to start again");
        }
        for (final AgentState agent : failedToStart)
        {
            fleet.crashAgent(agent.id(), "start() threw");
        }
        startNanos = System.nanoTime();
        threads.start(this::runRouter, initial);
    }

    private void runRouter()
    {
        routerIdle.bindToCurrentThread();
        while (!control.exit)
        {
            try
            {
                threads.startAdded();
                routerIdle.idle(role.routerCycle(System.nanoTime()));
            }
            catch (final Throwable t)
            {
                // the router must outlive any bug or plugin failure: every accepted task still needs its terminal state
                LOG.error("router duty cycle failed; continuing", t);
            }
        }
        role.routerExited();
    }

    public int runState()
    {
        return control.runState;
    }

    /** Stops accepting; @return true if every accepted task reached a terminal state within the timeout. */
    public boolean drain(final long timeout, final TimeUnit unit)
    {
        advanceTo(Control.DRAINING);
        return awaitTermination(timeout, unit);
    }

    /** Stops accepting and cancels every task not started; @return the cancelled tasks. */
    public List<Task> shutdownNow(final long timeout, final TimeUnit unit)
    {
        advanceTo(Control.STOPPING);
        if (role.heldByCurrentThread())
        {
            // called from a callback the role's holder runs (a listener, or the result handler of a task that did not
            // complete): the sweep runs once the callback returns, and waiting for it here stalled all routing
            return List.of();
        }
        role.request(); // the holder sweeps the queues and cancels what has not started
        final long deadline = System.nanoTime() + unit.toNanos(timeout);
        List<Task> cancelled;
        while ((cancelled = control.cancelledAtShutdown) == null && System.nanoTime() - deadline < 0 && !control.exit)
        {
            LockSupport.parkNanos(100_000);
        }
        AdapterLifecycle.awaitStops(control.adaptersStopped, deadline); // bounded: a stop() that hangs delays no more
        return cancelled == null ? List.of() : Collections.unmodifiableList(cancelled);
    }

    /**
     * @return true once the dispatcher was shut down (drain or shutdownNow), nothing is outstanding and the threads
     *     stopped; false on timeout, also for a dispatcher not started or still running (waiting does not stop it).
     */
    public boolean awaitTermination(final long timeout, final TimeUnit unit)
    {
        final long deadline = System.nanoTime() + unit.toNanos(timeout);
        // not while NEW: waiting must leave a dispatcher startable (closeUnstarted is what ends one never started);
        // not while RUNNING: a task accepted just after the last one ended would find the threads gone, never to end
        while (control.runState <= Control.RUNNING || outstanding() > 0)
        {
            if (System.nanoTime() - deadline >= 0)
            {
                return false;
            }
            LockSupport.parkNanos(200_000);
        }
        control.exit = true;
        routerIdle.wake();
        for (final Worker w : workers)
        {
            w.idle.wake();
            if (control.adaptersStopped != null)
            {
                // shut down now, its stops asked for, nothing outstanding: a call still running holds an attempt given
                // up; a drain, which waits for calls, never interrupts one
                w.interruptIfInCall();
            }
        }
        if (!threads.join(deadline) || !AdapterLifecycle.awaitStops(control.adaptersStopped, deadline))
        {
            return false;
        }
        for (int state = control.runState; state != Control.TERMINATED; state = control.runState)
        {
            // one caller terminates: a second awaitTermination, or a concurrent one, must not stop the adapters again
            if (control.compareAndSetRunState(state, Control.TERMINATED))
            {
                try
                {
                    stopNanos = System.nanoTime();
                    fleet.failLeftoverCommands(); // queued just before the router's last cycle: nobody applies them now
                    StrategyClaims.release(this);
                    if (restarter != null)
                    {
                        restarter.close();
                    }
                    AdapterLifecycle.stopAtTermination(agents);
                }
                finally
                {
                    stopsDone.done();
                }
            }
        }
        return stopsDone.await(deadline); // a concurrent caller too: see StopsDone
    }

    /** Ends a dispatcher never started (its adapters were never started either). @return false if it was started. */
    public boolean closeUnstarted()
    {
        final boolean closed = control.compareAndSetRunState(Control.NEW, Control.TERMINATED);
        if (closed)
        {
            stopsDone.done(); // no adapter was started, so none is to be stopped
        }
        StrategyClaims.release(this);
        return closed;
    }

    private void advanceTo(final int state)
    {
        while (true)
        {
            final int current = control.runState;
            if (current == Control.NEW)
            {
                throw new IllegalStateException("dispatcher was never started: call start() first, or just drop it");
            }
            if (current >= state || control.compareAndSetRunState(current, state))
            {
                return;
            }
        }
    }

    // ---------------------------------------------------------------- observation (any thread)

    /** @return accepted tasks not yet terminal, across all lanes. */
    public int outstanding()
    {
        int sum = 0;
        for (final Lane lane : lanes)
        {
            sum += lane.outstanding();
        }
        return sum;
    }

    public long[] queueDepthByPriority()
    {
        final long[] depth = new long[Priority.COUNT];
        for (final Lane lane : lanes)
        {
            for (int level = 0; level < Priority.COUNT; level++)
            {
                depth[level] += lane.depth(level);
            }
        }
        return depth;
    }

    /** @return the agents in the fleet now (removed ones excluded), in registration order. */
    public List<AgentState> agents()
    {
        final List<AgentState> active = new ArrayList<>();
        for (final AgentState a : agents)
        {
            if (!a.removed)
            {
                active.add(a);
            }
        }
        return active;
    }

    public StageRecorders stages()
    {
        return stages;
    }

    public List<DeadLetter> deadLetters()
    {
        return deadLetters.snapshot();
    }

    public String strategyName()
    {
        return strategyName;
    }

    /** @return time from start to termination, or to now while running; rates computed from it stop changing at the end. */
    public long elapsedNanos()
    {
        if (startNanos == 0)
        {
            return 0;
        }
        final long stop = stopNanos;
        return (stop != 0 ? stop : System.nanoTime()) - startNanos;
    }

    public long accepted()
    {
        return counters.accepted.get();
    }

    public long completed()
    {
        return counters.completed.get();
    }

    public long deadLettered()
    {
        return counters.deadLettered.get();
    }

    public long expired()
    {
        return counters.expired.get();
    }

    public long cancelled()
    {
        return counters.cancelled.get();
    }

    public long retried()
    {
        return counters.retried.get();
    }

    public long stolen()
    {
        return counters.stolen.get();
    }

    public long timedOut()
    {
        return counters.timedOut.get();
    }

    public long ejections()
    {
        return counters.ejections.get();
    }

    /** @return per rate limit ("type:coder", "tenant:acme"), the time work waited because of it. */
    public Map<String, Long> rateLimitedNanos()
    {
        final long now = System.nanoTime();
        final Map<String, Long> out = new LinkedHashMap<>();
        for (final TokenBucket b : buckets)
        {
            out.put(b.limit.scope().name().toLowerCase(java.util.Locale.ROOT) + ":" + b.limit.name(), b.throttledNanosTotal(now));
        }
        return out;
    }

    /** @return the faults of plugins and callbacks contained so far (approximate while tasks flow). */
    public dev.ringmaster.metrics.FaultCounts faults()
    {
        return router.faults();
    }

    /** @return how the shadow strategy compared so far, or null if none runs (any thread; ordered counters). */
    public dev.ringmaster.metrics.ShadowStats shadow()
    {
        return router.shadowStats();
    }

    public long failedAttempts()
    {
        return counters.failedAttempts.get();
    }
}
