package dev.ringmaster.dispatch;

import dev.ringmaster.dispatch.internal.DecisionProbe;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentView;

/**
 * Routes tasks one at a time through a dispatcher's real routing (its pool index, eligibility, strategy and the
 * strategy's callbacks) on the calling thread, with no thread started and no agent run: to measure a whole routing
 * decision, or to test a strategy against the pools the dispatcher builds. Single-threaded: one thread per probe.
 */
public final class RoutingProbe
{
    private final DecisionProbe probe;

    private RoutingProbe(final DecisionProbe probe)
    {
        this.probe = probe;
    }

    /** @return a probe over a dispatcher built from {@code builder} and never started (its agents never run). */
    public static RoutingProbe of(final Dispatcher.Builder builder)
    {
        return new RoutingProbe(DecisionProbe.of(builder.buildEngine(false)));
    }

    /**
     * Routes the task and counts it as assigned to the chosen agent (one more in flight, its tokens, the strategy told).
     *
     * @return the chosen agent, or null if none could take it now or the strategy declined.
     */
    public AgentView route(final Task task)
    {
        return probe.route(java.util.Objects.requireNonNull(task, "task must not be null: build one with Task.builder(type)"));
    }

    /** Releases one task {@link #route} assigned to {@code agent}, as if it had finished. */
    public void release(final AgentView agent, final Task task)
    {
        probe.release(agent, task);
    }
}
