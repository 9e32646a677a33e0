package dev.ringmaster.autoscale;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Over random policies and random load traces, in virtual time: the pool never leaves [min, max] and nothing is lost. */
class AutoscalingPropertiesTest
{
    @Property(tries = 150)
    void thePoolStaysWithinItsBoundsAndEveryTaskIsAccountedFor(
        @ForAll @IntRange(min = 0, max = 4) final int min,
        @ForAll @IntRange(min = 0, max = 12) final int extra,
        @ForAll @DoubleRange(min = 0.0, max = 0.7) final double down,
        @ForAll @DoubleRange(min = 0.05, max = 1.5) final double gap,
        @ForAll @IntRange(min = 1, max = 4) final int consecutive,
        @ForAll @IntRange(min = 0, max = 8) final int upCooldownSeconds,
        @ForAll @IntRange(min = 0, max = 15) final int downCooldownSeconds,
        @ForAll @IntRange(min = 1, max = 5) final int step,
        @ForAll final boolean registeredRemovable,
        @ForAll @IntRange(min = 1, max = 6) final int capacity,
        @ForAll @Size(min = 1, max = 6) final List<@DoubleRange(min = 0.0, max = 8.0) Double> loadPerSegment,
        @ForAll final long seed)
    {
        final ScalingPolicy policy = ScalingPolicy.builder().min(min).max(Math.max(1, min + extra))
            .scaleDownThreshold(down).scaleUpThreshold(down + gap).consecutiveEvaluations(consecutive)
            .scaleUpCooldown(Duration.ofSeconds(upCooldownSeconds)).scaleDownCooldown(Duration.ofSeconds(downCooldownSeconds))
            .step(step).removeRegisteredAgents(registeredRemovable).build();
        final int segmentTicks = 300;
        final Simulation sim = new Simulation(policy, new SimFleet(capacity, 8, seed).register(min), 10)
            .run(loadPerSegment.size() * segmentTicks / 10 + 100,
                t -> t / segmentTicks < loadPerSegment.size() ? loadPerSegment.get((int)(t / segmentTicks)) : 0.0);

        assertThat(sim.steps()).as(policy.toString()).allMatch(s ->
            s.poolAfter() >= policy.min() && s.poolAfter() <= policy.max() &&
            s.decision().poolSizeAfter() == s.poolAfter());
        final SimFleet fleet = sim.fleet();
        assertThat(fleet.arrived()).isEqualTo(fleet.completed() + fleet.queue() + fleet.busy());
        assertThat(fleet.departed()).doesNotHaveDuplicates();
    }
}
