package dev.ringmaster.autoscale;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.predict.PreRouting;
import dev.ringmaster.predict.Predictions;
import dev.ringmaster.predict.Predictor;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.AgentFactory;
import org.junit.jupiter.api.Test;

import java.io.DataInput;
import java.io.DataOutput;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The autoscaler takes pre-routing's capacity hint: a confidently predicted burst grows the pool before its tasks
 * arrive, keeps it from shrinking just before, and stops counting once the hint is stale. Virtual clock, evaluated by
 * hand.
 */
class PredictedDemandTest
{
    private static final long SECOND = 1_000_000_000L;

    /** Two idle registered agents of capacity 2, a measured second per task; additions complete at once. */
    private static final class IdleFleet implements ScalableFleet
    {
        final List<AgentSample> agents = new ArrayList<>(List.of(new AgentSample("a", 2, 0),
            new AgentSample("b", 2, 0)));
        double secondsPerTask = 1.0;

        @Override
        public List<AgentSample> agents(final String type)
        {
            return List.copyOf(agents);
        }

        @Override
        public long queueDepth(final String type)
        {
            return 0;
        }

        @Override
        public boolean paused(final String type)
        {
            return false;
        }

        @Override
        public double secondsPerTask(final String type)
        {
            return secondsPerTask;
        }

        @Override
        public CompletableFuture<?> add(final AgentSpec spec, final AgentAdapter adapter)
        {
            agents.add(new AgentSample(spec.id(), spec.capacity(), 0));
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<?> remove(final String agentId)
        {
            agents.removeIf(a -> a.id().equals(agentId));
            return CompletableFuture.completedFuture(null);
        }
    }

    /** Predicts a fixed number of "worker" arrivals over the horizon with confidence 0.9. */
    private static final class Burst implements Predictor
    {
        double expected;

        @Override
        public String name()
        {
            return "burst";
        }

        @Override
        public void observe(final String type, final String contextKey, final long requiredSkills, final long nanos)
        {
        }

        @Override
        public void predict(final long nowNanos, final long horizonNanos, final Predictions out)
        {
            out.add("worker", "release-7", 0, 0.9, expected, Predictions.Basis.RATE);
        }

        @Override
        public void writeModel(final DataOutput out)
        {
        }

        @Override
        public void readModel(final DataInput in)
        {
        }
    }

    private static final AgentFactory WORKERS = new AgentFactory()
    {
        @Override
        public String type()
        {
            return "worker";
        }

        @Override
        public AgentSpec spec(final String id)
        {
            return AgentSpec.builder(id, "worker").capacity(2).build();
        }

        @Override
        public AgentAdapter create(final AgentSpec spec)
        {
            return AgentAdapter.sync(t -> "ok");
        }
    };

    @Test
    void aConfidentlyPredictedBurstGrowsTheIdlePoolAtOnceAndAStaleHintNoLonger()
    {
        final IdleFleet fleet = new IdleFleet();
        final long[] now = {0};
        final Autoscaler autoscaler = Autoscaler.builder(fleet)
            .scale(ScalingPolicy.builder().min(1).max(8).scaleUpThreshold(0.8).scaleDownThreshold(0.3)
                .consecutiveEvaluations(3).scaleUpCooldown(Duration.ZERO).scaleDownCooldown(Duration.ZERO).step(2)
                .build(), WORKERS)
            .clock(() -> now[0]).build();
        final Burst burst = new Burst();
        final PreRouting pre = new PreRouting(burst, new PreRouting.Settings(0.7, 30 * SECOND, 4, 64, SECOND, 0),
            null, autoscaler.capacityHint());

        assertThat(autoscaler.evaluate().get(0).action()).as("idle, nothing predicted").isEqualTo(Decision.Action.HOLD);

        // 300 arrivals in the next 30 s at 1 s each keep 10 slots busy; the pool has 4
        burst.expected = 300;
        pre.tick(now[0], List.of(), null);
        now[0] += SECOND;
        final Decision ahead = autoscaler.evaluate().get(0);
        assertThat(ahead.action()).as("no run of three evaluations needed: %s", ahead.reason())
            .isEqualTo(Decision.Action.ADD);
        assertThat(ahead.add()).isEqualTo(2);
        assertThat(ahead.reason()).contains("0 in flight + 0 queued; predicted arrivals will keep 10.0 busy over 4 slots");
        assertThat(fleet.agents).hasSize(4);

        // the hint is not renewed: after its time to live the idle pool is what counts again
        now[0] += PredictedDemand.DEFAULT_TTL_NANOS;
        final Decision stale = autoscaler.evaluate().get(0);
        assertThat(stale.action()).isNotEqualTo(Decision.Action.ADD);
        assertThat(stale.reason()).doesNotContain("predicted");
    }

    @Test
    void aPredictionBelowWhatIsRunningChangesNothingAndNoMeasuredLatencyMeansNoSlots()
    {
        final long[] now = {0};
        final PredictedDemand hint = new PredictedDemand(() -> now[0], 5 * SECOND);
        hint.expect("worker", 4.0, 0.8);
        assertThat(hint.slots("worker", 0.5, now[0])).isEqualTo(2.0);
        assertThat(hint.slots("worker", Double.NaN, now[0])).as("no latency measured yet").isZero();
        assertThat(hint.slots("reviewer", 0.5, now[0])).as("another type").isZero();

        final Observation busy = new Observation(List.of(new Observation.AgentLoad("a", 4, 3, Observation.Status.ACTIVE,
            false)), 0, false, 2.0);
        final Decision d = ScalingDecider.decide(ScalingPolicy.builder().min(1).max(4).scaleUpThreshold(0.8)
            .scaleDownThreshold(0.3).consecutiveEvaluations(1).build(), ScalingState.initial(), busy, 0);
        assertThat(d.utilization()).as("3 in flight outweigh 2 predicted").isEqualTo(0.75);
        assertThat(d.reason()).doesNotContain("predicted");
        assertThatThrownBy(() -> new PredictedDemand(() -> 0, 0)).hasMessageContaining("time to live must be positive");
    }
}
