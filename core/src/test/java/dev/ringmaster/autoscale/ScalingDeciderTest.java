package dev.ringmaster.autoscale;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.ringmaster.autoscale.Observation.Status.ACTIVE;
import static dev.ringmaster.autoscale.Observation.Status.DRAINING;
import static dev.ringmaster.autoscale.Observation.Status.STARTING;
import static org.assertj.core.api.Assertions.assertThat;

/** Each rule of the decider on hand-made observations, in virtual time (one evaluation per second). */
class ScalingDeciderTest
{
    private static final long SECOND = 1_000_000_000L;

    private static ScalingPolicy.Builder base()
    {
        return ScalingPolicy.builder().min(1).max(6).scaleUpThreshold(0.8).scaleDownThreshold(0.3)
            .consecutiveEvaluations(1).scaleUpCooldown(Duration.ZERO).scaleDownCooldown(Duration.ZERO).step(1);
    }

    private static Observation.AgentLoad agent(final String id, final int capacity, final int inFlight,
                                               final Observation.Status status, final boolean removable)
    {
        return new Observation.AgentLoad(id, capacity, inFlight, status, removable);
    }

    private static Observation pool(final int agents, final int inFlightEach, final long queue)
    {
        final List<Observation.AgentLoad> loads = new ArrayList<>();
        for (int i = 0; i < agents; i++)
        {
            loads.add(agent("a" + i, 4, inFlightEach, ACTIVE, i > 0));
        }
        return new Observation(loads, queue);
    }

    @Test
    void theCentralQueueCountsBecauseInFlightAloneSaturatesAtCapacity()
    {
        final Decision d = ScalingDecider.decide(base().build(), ScalingState.initial(), pool(2, 4, 24), 0);
        assertThat(d.utilization()).isEqualTo(4.0); // (8 in flight + 24 queued) / 8 slots
        assertThat(d.action()).isEqualTo(Decision.Action.ADD);
        assertThat(d.reason()).contains("8 in flight + 24 queued over 8 slots");
    }

    @Test
    void hysteresisNeedsTheConditionForConsecutiveEvaluations()
    {
        final ScalingPolicy policy = base().consecutiveEvaluations(3).build();
        ScalingState state = ScalingState.initial();
        final Observation hot = pool(2, 4, 0);
        final Observation calm = pool(2, 2, 0);
        final List<Decision.Action> actions = new ArrayList<>();
        long now = 0;
        for (final Observation o : List.of(hot, hot, calm, hot, hot, hot))
        {
            final Decision d = ScalingDecider.decide(policy, state, o, now += SECOND);
            state = d.next();
            actions.add(d.action());
        }
        assertThat(actions).containsExactly(Decision.Action.HOLD, Decision.Action.HOLD, Decision.Action.HOLD,
            Decision.Action.HOLD, Decision.Action.HOLD, Decision.Action.ADD);
    }

    @Test
    void aScaleUpCoolsDownBothDirectionsAndAScaleDownOnlyFurtherScaleDowns()
    {
        final ScalingPolicy policy = base().scaleUpCooldown(Duration.ofSeconds(5))
            .scaleDownCooldown(Duration.ofSeconds(3)).build();
        final ScalingState upAt10 = new ScalingState(0, 0, 10 * SECOND, ScalingState.NEVER, windowOf());
        assertThat(ScalingDecider.decide(policy, upAt10, pool(2, 4, 0), 14 * SECOND).reason())
            .contains("cooling down after the scale-up 4000 ms ago");
        assertThat(ScalingDecider.decide(policy, upAt10, pool(2, 4, 0), 15 * SECOND).action())
            .isEqualTo(Decision.Action.ADD);
        assertThat(ScalingDecider.decide(policy, upAt10, pool(3, 0, 0), 14 * SECOND).action())
            .isEqualTo(Decision.Action.HOLD);
        assertThat(ScalingDecider.decide(policy, upAt10, pool(3, 0, 0), 15 * SECOND).action())
            .isEqualTo(Decision.Action.REMOVE);

        final ScalingState downAt10 = new ScalingState(0, 0, ScalingState.NEVER, 10 * SECOND, windowOf());
        assertThat(ScalingDecider.decide(policy, downAt10, pool(2, 4, 0), 10 * SECOND + 1).action())
            .as("a rising load is answered after a scale-down at once").isEqualTo(Decision.Action.ADD);
        assertThat(ScalingDecider.decide(policy, downAt10, pool(3, 0, 0), 12 * SECOND).reason())
            .contains("waiting out the scale-down cooldown");
        assertThat(ScalingDecider.decide(policy, downAt10, pool(3, 0, 0), 13 * SECOND).action())
            .isEqualTo(Decision.Action.REMOVE);
    }

    @Test
    void addsAStepAtMostAndNeverPassesTheMaximumCountingAgentsBeingAdded()
    {
        final ScalingPolicy policy = base().step(3).build();
        final List<Observation.AgentLoad> loads = new ArrayList<>(pool(3, 4, 0).agents());
        loads.add(agent("new-1", 4, 0, STARTING, true));
        loads.add(agent("new-2", 4, 0, STARTING, true));
        final Decision d = ScalingDecider.decide(policy, ScalingState.initial(), new Observation(loads, 100), 0);
        assertThat(d.poolSize()).isEqualTo(5);
        assertThat(d.add()).isEqualTo(1);
        assertThat(d.poolSizeAfter()).isEqualTo(6);

        loads.add(agent("new-3", 4, 0, STARTING, true));
        final Decision atMax = ScalingDecider.decide(policy, d.next(), new Observation(loads, 100), SECOND);
        assertThat(atMax.action()).isEqualTo(Decision.Action.HOLD);
        assertThat(atMax.reason()).contains("at its maximum of 6");
    }

    @Test
    void refillsBelowTheMinimumAtOnceAndGrowsAnEmptyPoolWithWorkWaiting()
    {
        final Decision refill = ScalingDecider.decide(base().min(3).consecutiveEvaluations(5).build(),
            ScalingState.initial(), pool(1, 0, 0), 0);
        assertThat(refill.add()).isEqualTo(2);
        assertThat(refill.reason()).contains("below its minimum of 3");

        final Decision empty = ScalingDecider.decide(base().min(0).build(), ScalingState.initial(),
            new Observation(List.of(), 5), 0);
        assertThat(empty.utilization()).isInfinite();
        assertThat(empty.add()).isEqualTo(1);
        assertThat(ScalingDecider.decide(base().min(0).build(), ScalingState.initial(), new Observation(List.of(), 0), 0)
            .action()).isEqualTo(Decision.Action.HOLD);
    }

    @Test
    void removesTheLeastLoadedRemovableAgentsNeverRegisteredDrainingOrStartingOnes()
    {
        final ScalingPolicy policy = base().min(1).step(3).build();
        final Observation o = new Observation(List.of(
            agent("registered", 4, 0, ACTIVE, false),
            agent("busy", 4, 1, ACTIVE, true),
            agent("idle-old", 4, 0, ACTIVE, true),
            agent("idle-new", 4, 0, ACTIVE, true),
            agent("going", 4, 0, DRAINING, true),
            agent("coming", 4, 0, STARTING, true)), 0);
        final Decision d = ScalingDecider.decide(policy, ScalingState.initial(), o, 0);
        assertThat(d.poolSize()).as("the draining agent counts as gone").isEqualTo(5);
        assertThat(d.remove()).containsExactly("idle-new", "idle-old", "busy");
        assertThat(d.poolSizeAfter()).isEqualTo(2);
    }

    @Test
    void aDrainingAgentCountsNeitherItsCapacityNorItsWork()
    {
        final Observation o = new Observation(List.of(
            agent("a", 4, 2, ACTIVE, false),
            agent("going", 4, 4, DRAINING, true)), 0);
        final Decision d = ScalingDecider.decide(base().build(), ScalingState.initial(), o, 0);
        assertThat(d.utilization()).isEqualTo(0.5);
        assertThat(d.poolSize()).isEqualTo(1);
    }

    @Test
    void keepsAgentsWhileTheRecentPeakWouldPutTheSmallerPoolAboveMidBand()
    {
        final ScalingPolicy policy = base().min(1).step(2).scaleDownCooldown(Duration.ofSeconds(10)).build();
        ScalingState state = ScalingState.initial();
        // a peak of 12 tasks on 4 agents (16 slots), then a quiet spell: 3 agents could not hold 12 at mid-band
        // (12 / 12 > 0.55), so none goes until the peak leaves the 10 s window
        final Decision peak = ScalingDecider.decide(policy, state, pool(4, 3, 0), 0);
        state = peak.next();
        final List<Decision> quiet = new ArrayList<>();
        for (int s = 1; s <= 10; s++)
        {
            final Decision d = ScalingDecider.decide(policy, state, pool(4, 1, 0), s * SECOND);
            state = d.next();
            quiet.add(d);
        }
        assertThat(quiet.subList(0, 9)).allMatch(d -> d.action() == Decision.Action.HOLD);
        assertThat(quiet.get(0).reason()).contains("peak demand of 12");
        assertThat(quiet.get(9).action()).isEqualTo(Decision.Action.REMOVE);
        // 4 in flight left on 2 agents is 0.5 <= 0.55: both removable agents with the least load may go
        assertThat(quiet.get(9).remove()).hasSize(2);
    }

    @Test
    void aPausedTypeHoldsAndRestartsItsCounts()
    {
        final ScalingState counting = new ScalingState(5, 0, ScalingState.NEVER, ScalingState.NEVER, windowOf());
        final Decision d = ScalingDecider.decide(base().build(), counting,
            new Observation(pool(1, 4, 50).agents(), 50, true), 0);
        assertThat(d.action()).isEqualTo(Decision.Action.HOLD);
        assertThat(d.reason()).contains("paused");
        assertThat(d.next().aboveCount()).isZero();
    }

    @Test
    void theDemandWindowKeepsThePeakOfTheLastCooldownOnly()
    {
        ScalingState.DemandWindow w = windowOf();
        w = w.with(0, 5, 3 * SECOND).with(SECOND, 9, 3 * SECOND).with(2 * SECOND, 4, 3 * SECOND);
        assertThat(w.peak()).isEqualTo(9);
        assertThat(w.size()).as("5 can never be the peak again once 9 came after it").isEqualTo(2);
        assertThat(w.with(4 * SECOND, 1, 3 * SECOND).peak()).as("9 left the window at 4 s").isEqualTo(4);
        assertThat(w.with(5 * SECOND, 1, 3 * SECOND).peak()).isEqualTo(1);
    }

    private static ScalingState.DemandWindow windowOf()
    {
        return ScalingState.initial().recentDemand();
    }
}
