package dev.ringmaster.autoscale;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A policy is refused with every problem named, and its stated bounds compute as documented. */
class ScalingPolicyTest
{
    @Test
    void refusesMinAboveMaxAndInvertedThresholdsNamingEachProblem()
    {
        assertThatThrownBy(() -> ScalingPolicy.builder().min(5).max(3).build())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("min (5) must not exceed max (3)");
        assertThatThrownBy(() -> ScalingPolicy.builder().scaleUpThreshold(0.3).scaleDownThreshold(0.8).build())
            .hasMessageContaining("thresholds are inverted: scale-down (0.8) must be below scale-up (0.3)");
        assertThatThrownBy(() -> ScalingPolicy.builder().scaleUpThreshold(0.5).scaleDownThreshold(0.5).build())
            .hasMessageContaining("inverted");
        assertThatThrownBy(() -> ScalingPolicy.builder().min(-1).max(0).step(0).consecutiveEvaluations(0)
            .scaleUpCooldown(Duration.ofSeconds(-1)).scaleDownCooldown(null).scaleUpThreshold(Double.NaN).build())
            .hasMessageContaining("min must be >= 0, got -1")
            .hasMessageContaining("max must be >= 1, got 0")
            .hasMessageContaining("step must be >= 1 agent, got 0")
            .hasMessageContaining("consecutive evaluations must be >= 1, got 0")
            .hasMessageContaining("scale-up cooldown must be zero or positive")
            .hasMessageContaining("scale-down cooldown must be zero or positive")
            .hasMessageContaining("scale-up threshold must be a positive finite utilization, got NaN");
        assertThatThrownBy(() -> ScalingPolicy.builder().scaleDownThreshold(-0.1).build())
            .hasMessageContaining("scale-down threshold must be a finite utilization >= 0");
    }

    @Test
    void acceptsThresholdsAboveOneBecauseTheQueueCounts()
    {
        final ScalingPolicy policy = ScalingPolicy.builder().min(0).max(1).scaleUpThreshold(2.5).scaleDownThreshold(1.0)
            .scaleUpCooldown(Duration.ZERO).scaleDownCooldown(Duration.ZERO).build();
        assertThat(policy.scaleUpThreshold()).isEqualTo(2.5);
        assertThat(policy.min()).isZero();
    }

    @Test
    void statesItsGrowthAndShrinkBounds()
    {
        final ScalingPolicy policy = ScalingPolicy.builder().min(2).max(20).consecutiveEvaluations(2)
            .scaleUpCooldown(Duration.ofSeconds(3)).scaleDownCooldown(Duration.ofSeconds(10)).step(2).build();
        final Duration second = Duration.ofSeconds(1);
        // K = max(2, 3 s / 1 s) = 3; ceil((10 - 2) / 2) = 4 scale-ups
        assertThat(policy.evaluationsToGrow(2, 10, second)).isEqualTo(12);
        // capped at max: ceil((20 - 2) / 2) = 9 scale-ups
        assertThat(policy.evaluationsToGrow(2, 60, second)).isEqualTo(27);
        assertThat(policy.evaluationsToGrow(10, 8, second)).isZero();
        // R = 4, D = max(2, 10) = 10, F = max(2, 10) = 10, W = 10: max(10 + 30, 9 + 40)
        assertThat(policy.evaluationsToShrink(10, 2, second)).isEqualTo(49);
        assertThat(policy.evaluationsToShrink(2, 2, second)).isZero();
        // with hysteresis slower than the cooldowns, hysteresis sets the pace
        final ScalingPolicy patient = ScalingPolicy.builder().min(1).max(9).consecutiveEvaluations(5)
            .scaleUpCooldown(Duration.ZERO).scaleDownCooldown(Duration.ZERO).step(1).build();
        assertThat(patient.evaluationsToGrow(1, 4, second)).isEqualTo(15);
        assertThat(patient.evaluationsToShrink(4, 1, second)).isEqualTo(15);
        assertThatThrownBy(() -> patient.evaluationsToGrow(1, 4, Duration.ZERO)).hasMessageContaining("interval");
    }
}
