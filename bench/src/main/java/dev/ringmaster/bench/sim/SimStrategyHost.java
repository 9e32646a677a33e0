package dev.ringmaster.bench.sim;

import dev.ringmaster.model.Task;
import dev.ringmaster.predict.PredictiveStrategy;
import dev.ringmaster.spi.IndexedRoutingStrategy;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.RoutingStrategy;
import dev.ringmaster.spi.TaskView;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks a plugin's strategy as the dispatcher does: {@code route} over the pool for a version 2 strategy, and the
 * callbacks (pool changed, assigned, released, telemetry) for any strategy; single-threaded, like the simulator.
 *
 * <p>Why only plugins: the built-in strategies are simulated through {@code select}, as the tables in bench/RESULTS.md
 * were made; it is the same rule as their {@code route} (for the score-ranked ones IndexedStrategyContractTest holds
 * the indexed pick to the scan's score; the sampling ones draw in another order, to the same law). A plugin's
 * {@code select} may be a stub, or read an index only its callbacks keep: simulated through {@code select} alone,
 * without callbacks, its figures were those of another strategy than the one the dispatcher runs.
 */
final class SimStrategyHost
{
    private static final Logger LOG = LoggerFactory.getLogger(SimStrategyHost.class);
    /** The package of the built-in strategies, which the simulator asks through {@code select} alone. */
    private static final String BUILT_IN = "dev.ringmaster.plugins.routing.";
    /** What {@link #select} returns for a position that is not eligible; the simulator reports it and falls back. */
    static final int NOT_ELIGIBLE = Integer.MIN_VALUE;
    /** The choice the simulator takes for a quarantined strategy, which it is not asked: the fallback's, reported. */
    static final int QUARANTINED = Integer.MIN_VALUE + 1;
    /** The router's: faults in a row before a strategy is set aside, and for how long. */
    static final int QUARANTINE_AFTER_FAULTS = 16;
    static final long QUARANTINE_NANOS = 10_000_000_000L;

    private final RoutingStrategy strategy;
    private final IndexedRoutingStrategy indexed;
    private final SimPool pool;
    private final SimCandidates candidates;
    /** Callbacks that threw: logged the first time, as the router logs them, and not counted as failed decisions. */
    private long faults;
    /** Faults (decisions and callbacks) since the last decision that did not fail, as the router counts them. */
    private int faultsInARow;
    /** While quarantined, until this simulated time: the fallback decides and the strategy hears nothing. */
    private boolean quarantined;
    private long quarantinedUntil;
    /** Whether the strategy must hear of the pool before its next call: at first, and after a callback threw. */
    private boolean announce = true;
    private int lastPosition;
    private final SimTask told = new SimTask();

    SimStrategyHost(final RoutingStrategy strategy, final SimAgent[] agents, final SimCandidates candidates)
    {
        this.strategy = strategy;
        this.indexed = strategy instanceof IndexedRoutingStrategy i ? i : null;
        this.pool = new SimPool(agents, candidates);
        this.candidates = candidates;
    }

    /** @return whether the simulator should host this strategy rather than call its {@code select} alone. */
    static boolean hosts(final RoutingStrategy strategy)
    {
        // pre-routing's wrapper is hosted as the strategy it wraps: a plugin's callbacks go through it, as in the
        // dispatcher (the wrapper is a version 1 strategy, so its select() is asked, there and here)
        final RoutingStrategy inner = strategy instanceof PredictiveStrategy p ? p.inner() : strategy;
        return !inner.getClass().getName().startsWith(BUILT_IN);
    }

    /**
     * @return the index among the candidates of the strategy's choice, {@link RoutingStrategy#DECLINE}, or
     *     {@link #NOT_ELIGIBLE} for a version 2 strategy's position that is no candidate ({@link #describe} says which).
     */
    int select(final TaskView task, final RoutingDecision decision, final long now)
    {
        announce(now);
        if (indexed == null)
        {
            return strategy.select(task, candidates, decision);
        }
        lastPosition = indexed.route(task, pool, decision);
        if (lastPosition == RoutingStrategy.DECLINE)
        {
            return RoutingStrategy.DECLINE;
        }
        return pool.isEligible(lastPosition) ? candidates.candidateIndexOf(lastPosition) : NOT_ELIGIBLE;
    }

    /** @return what was wrong with the choice {@link #select} returned: the router's own wording. */
    String describe(final int chosen)
    {
        if (chosen == QUARANTINED)
        {
            return "was quarantined after " + QUARANTINE_AFTER_FAULTS + " faults in a row (its decisions or callbacks " +
                "threw; " + faults + " callback fault(s) so far), so the fallback decided, as the dispatcher's would";
        }
        return chosen == NOT_ELIGIBLE ? "returned position " + lastPosition + ", which is not eligible (pool of " +
            pool.size() + ")" : "returned index " + chosen + " for " + candidates.size() + " candidates";
    }

    /**
     * @return whether the strategy is quarantined at {@code now}: as in the router, {@value #QUARANTINE_AFTER_FAULTS}
     *     faults in a row set it aside for {@value #QUARANTINE_NANOS} ns of simulated time, the fallback deciding
     *     meanwhile and the strategy told nothing; after it, the strategy hears of the whole pool again. Why: a strategy
     *     whose callbacks kept throwing was ranked by its own decisions, where the dispatcher runs the fallback's.
     */
    boolean quarantined(final long now)
    {
        if (quarantined && now - quarantinedUntil >= 0)
        {
            quarantined = false;
            announce = true;
        }
        return quarantined;
    }

    /** A decision the strategy made without a fault: the count of faults in a row starts again. */
    void decided()
    {
        faultsInARow = 0;
    }

    /** A decision of the strategy's failed (it threw, or answered out of range) at {@code now}. */
    void failed(final long now)
    {
        if (++faultsInARow >= QUARANTINE_AFTER_FAULTS)
        {
            faultsInARow = 0;
            quarantined = true;
            quarantinedUntil = now + QUARANTINE_NANOS;
        }
    }

    /** The task (its sequence 1-based, as the simulator's decisions number it) was placed on the agent at {@code now}. */
    void assigned(final int position, final Task task, final long arrival, final long sequence, final long now)
    {
        told.set(task, arrival, sequence);
        tell(0, position, told, now);
    }

    /**
     * The task ended on {@code executed} (a thief, or its owner): the owner, which it was assigned to, is released, and
     * the agent that ran it has a new latency sample, as the dispatcher's fold of a completion tells a strategy.
     */
    void completed(final int owner, final int executed, final Task task, final long arrival, final long sequence,
                   final long now)
    {
        told.set(task, arrival, sequence);
        tell(1, owner, told, now);
        tell(2, executed, null, now);
    }

    private void tell(final int event, final int position, final TaskView task, final long now)
    {
        if (quarantined(now))
        {
            return;
        }
        announce(now);
        try
        {
            switch (event)
            {
                case 0 -> strategy.onAssigned(pool, position, task);
                case 1 -> strategy.onReleased(pool, position, task);
                default -> strategy.onTelemetry(pool, position);
            }
        }
        catch (final Throwable e)
        {
            // as the router: the strategy's index may have missed the event, so it hears of the whole pool again
            fault(event == 0 ? "onAssigned" : event == 1 ? "onReleased" : "onTelemetry", e, now);
            announce = true;
        }
    }

    private void announce(final long now)
    {
        if (announce)
        {
            announce = false;
            try
            {
                strategy.onPoolChanged(pool);
            }
            catch (final Throwable e)
            {
                fault("onPoolChanged", e, now);
                announce = true; // as the router: announced again before the next event
            }
        }
    }

    private void fault(final String callback, final Throwable e, final long now)
    {
        failed(now);
        if (faults++ == 0)
        {
            LOG.warn("simulated strategy '{}': {} threw {}; the simulator tells it the whole pool again before its next " +
                "call, as the dispatcher does (only the first callback fault of a run is logged)", strategy.name(),
                callback, e.toString());
        }
    }
}
