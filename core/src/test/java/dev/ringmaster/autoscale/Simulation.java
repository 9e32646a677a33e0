package dev.ringmaster.autoscale;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongToDoubleFunction;

/**
 * Drives {@link ScalingDecider#decide} against a {@link SimFleet} in virtual time: a fixed number of ticks per
 * evaluation, the decision applied at once, every evaluation recorded. Single-threaded, no clock but its own.
 */
final class Simulation
{
    /** Virtual length of one tick. */
    static final long TICK_NANOS = 100_000_000L;

    private final ScalingPolicy policy;
    private final SimFleet fleet;
    private final int ticksPerEvaluation;
    private final List<Step> steps = new ArrayList<>();
    private ScalingState state = ScalingState.initial();
    private long tick;

    Simulation(final ScalingPolicy policy, final SimFleet fleet, final int ticksPerEvaluation)
    {
        this.policy = policy;
        this.fleet = fleet;
        this.ticksPerEvaluation = ticksPerEvaluation;
    }

    /** @return the time between evaluations. */
    Duration interval()
    {
        return Duration.ofNanos(TICK_NANOS * ticksPerEvaluation);
    }

    /**
     * Runs evaluations under a load given per tick.
     *
     * @param evaluations how many.
     * @param load        arrivals per tick, as a function of the tick number since the start of the simulation.
     * @return this.
     */
    Simulation run(final int evaluations, final LongToDoubleFunction load)
    {
        for (int e = 0; e < evaluations; e++)
        {
            for (int t = 0; t < ticksPerEvaluation; t++)
            {
                fleet.tick(load.applyAsDouble(tick++));
            }
            final long now = tick * TICK_NANOS;
            final Decision decision = ScalingDecider.decide(
                policy, state, fleet.observe(policy.removeRegisteredAgents()), now);
            state = decision.next();
            fleet.apply(decision, policy.removeRegisteredAgents());
            steps.add(new Step(steps.size(), now, decision, fleet.pool()));
        }
        return this;
    }

    /** @return every evaluation so far, in order. */
    List<Step> steps()
    {
        return steps;
    }

    /** @return the number of evaluations so far; the next one has this index. */
    int evaluations()
    {
        return steps.size();
    }

    SimFleet fleet()
    {
        return fleet;
    }

    /**
     * One evaluation.
     *
     * @param index     evaluation number from 0.
     * @param nanos     virtual time.
     * @param decision  what the decider said.
     * @param poolAfter pool size once the decision was carried out.
     */
    record Step(int index, long nanos, Decision decision, int poolAfter)
    {
        boolean changed()
        {
            return decision.action() != Decision.Action.HOLD;
        }
    }
}
