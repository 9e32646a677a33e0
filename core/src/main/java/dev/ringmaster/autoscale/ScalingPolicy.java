package dev.ringmaster.autoscale;

import java.time.Duration;

/**
 * How one agent type's pool grows and shrinks; immutable and thread-safe, validated when built.
 *
 * <p>Utilization of a type is {@code (sum of in flight + central queue depth) / (sum of capacity)}. The queue counts
 * because the dispatcher binds late: an agent's inbox holds at most its capacity plus a small prefetch and the rest
 * waits centrally, so in flight alone saturates at capacity and hides a backlog of any size. With the queue, a
 * utilization of 3 means "three times the work the pool can hold", and thresholds above 1 make sense.
 *
 * <p>Rules, evaluated by {@link ScalingDecider#decide} once per evaluation:
 * <ul>
 *   <li><b>bounds</b>: the pool (agents not being removed, including those being added) is never taken above
 *       {@code max} nor below {@code min}; below {@code min} it is refilled at once, without hysteresis or
 *       cooldown;</li>
 *   <li><b>hysteresis</b>: a scale-up needs utilization strictly above {@code scaleUpThreshold} for
 *       {@code consecutiveEvaluations} evaluations in a row, a scale-down strictly below {@code scaleDownThreshold};
 *       a change resets both counts, so the next one is judged on the new pool;</li>
 *   <li><b>cooldowns</b>: after a scale-up, no change of either kind for {@code scaleUpCooldown} (new agents need time
 *       to take load before the measure means anything); a scale-down also waits {@code scaleDownCooldown} after any
 *       change. A scale-down does not delay a scale-up: a rising load is answered after hysteresis alone;</li>
 *   <li><b>step</b>: one change adds or removes at most {@code step} agents;</li>
 *   <li><b>no self-inflicted scale-up</b>: an agent is removed only if the rest of the pool, at the highest demand
 *       sampled in the last {@code scaleDownCooldown}, would have been at most midway between the two thresholds
 *       ({@code peak demand / remaining capacity <= (up + down) / 2}); so a load that fluctuates around the
 *       scale-down threshold does not shrink the pool into reach of the scale-up one (a stabilization window, as
 *       Kubernetes' autoscaler has for scale-down). Fewer than {@code step} agents may go if only they pass;</li>
 *   <li><b>ownership</b>: only agents the autoscaler added are removed, least loaded first, unless
 *       {@code removeRegisteredAgents} is set; so the floor of the pool is {@code max(min, agents the embedder
 *       registered)}. The embedder's agents may carry state or credentials that a factory cannot re-create.</li>
 * </ul>
 *
 * <p><b>Bound on growth.</b> Let {@code N = consecutiveEvaluations}, {@code I = interval},
 * {@code K = max(N, ceil(scaleUpCooldown / I))}. After a step in load, if utilization stays above
 * {@code scaleUpThreshold} while the pool is smaller than {@code needed} and the factory does not fail, the pool
 * reaches {@code target = min(needed, max)} within {@code ceil((target - current) / step) * K} evaluations: the first
 * scale-up comes at most {@code K} evaluations after the step (N to build the count, or what is left of an earlier
 * cooldown) and each following one exactly {@code K} after the previous (the count restarts from zero and the
 * cooldown runs at the same time). See {@link #evaluationsToGrow}.
 *
 * <p><b>Bound on shrinking.</b> Once the type is idle (nothing in flight or queued) from some evaluation on, the pool
 * reaches its floor within {@code max(F + (R - 1) * D, W - 1 + R * D)} evaluations, counting that one as the first,
 * where {@code R = ceil((pool - floor) / step)}, {@code D = max(N, ceil(scaleDownCooldown / I))} (the spacing of
 * removals), {@code F = max(N, ceil(max(scaleUpCooldown, scaleDownCooldown) / I))} (the first one) and
 * {@code W = ceil(scaleDownCooldown / I)} (until the demand window has forgotten the load): before the window has,
 * the rule above may let only part of a step go, and that partial removal restarts the cooldown. See
 * {@link #evaluationsToShrink}.
 *
 * <p><b>No flapping.</b> An agent is never removed sooner than {@code max(scaleUpCooldown, scaleDownCooldown)} after
 * a scale-up, nor while the recent peak demand would put the smaller pool above the middle of the band.
 */
public final class ScalingPolicy
{
    private final int min;
    private final int max;
    private final double scaleUpThreshold;
    private final double scaleDownThreshold;
    private final long scaleUpCooldownNanos;
    private final long scaleDownCooldownNanos;
    private final int consecutiveEvaluations;
    private final int step;
    private final boolean removeRegisteredAgents;

    private ScalingPolicy(final Builder b)
    {
        this.min = b.min;
        this.max = b.max;
        this.scaleUpThreshold = b.scaleUpThreshold;
        this.scaleDownThreshold = b.scaleDownThreshold;
        this.scaleUpCooldownNanos = b.scaleUpCooldown.toNanos();
        this.scaleDownCooldownNanos = b.scaleDownCooldown.toNanos();
        this.consecutiveEvaluations = b.consecutiveEvaluations;
        this.step = b.step;
        this.removeRegisteredAgents = b.removeRegisteredAgents;
    }

    /**
     * @return a builder with defaults: min 1, max 10, scale up above 0.8, down below 0.3, 2 consecutive evaluations,
     *     30 s cooldown after a scale-up, 60 s before a scale-down, step 1, only its own agents removed.
     */
    public static Builder builder()
    {
        return new Builder();
    }

    /** @return the fewest agents the pool keeps. */
    public int min()
    {
        return min;
    }

    /** @return the most agents the pool ever has, those being added included. */
    public int max()
    {
        return max;
    }

    /** @return utilization strictly above which the pool grows. */
    public double scaleUpThreshold()
    {
        return scaleUpThreshold;
    }

    /** @return utilization strictly below which the pool shrinks. */
    public double scaleDownThreshold()
    {
        return scaleDownThreshold;
    }

    /** @return time after a scale-up during which nothing changes, nanoseconds. */
    public long scaleUpCooldownNanos()
    {
        return scaleUpCooldownNanos;
    }

    /** @return time after any change before the pool may shrink, nanoseconds. */
    public long scaleDownCooldownNanos()
    {
        return scaleDownCooldownNanos;
    }

    /** @return evaluations in a row a condition must hold before the pool changes. */
    public int consecutiveEvaluations()
    {
        return consecutiveEvaluations;
    }

    /** @return the most agents one change adds or removes. */
    public int step()
    {
        return step;
    }

    /** @return true if agents the embedder registered may be removed too, not only those the autoscaler added. */
    public boolean removeRegisteredAgents()
    {
        return removeRegisteredAgents;
    }

    /**
     * @param current  the pool size when the load stepped up.
     * @param needed   the smallest pool under which utilization would no longer exceed the scale-up threshold.
     * @param interval time between evaluations.
     * @return the most evaluations after the step until the pool holds {@code min(needed, max)} agents, under the
     *     conditions stated in the class comment; 0 if it already does.
     */
    public long evaluationsToGrow(final int current, final int needed, final Duration interval)
    {
        final int target = Math.min(needed, max);
        if (current >= target)
        {
            return 0;
        }
        final long k = Math.max(consecutiveEvaluations, ceilDiv(scaleUpCooldownNanos, positive(interval)));
        return ceilDiv(target - current, step) * k;
    }

    /**
     * @param current  the pool size at the first idle evaluation.
     * @param floor    the smallest pool the policy can reach: {@code max(min, agents it may not remove)}.
     * @param interval time between evaluations.
     * @return the most evaluations, counting the first idle one, until the pool holds {@code floor} agents while the
     *     type stays idle; 0 if it already does.
     */
    public long evaluationsToShrink(final int current, final int floor, final Duration interval)
    {
        if (current <= floor)
        {
            return 0;
        }
        final long i = positive(interval);
        final long removals = ceilDiv(current - floor, step);
        final long window = ceilDiv(scaleDownCooldownNanos, i);
        final long spacing = Math.max(consecutiveEvaluations, window);
        final long first = Math.max(consecutiveEvaluations,
            ceilDiv(Math.max(scaleUpCooldownNanos, scaleDownCooldownNanos), i));
        return Math.max(first + (removals - 1) * spacing, window - 1 + removals * spacing);
    }

    private static long positive(final Duration interval)
    {
        if (interval.isNegative() || interval.isZero())
        {
            throw new IllegalArgumentException("evaluation interval must be positive, got " + interval);
        }
        return interval.toNanos();
    }

    private static long ceilDiv(final long a, final long b)
    {
        return -Math.floorDiv(-a, b);
    }

    @Override
    public String toString()
    {
        return "ScalingPolicy{min=" + min + ", max=" + max + ", up>" + scaleUpThreshold + ", down<" +
            scaleDownThreshold + ", for " + consecutiveEvaluations + " evaluations, cooldown up " +
            Duration.ofNanos(scaleUpCooldownNanos) + " down " + Duration.ofNanos(scaleDownCooldownNanos) +
            ", step " + step + (removeRegisteredAgents ? ", may remove registered agents" : "") + '}';
    }

    /** Collects and validates the fields of a {@link ScalingPolicy}; not thread-safe. */
    public static final class Builder
    {
        private int min = 1;
        private int max = 10;
        private double scaleUpThreshold = 0.8;
        private double scaleDownThreshold = 0.3;
        private Duration scaleUpCooldown = Duration.ofSeconds(30);
        private Duration scaleDownCooldown = Duration.ofSeconds(60);
        private int consecutiveEvaluations = 2;
        private int step = 1;
        private boolean removeRegisteredAgents;

        private Builder()
        {
        }

        /**
         * Fewest agents; 0 lets an idle type have no agent (its tasks then wait until one is added). The dispatcher must
         * know the type for that: register the factory with {@code Dispatcher.builder().agentFactory(...)} too, or a
         * type it never had an agent of is refused as UNKNOWN_AGENT_TYPE, and the autoscaler never sees its demand.
         */
        public Builder min(final int min)
        {
            this.min = min;
            return this;
        }

        /** Most agents, those being added included; at least 1 and at least {@code min}. */
        public Builder max(final int max)
        {
            this.max = max;
            return this;
        }

        /** Utilization strictly above which the pool grows; positive, may exceed 1 (the queue counts). */
        public Builder scaleUpThreshold(final double threshold)
        {
            this.scaleUpThreshold = threshold;
            return this;
        }

        /** Utilization strictly below which the pool shrinks; at least 0 and below the scale-up threshold. */
        public Builder scaleDownThreshold(final double threshold)
        {
            this.scaleDownThreshold = threshold;
            return this;
        }

        /** Time after a scale-up during which nothing changes; zero or more. */
        public Builder scaleUpCooldown(final Duration cooldown)
        {
            this.scaleUpCooldown = cooldown;
            return this;
        }

        /** Time after any change before the pool may shrink; zero or more. */
        public Builder scaleDownCooldown(final Duration cooldown)
        {
            this.scaleDownCooldown = cooldown;
            return this;
        }

        /** Evaluations in a row a condition must hold before the pool changes; 1 means react at once. */
        public Builder consecutiveEvaluations(final int evaluations)
        {
            this.consecutiveEvaluations = evaluations;
            return this;
        }

        /** Most agents one change adds or removes; at least 1. */
        public Builder step(final int step)
        {
            this.step = step;
            return this;
        }

        /** Lets the autoscaler remove agents the embedder registered, not only its own (off by default). */
        public Builder removeRegisteredAgents(final boolean allowed)
        {
            this.removeRegisteredAgents = allowed;
            return this;
        }

        /**
         * @return the policy.
         * @throws IllegalArgumentException naming every field that is out of range and what it must be.
         */
        public ScalingPolicy build()
        {
            final StringBuilder errors = new StringBuilder();
            if (min < 0)
            {
                errors.append("; min must be >= 0, got ").append(min);
            }
            if (max < 1)
            {
                errors.append("; max must be >= 1, got ").append(max);
            }
            if (min > max)
            {
                errors.append("; min (").append(min).append(") must not exceed max (").append(max).append(')');
            }
            if (!(scaleUpThreshold > 0) || Double.isInfinite(scaleUpThreshold))
            {
                errors.append("; scale-up threshold must be a positive finite utilization, got ").append(scaleUpThreshold);
            }
            if (!(scaleDownThreshold >= 0) || Double.isInfinite(scaleDownThreshold))
            {
                errors.append("; scale-down threshold must be a finite utilization >= 0, got ").append(scaleDownThreshold);
            }
            if (scaleDownThreshold >= scaleUpThreshold)
            {
                errors.append("; thresholds are inverted: scale-down (").append(scaleDownThreshold)
                    .append(") must be below scale-up (").append(scaleUpThreshold)
                    .append("), or the pool would grow and shrink on the same load");
            }
            if (scaleUpCooldown == null || scaleUpCooldown.isNegative())
            {
                errors.append("; scale-up cooldown must be zero or positive, got ").append(scaleUpCooldown);
            }
            if (scaleDownCooldown == null || scaleDownCooldown.isNegative())
            {
                errors.append("; scale-down cooldown must be zero or positive, got ").append(scaleDownCooldown);
            }
            if (consecutiveEvaluations < 1)
            {
                errors.append("; consecutive evaluations must be >= 1, got ").append(consecutiveEvaluations);
            }
            if (step < 1)
            {
                errors.append("; step must be >= 1 agent, got ").append(step);
            }
            if (errors.length() > 0)
            {
                throw new IllegalArgumentException("invalid scaling policy: " + errors.substring(2));
            }
            return new ScalingPolicy(this);
        }
    }
}
