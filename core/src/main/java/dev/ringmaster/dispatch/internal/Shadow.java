package dev.ringmaster.dispatch.internal;

import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.RoutingStrategy;

/**
 * A shadow strategy: a second strategy instance that decides on every routing decision of the live strategy, on the
 * same pool at the same instant, without acting, and is compared with it where the live one placed the task; routing
 * role only. It keeps its own {@link Selection} (candidate list, pool
 * view, decision, announced pools), so it never touches the live strategy's state, and whatever it throws is
 * contained there and counted as a shadow fault (after 16 in a row it is quarantined, like a live strategy).
 *
 * <p>Callbacks: a shadow is told of the live assignments and releases (onAssigned, onReleased, onTelemetry,
 * onPoolChanged), never of its own picks, which do not happen: the load it sees and indexes is the real one, so each of
 * its decisions is the one it would make in the live strategy's place right now.
 *
 * <p>Regret: the expected completion time of the task on the shadow's pick minus that on the live pick, each
 * {@code expectedFreeNanos + expectedLatencyNanos} of {@link AgentView}, the latency of an agent not yet measured
 * taken from the other agent's, scaled by their declared speeds; not estimated (and not counted) while neither agent is
 * measured. Positive regret means the shadow would have been slower.
 */
final class Shadow
{
    final String name;
    final Selection selection;
    private final Counters counters;
    /** The last decision's pick, null if the shadow declined or failed; its regret, NaN if not estimated. */
    AgentState lastPick;
    double lastRegretNanos = Double.NaN;

    Shadow(final Router router, final RoutingStrategy strategy, final Counters counters)
    {
        this.name = strategy.name();
        this.counters = counters;
        this.selection = Selection.forShadow(router, strategy, this);
    }

    /**
     * Lets the shadow decide on the task the live strategy just placed on {@code live} (null: declined, and then the
     * decision is not compared), and scores the difference.
     */
    Shadow decide(final Lane lane, final TaskRecord r, final long now, final AgentState live)
    {
        AgentState pick;
        try
        {
            pick = selection.route(lane, r, now);
        }
        catch (final Throwable e)
        {
            // the strategy's own faults are contained in the selection; this is a bug of ours, still not the live one's
            failed();
            pick = null;
        }
        lastPick = pick;
        if (live == null)
        {
            return this;
        }
        Counters.increment(counters.shadowDecisions);
        if (pick == null)
        {
            lastRegretNanos = Double.NaN;
            return this;
        }
        if (pick == live)
        {
            Counters.increment(counters.shadowAgreements);
            lastRegretNanos = 0;
        }
        else
        {
            lastRegretNanos = regretNanos(live, pick);
        }
        if (!Double.isNaN(lastRegretNanos))
        {
            Counters.increment(counters.shadowRegretSamples);
            counters.shadowRegretNanos.lazySet(counters.shadowRegretNanos.get() + Math.round(lastRegretNanos));
        }
        return this;
    }

    void failed()
    {
        Counters.increment(counters.shadowFaults);
    }

    /** @return the regret of sending the task to {@code pick} instead of {@code live}, in nanoseconds, or NaN. */
    static double regretNanos(final AgentView live, final AgentView pick)
    {
        double liveLatency = live.expectedLatencyNanos();
        double pickLatency = pick.expectedLatencyNanos();
        if (liveLatency <= 0 && pickLatency <= 0)
        {
            return Double.NaN;
        }
        if (liveLatency <= 0)
        {
            liveLatency = pickLatency * pick.speed() / live.speed();
        }
        else if (pickLatency <= 0)
        {
            pickLatency = liveLatency * live.speed() / pick.speed();
        }
        return completionNanos(pick, pickLatency) - completionNanos(live, liveLatency);
    }

    private static double completionNanos(final AgentView a, final double latencyNanos)
    {
        return AgentView.expectedFreeNanos(a.inFlight(), a.capacity(), latencyNanos) + latencyNanos;
    }
}
