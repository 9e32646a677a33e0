package dev.ringmaster.autoscale;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import static dev.ringmaster.autoscale.ScalingState.cooling;

/**
 * The scaling rules of {@link ScalingPolicy} as a pure function of state, observation and time; stateless and
 * thread-safe, so the same code runs in the {@link Autoscaler} and, tick by tick, in virtual time.
 */
public final class ScalingDecider
{
    private static final Comparator<Candidate> LEAST_LOADED_NEWEST_FIRST = Comparator
        .comparingDouble((Candidate c) -> c.agent.load())
        .thenComparing(Comparator.comparingInt((Candidate c) -> c.position).reversed());

    private ScalingDecider()
    {
    }

    /**
     * @param policy      the type's policy.
     * @param state       what the previous evaluation returned as {@link Decision#next()}, or {@link ScalingState#initial()}.
     * @param observation the type's pool and backlog now.
     * @param nowNanos    the time of this evaluation, on the clock the state's times were taken from.
     * @return what to do and why, and the state for the next evaluation.
     */
    public static Decision decide(
        final ScalingPolicy policy, final ScalingState state, final Observation observation, final long nowNanos)
    {
        int pool = 0;
        long capacity = 0;
        long inFlight = 0;
        for (final Observation.AgentLoad agent : observation.agents())
        {
            // an agent being removed keeps only the tasks it already runs: neither its capacity nor that work is the
            // remaining pool's, and its inbox has gone back to the central queue, which is counted below
            if (agent.status() != Observation.Status.DRAINING)
            {
                pool++;
                capacity += agent.capacity();
                inFlight += agent.inFlight();
            }
        }
        final long observed = inFlight + observation.queueDepth();
        // predicted arrivals count as demand ahead of their coming, both to grow the pool before a burst and to keep
        // it from shrinking just before one
        final boolean predicted = observation.predictedSlots() > observed;
        final long demand = predicted ? (long)Math.ceil(observation.predictedSlots()) : observed;
        final double utilization = utilization(demand, capacity);
        final ScalingState.DemandWindow window =
            state.recentDemand().with(nowNanos, demand, policy.scaleDownCooldownNanos());
        final String measure = String.format(Locale.ROOT, "utilization %.2f (%d in flight + %d queued%s over %d " +
            "slots)", utilization, inFlight, observation.queueDepth(), predicted ? String.format(Locale.ROOT,
            "; predicted arrivals will keep %.1f busy", observation.predictedSlots()) : "", capacity);

        if (pool < policy.min())
        {
            if (cooling(state.lastAddFailedNanos(), policy.scaleUpCooldownNanos(), nowNanos))
            {
                // a broken factory or a fleet out of quota would otherwise be retried, and logged, at every evaluation
                return hold("pool of " + pool + " is below its minimum of " + policy.min() + ", but the last " +
                    "addition failed " + millis(nowNanos - state.lastAddFailedNanos()) + " ago: retrying after the " +
                    "scale-up cooldown of " + millis(policy.scaleUpCooldownNanos()) + "; " + measure, utilization,
                    pool, new ScalingState(0, 0, state.lastUpNanos(), state.lastDownNanos(), window,
                    state.lastAddFailedNanos()));
            }
            final int add = policy.min() - pool;
            return new Decision(Decision.Action.ADD, add, List.of(),
                "pool of " + pool + " is below its minimum of " + policy.min() + ": adding " + add + "; " + measure,
                utilization, pool, new ScalingState(0, 0, nowNanos, state.lastDownNanos(),
                    window, state.lastAddFailedNanos()));
        }
        if (pool > policy.max())
        {
            final List<String> remove = pick(policy, observation, pool - policy.max(), 0, capacity, false);
            if (!remove.isEmpty())
            {
                return new Decision(Decision.Action.REMOVE, 0, remove,
                    "pool of " + pool + " is above its maximum of " + policy.max() + ": removing " + remove + "; " +
                    measure, utilization, pool, new ScalingState(0, 0, state.lastUpNanos(), nowNanos,
                        window, state.lastAddFailedNanos()));
            }
        }

        if (observation.paused())
        {
            // a paused type's backlog says nothing about its pool; counting starts afresh once it resumes
            return hold("the type is paused; " + measure, utilization, pool,
                new ScalingState(0, 0, state.lastUpNanos(), state.lastDownNanos(), window, state.lastAddFailedNanos()));
        }

        final int needed = policy.consecutiveEvaluations();
        // a confident prediction needs no run of evaluations to confirm it: acting early is its point
        final int above = utilization > policy.scaleUpThreshold() ?
            predicted ? Math.max(needed, state.aboveCount() + 1) : state.aboveCount() + 1 : 0;
        final int below = utilization < policy.scaleDownThreshold() ? state.belowCount() + 1 : 0;
        final ScalingState counted = new ScalingState(above, below, state.lastUpNanos(), state.lastDownNanos(), window,
            state.lastAddFailedNanos());

        if (above >= needed)
        {
            final String why = measure + String.format(Locale.ROOT, " above %.2f for %d evaluations",
                policy.scaleUpThreshold(), above);
            if (pool >= policy.max())
            {
                return hold(why + ", but the pool is at its maximum of " + policy.max(), utilization, pool, counted);
            }
            if (cooling(state.lastUpNanos(), policy.scaleUpCooldownNanos(), nowNanos))
            {
                return hold(why + ", cooling down after the scale-up " + millis(nowNanos - state.lastUpNanos()) +
                    " ago", utilization, pool, counted);
            }
            final int add = Math.min(policy.step(), policy.max() - pool);
            return new Decision(Decision.Action.ADD, add, List.of(),
                why + ": adding " + add + " (" + pool + " -> " + (pool + add) + ")",
                utilization, pool, new ScalingState(0, 0, nowNanos, state.lastDownNanos(),
                    window, state.lastAddFailedNanos()));
        }
        if (below >= needed)
        {
            final String why = measure + String.format(Locale.ROOT, " below %.2f for %d evaluations",
                policy.scaleDownThreshold(), below);
            if (pool <= policy.min())
            {
                return hold(why + ", but the pool is at its minimum of " + policy.min(), utilization, pool, counted);
            }
            if (cooling(state.lastUpNanos(), policy.scaleUpCooldownNanos(), nowNanos))
            {
                return hold(why + ", cooling down after the scale-up " + millis(nowNanos - state.lastUpNanos()) +
                    " ago", utilization, pool, counted);
            }
            if (cooling(state.lastChangeNanos(), policy.scaleDownCooldownNanos(), nowNanos))
            {
                return hold(why + ", waiting out the scale-down cooldown; last change " +
                    millis(nowNanos - state.lastChangeNanos()) + " ago", utilization, pool, counted);
            }
            final int most = Math.min(policy.step(), pool - policy.min());
            final List<String> remove = pick(policy, observation, most, window.peak(), capacity, true);
            if (remove.isEmpty())
            {
                return hold(why + ", but no agent may go: none is removable, or the rest would have been above the " +
                    "middle of the band at the peak demand of " + window.peak() + " in the last " +
                    millis(policy.scaleDownCooldownNanos()), utilization, pool, counted);
            }
            return new Decision(Decision.Action.REMOVE, 0, remove,
                why + ": removing " + remove + " (" + pool + " -> " + (pool - remove.size()) + ")",
                utilization, pool, new ScalingState(0, 0, state.lastUpNanos(), nowNanos,
                    window, state.lastAddFailedNanos()));
        }
        return hold(measure + " within the band", utilization, pool, counted);
    }

    /** @return demand over capacity; infinite when work waits for an empty pool. */
    static double utilization(final long demand, final long capacity)
    {
        if (capacity == 0)
        {
            return demand == 0 ? 0.0 : Double.POSITIVE_INFINITY;
        }
        return (double)demand / capacity;
    }

    /**
     * Picks up to {@code most} removable, live agents, least loaded first and, among equals, the newest first.
     * With {@code guard}, an agent is skipped if the rest would have been above the middle of the band at the peak.
     */
    private static List<String> pick(
        final ScalingPolicy policy,
        final Observation observation,
        final int most,
        final long peakDemand,
        final long capacity,
        final boolean guard)
    {
        final List<Candidate> candidates = new ArrayList<>();
        final List<Observation.AgentLoad> agents = observation.agents();
        for (int i = 0; i < agents.size(); i++)
        {
            final Observation.AgentLoad agent = agents.get(i);
            // a STARTING agent is not in the dispatcher yet and a DRAINING one is already going: neither is picked
            if (agent.removable() && agent.status() == Observation.Status.ACTIVE)
            {
                candidates.add(new Candidate(agent, i));
            }
        }
        candidates.sort(LEAST_LOADED_NEWEST_FIRST);
        // leaving the pool mid-band at the recent peak keeps it clear of both thresholds: a noisy load that merely
        // touched the scale-down threshold cannot push the smaller pool over the scale-up one
        final double ceiling = (policy.scaleUpThreshold() + policy.scaleDownThreshold()) / 2;
        final List<String> chosen = new ArrayList<>();
        long remaining = capacity;
        for (final Candidate candidate : candidates)
        {
            if (chosen.size() == most)
            {
                break;
            }
            final long left = remaining - candidate.agent.capacity();
            if (guard && !(utilization(peakDemand, left) <= ceiling))
            {
                continue;
            }
            chosen.add(candidate.agent.id());
            remaining = left;
        }
        return chosen;
    }

    private static Decision hold(final String reason, final double utilization, final int pool, final ScalingState next)
    {
        return new Decision(Decision.Action.HOLD, 0, List.of(), reason, utilization, pool, next);
    }

    private static String millis(final long nanos)
    {
        return (nanos / 1_000_000) + " ms";
    }

    private record Candidate(Observation.AgentLoad agent, int position)
    {
    }
}
