package dev.ringmaster.dispatch.internal;

import dev.ringmaster.metrics.FaultLog;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Priority;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.AgentView;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Fleet changes and task commands as the dispatcher's callers ask for them, and views of the fleet: each change is
 * queued to the routing role, which applies it between duty cycles, so the dispatch path stays single-writer and
 * lock-free. Any thread.
 */
public final class FleetCommands
{
    private final Engine engine;

    FleetCommands(final Engine engine)
    {
        this.engine = engine;
    }

    /** Queues a fleet change for the router. @return its future, failed at once if the dispatcher is not running. */
    private <T> CompletableFuture<T> enqueue(final Command<T> command)
    {
        final int state = engine.control.runState;
        if (state != Control.RUNNING && state != Control.DRAINING &&
            (state != Control.STOPPING || !command.appliesWhileStopping())) // a crash while stopping: Command's javadoc
        {
            command.future.completeExceptionally(new IllegalStateException(
                "the dispatcher is not running (it is " + Control.nameOf(state) + "): fleet changes apply only while it " +
                    "runs; " + (state == Control.NEW ? "call start() first" : "a stopped dispatcher does not restart: build a new one")));
            return command.future;
        }
        engine.commands.offer(command);
        java.lang.invoke.VarHandle.fullFence(); // Dekker with termination: it sets TERMINATED, then fails what is queued
        if (engine.control.runState == Control.TERMINATED)
        {
            command.future.completeExceptionally(terminated());
            return command.future;
        }
        engine.role.request();
        return command.future;
    }

    /** Queues a command whose answer is what {@code query} returns on the routing role; for the rare fleet calls. */
    <T> CompletableFuture<T> ask(final Query<T> query)
    {
        return enqueue(command(query, false));
    }

    /** @return a command answering with what {@code query} returns, applied also while stopping if so asked. */
    private static <T> Command<T> command(final Query<T> query, final boolean whileStopping)
    {
        return new Command<>()
        {
            @Override
            void apply(final Router router, final long now)
            {
                future.complete(query.apply(router, now));
            }

            @Override
            boolean appliesWhileStopping()
            {
                return whileStopping;
            }
        };
    }

    /** What a command computes on the routing role's holder. */
    @FunctionalInterface
    interface Query<T>
    {
        T apply(Router router, long nowNanos);
    }

    /**
     * Starts the adapter on the caller's thread (start() may block; the routing role must not), then adds the agent;
     * an adapter that failed to start is not added, one that started but could not be added is stopped again.
     */
    public CompletableFuture<AgentView> addAgent(final AgentSpec spec, final AgentAdapter adapter)
    {
        return addAgent(spec, adapter, null);
    }

    /** As {@link #addAgent(AgentSpec, AgentAdapter)}; a crash under supervision goes to {@code onCrash} if not null. */
    public CompletableFuture<AgentView> addAgent(
        final AgentSpec spec, final AgentAdapter adapter, final dev.ringmaster.dispatch.CrashHandler onCrash)
    {
        final Throwable failed = AdapterLifecycle.start(adapter);
        if (failed != null)
        {
            return CompletableFuture.failedFuture(new IllegalStateException("agent '" + spec.id() +
                "' failed to start: " + FaultLog.describe(failed) + "; it was not added: fix it, then add it again", failed));
        }
        final CompletableFuture<AgentView> added = ask((router, now) ->
        {
            final AgentState agent = router.addAgent(spec, adapter);
            agent.crashHandler = onCrash;
            return agent;
        });
        added.whenCompleteAsync((view, error) ->
        {
            if (error != null)
            {
                AdapterLifecycle.stopQuietly(spec.id(), adapter);
            }
        });
        return added;
    }

    /**
     * Retires the agent; once none of its tasks is live (an attempt abandoned at its timeout does not count: its call
     * may return only once the adapter is stopped), stops its adapter off the routing role, then completes.
     */
    public CompletableFuture<AgentView> removeAgent(final String agentId)
    {
        return enqueue(new Command<AgentView>()
        {
            @Override
            void apply(final Router router, final long now)
            {
                router.retire(agentId, future, now);
            }
        }).thenApplyAsync(agent ->
        {
            if (((AgentState) agent).claimStop()) // not if a shutdownNow while it was leaving stopped it already
            {
                AdapterLifecycle.stopQuietly(agentId, ((AgentState) agent).adapter());
            }
            return agent;
        });
    }

    /**
     * Takes an agent out as crashed and, with supervision, has it restarted by its factory. Also while shutdownNow
     * stops the dispatcher (an agent may die then too, and termination waits for its attempts): then its running
     * attempts are cancelled at once, since nothing answers for a dead agent and nothing is retried while stopping.
     */
    public CompletableFuture<Boolean> crashAgent(final String agentId, final String reason)
    {
        return enqueue(new Command<>()
        {
            @Override
            void apply(final Router router, final long now)
            {
                future.complete(router.crash(agentId, reason, now));
            }

            @Override
            boolean appliesWhileStopping()
            {
                return true;
            }
        });
    }

    /**
     * The terminating thread, once the router thread and the workers have exited: fails the commands queued after the
     * router's last cycle (a crash reported as the last task ended), which would otherwise never complete.
     */
    void failLeftoverCommands()
    {
        Command<?> c;
        while ((c = engine.commands.relaxedPoll()) != null)
        {
            c.future.completeExceptionally(terminated());
        }
    }

    /** @return why a fleet change queued as the dispatcher terminated was not applied. */
    static IllegalStateException terminated()
    {
        return new IllegalStateException("the dispatcher terminated before it could apply this fleet change: nothing " +
            "is left to change");
    }

    /** The owner of a crashed agent will not add it again: tasks held for it are dead-lettered, saying why. */
    public CompletableFuture<Boolean> giveUpReplacement(final String agentId, final String reason)
    {
        return ask((router, now) -> router.fleet.giveUpReplacement(agentId, reason));
    }

    public CompletableFuture<Integer> setPaused(final String type, final boolean paused)
    {
        return ask((router, now) -> router.setPaused(type, paused));
    }

    public CompletableFuture<dev.ringmaster.dispatch.ReprioritizeOutcome> reprioritize(final long taskId, final Priority priority)
    {
        return askAboutTask((router, now) -> router.reprioritize(taskId, priority.ordinal(), now),
            dev.ringmaster.dispatch.ReprioritizeOutcome.NOT_FOUND);
    }

    public CompletableFuture<dev.ringmaster.dispatch.CancelOutcome> cancel(final long taskId)
    {
        return askAboutTask((router, now) -> router.cancel(taskId, now), dev.ringmaster.dispatch.CancelOutcome.NOT_FOUND);
    }

    /** @return completes with the agent id holding the task, "" if it waits centrally, null if unknown. */
    public CompletableFuture<String> whereIs(final long taskId)
    {
        return askAboutTask((router, now) -> router.whereIs(taskId), null);
    }

    /**
     * A question about one task: before start, once a stopping dispatcher has nothing outstanding, and after
     * termination no task is live, so the answer is the one for an unknown id, not a failure. Why: a caller cancelling
     * or looking up a task as the dispatcher ends (a timeout handler racing a close) would otherwise have to catch an
     * exception for what is only "it has ended". While shutdownNow still has tasks outstanding, the router answers.
     */
    private <T> CompletableFuture<T> askAboutTask(final Query<T> query, final T noneLive)
    {
        final int state = engine.control.runState;
        if (state == Control.NEW || state == Control.TERMINATED || (state == Control.STOPPING && engine.outstanding() == 0))
        {
            return CompletableFuture.completedFuture(noneLive);
        }
        // applied while stopping too: the router runs until the outstanding tasks end, and a question changes nothing
        return enqueue(command(query, true)).exceptionally(e ->
        {
            // queued as the dispatcher terminated (its last cycle had run): by then no task was live
            if (engine.control.runState == Control.TERMINATED)
            {
                return noneLive;
            }
            throw e instanceof java.util.concurrent.CompletionException c ? c : new java.util.concurrent.CompletionException(e);
        });
    }

    /** @return per agent type, tasks waiting centrally per priority (approximate while tasks flow). */
    public Map<String, long[]> queueDepthByType()
    {
        final Map<String, long[]> depth = new LinkedHashMap<>();
        for (final Lane lane : engine.lanes)
        {
            final long[] byLevel = new long[Priority.COUNT];
            for (int level = 0; level < Priority.COUNT; level++)
            {
                byLevel[level] = lane.depth(level);
            }
            depth.put(lane.type, byLevel);
        }
        return depth;
    }

    /** @return the agent types and whether each is paused. */
    public Map<String, Boolean> typesPaused()
    {
        final Map<String, Boolean> paused = new LinkedHashMap<>();
        for (final Lane lane : engine.lanes)
        {
            paused.put(lane.type, lane.paused);
        }
        return paused;
    }

    /** @return a human-readable dump of queues, room and engine.agents, for diagnosing a stuck or slow dispatcher. */
    public String describe()
    {
        final StringBuilder sb = new StringBuilder();
        sb.append("state=").append(Control.nameOf(engine.control.runState)).append(" outstanding=")
            .append(engine.outstanding()).append('\n');
        for (final Lane lane : engine.lanes)
        {
            sb.append("lane ").append(lane.type).append(" room=").append(lane.room).append(" depth=");
            for (int level = 0; level < Priority.COUNT; level++)
            {
                sb.append(lane.depth(level)).append(level < Priority.COUNT - 1 ? "/" : "");
            }
            sb.append('\n');
        }
        for (final AgentState a : engine.agents)
        {
            sb.append("  agent ").append(a.id()).append(" assigned=").append(a.assigned()).append(" running=")
                .append(a.running()).append(" inbox=").append(a.inbox.size()).append(" hung=").append(a.hungSlots())
                .append(" slots=");
            for (final Slot slot : a.slots)
            {
                // a letter per slot, read at a glance: Free, Running, Completing, Abandoned (given up at its timeout)
                sb.append("FRCA".charAt((int)Slot.phase(slot.stateVolatile())));
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
