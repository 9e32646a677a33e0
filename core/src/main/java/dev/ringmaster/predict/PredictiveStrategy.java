package dev.ringmaster.predict;

import dev.ringmaster.spi.AgentPool;
import dev.ringmaster.spi.Candidates;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.RoutingStrategy;
import dev.ringmaster.spi.TaskView;

import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * A routing strategy with pre-routing on top: the inner strategy decides, then {@link PreRouting#preferWarm} may move
 * a task of a predicted key to an agent that holds the key warm, and the chosen agent is noted warm for the key. Called
 * by the routing role's holder, one thread at a time, like any strategy; allocation-free except on pool changes. The
 * inner strategy is asked through its candidate list, so an {@code IndexedRoutingStrategy} loses its index here.
 */
public final class PredictiveStrategy implements RoutingStrategy
{
    /** The suffix of the name: "skill-based+predictive". */
    public static final String SUFFIX = "+predictive";

    private final RoutingStrategy inner;
    private final PreRouting preRouting;
    private final String name;
    private final LongSupplier clock;
    /** Pool position by agent index, learnt from pool changes; null until the first (then index = position). */
    private int[] positions;

    /** @param clock the clock of {@code TaskView.acceptedNanos()}: {@code System::nanoTime} live, virtual time simulated. */
    public PredictiveStrategy(final RoutingStrategy inner, final PreRouting preRouting, final LongSupplier clock)
    {
        this.clock = java.util.Objects.requireNonNull(clock, "clock");
        this.inner = java.util.Objects.requireNonNull(inner, "inner strategy");
        this.preRouting = java.util.Objects.requireNonNull(preRouting, "pre-routing");
        this.name = inner.name() + SUFFIX;
    }

    @Override
    public String name()
    {
        return name;
    }

    /**
     * The inner strategy's: it decides every task and pre-routing only moves some of them, which the name's
     * {@link #SUFFIX} records; the SPI's default of 1 put every wrapped rule in the journal as version 1.
     */
    @Override
    public int version()
    {
        return inner.version();
    }

    public RoutingStrategy inner()
    {
        return inner;
    }

    @Override
    public int select(final TaskView task, final Candidates candidates, final RoutingDecision decision)
    {
        final int chosen = inner.select(task, candidates, decision);
        final int routed = preRouting.preferWarm(task, candidates, chosen, positions, clock.getAsLong());
        if (routed >= 0 && routed < candidates.size())
        {
            preRouting.assigned(candidates.get(routed), task);
        }
        return routed;
    }

    @Override
    public void onPoolChanged(final AgentPool pool)
    {
        inner.onPoolChanged(pool);
        int[] p = positions;
        for (int i = 0; i < pool.size(); i++)
        {
            final int index = pool.agent(i).index();
            if (p == null || index >= p.length)
            {
                final int[] grown = new int[Math.max(16, index * 2 + 2)];
                Arrays.fill(grown, -1);
                if (p != null)
                {
                    System.arraycopy(p, 0, grown, 0, p.length);
                }
                p = grown;
            }
            p[index] = i;
        }
        positions = p;
    }

    @Override
    public void onAssigned(final AgentPool pool, final int position, final TaskView task)
    {
        inner.onAssigned(pool, position, task);
    }

    @Override
    public void onReleased(final AgentPool pool, final int position, final TaskView task)
    {
        inner.onReleased(pool, position, task);
    }

    @Override
    public void onTelemetry(final AgentPool pool, final int position)
    {
        inner.onTelemetry(pool, position);
    }
}
