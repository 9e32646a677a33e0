package dev.ringmaster.bench.sim;

import dev.ringmaster.predict.PatternPredictor;
import dev.ringmaster.predict.PreRouting;
import dev.ringmaster.predict.Predictor;
import dev.ringmaster.predict.PredictiveStrategy;
import dev.ringmaster.predict.Warmer;
import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.RoutingStrategy;

import java.util.List;

/**
 * Pre-routing in a simulation: the live dispatcher's {@link PreRouting} and {@link PredictiveStrategy} with the
 * built-in {@link PatternPredictor}, trained online from the simulated arrivals as the dispatcher trains it from the
 * live stream, ticking every {@value #TICK_MILLIS} ms of virtual time; single-use and single-threaded, like its
 * {@link Simulator}.
 *
 * <p>Settings on the {@code periodic} scenario's compressed clock (an hour is 60 s): hourly buckets of a 24-hour day,
 * a recent rate over 10 s, a horizon of 30 s, the seed's threshold 0.7, a cold context priced at the fleet's
 * context-load time, and a task of a predicted key held up to 8 s (eight mean tasks) for its busy home agent when
 * the strategy's choice is busy too. A warm-up occupies one slot of an idle agent for the fleet's context-load time
 * and counts as context work, so the waste ratio pays for every warm-up, including those no task used. Steals ask pre-routing's guard, as a dispatcher
 * given {@code LivePreRouting.stealGuard()} does ({@link PreRouting#mayMove}).
 */
public final class SimPreRouting
{
    static final long TICK_MILLIS = 500;
    static final long HORIZON_NANOS = 30 * SimWorkload.MEAN_WORK;
    static final long HOLD_NANOS = 8 * SimWorkload.MEAN_WORK;
    static final long RECENT_NANOS = 10 * SimWorkload.MEAN_WORK;

    private final PreRouting preRouting;
    private final long tickNanos = TICK_MILLIS * 1_000_000L;
    private long nextTick;
    /** The simulator's virtual time, as of the last event. */
    private long now;
    private SimAgent[] agents;
    private List<AgentView> agentList;
    private Warmer warmer;
    private final SimTask stealView = new SimTask();
    private SimAgent stealVictim;
    private SimAgent stealThief;
    private TaskSource stealWorkload;
    private final java.util.function.IntPredicate stealCheck = this::mayMove;

    /** @param threshold act on predictions at or above this confidence (0.7 in the seed). */
    public SimPreRouting(final SimFleet fleet, final double threshold)
    {
        this(new PatternPredictor(PeriodicWorkload.HOUR_NANOS, 24, RECENT_NANOS), fleet, threshold);
    }

    /** With any predictor, e.g. a plugin's or one that throws (tests). */
    public SimPreRouting(final Predictor predictor, final SimFleet fleet, final double threshold)
    {
        this.preRouting = new PreRouting(predictor,
            new PreRouting.Settings(threshold, HORIZON_NANOS, fleet.warmSlots(), fleet.size(),
                fleet.contextLoadWork(), HOLD_NANOS), null, null);
    }

    /** @return the strategy with pre-routing on top, named {@code NAME+predictive}. */
    public RoutingStrategy wrap(final RoutingStrategy strategy)
    {
        return new PredictiveStrategy(strategy, preRouting, () -> now);
    }

    public PreRouting preRouting()
    {
        return preRouting;
    }

    void attach(final SimAgent[] agents, final Warmer warmer)
    {
        this.agents = agents;
        this.agentList = List.of(agents);
        this.warmer = warmer;
    }

    void arrived(final TaskSource workload, final int task)
    {
        final dev.ringmaster.model.Task t = workload.task(task);
        preRouting.observe(t.type(), t.affinityKey(), t.requiredSkills(), workload.arrival(task));
    }

    /** Runs every tick due by {@code now}. */
    void advanceTo(final long now)
    {
        this.now = now;
        while (nextTick <= now)
        {
            preRouting.tick(nextTick, agentList, warmer);
            nextTick += tickNanos;
        }
    }

    /**
     * @return the steal guard of pre-routing ({@link PreRouting#mayMove}) for one steal from {@code victim} by
     *     {@code thief}, as a task-index predicate; reused, valid until the next call.
     */
    java.util.function.IntPredicate stealCheck(final SimAgent victim, final SimAgent thief, final TaskSource workload)
    {
        stealVictim = victim;
        stealThief = thief;
        stealWorkload = workload;
        return stealCheck;
    }

    private boolean mayMove(final int task)
    {
        stealView.set(stealWorkload.task(task), stealWorkload.arrival(task), task + 1L);
        return preRouting.mayMove(stealView, stealVictim, stealThief);
    }

    SimAgent agent(final int index)
    {
        return agents[index];
    }
}
