package dev.ringmaster.autoscale;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The autoscaling rules against a simulated fleet in virtual time, tick by tick from seeded randomness: growth within
 * the bound the policy states, never past the maximum, back to the minimum when idle, and no flapping near a
 * threshold. One evaluation per 10 ticks of 100 ms, i.e. one per virtual second.
 */
class AutoscalingSimulationTest
{
    private static final int CAPACITY = 4;
    private static final int MEAN_SERVICE_TICKS = 10;
    private static final int TICKS_PER_EVALUATION = 10;

    /** A plausible production policy: react within seconds, release slowly. */
    private static ScalingPolicy policy(final int min, final int max)
    {
        return ScalingPolicy.builder().min(min).max(max).scaleUpThreshold(0.8).scaleDownThreshold(0.3)
            .consecutiveEvaluations(3).scaleUpCooldown(Duration.ofSeconds(3)).scaleDownCooldown(Duration.ofSeconds(10))
            .step(2).build();
    }

    /** @return the busy slots a rate keeps occupied on average (Little's law), i.e. the demand. */
    private static double offered(final double arrivalsPerTick)
    {
        return arrivalsPerTick * MEAN_SERVICE_TICKS;
    }

    /** @return the smallest pool under which the offered load is at most the scale-up threshold. */
    private static int needed(final ScalingPolicy policy, final double arrivalsPerTick)
    {
        return (int)Math.ceil(offered(arrivalsPerTick) / (CAPACITY * policy.scaleUpThreshold()));
    }

    private static Simulation simulation(final ScalingPolicy policy, final long seed)
    {
        return new Simulation(policy, new SimFleet(CAPACITY, MEAN_SERVICE_TICKS, seed).register(policy.min()),
            TICKS_PER_EVALUATION);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void growsWithinTheStatedBoundAfterAStepInLoad(final long seed)
    {
        final ScalingPolicy policy = policy(2, 20);
        final double low = 0.3;
        final double high = 3.0;
        final int stepAtEvaluation = 30;
        final Simulation sim = simulation(policy, seed);
        sim.run(stepAtEvaluation, t -> low);
        final int current = sim.steps().get(stepAtEvaluation - 1).poolAfter();
        final int needed = needed(policy, high);
        assertThat(needed).as("the step needs a bigger pool").isEqualTo(10).isGreaterThan(current);
        final long bound = policy.evaluationsToGrow(current, needed, sim.interval());
        assertThat(bound).as("ceil((10 - 2) / 2) steps x max(3 evaluations, 3 s / 1 s)").isEqualTo(12);

        sim.run((int)bound + 50, t -> t < stepAtEvaluation * TICKS_PER_EVALUATION ? low : high);
        final List<Simulation.Step> after = sim.steps().subList(stepAtEvaluation, sim.evaluations());
        final int reached = indexOfFirst(after, s -> s.poolAfter() >= needed);
        assertThat(reached).as("evaluations after the step until the pool held %d agents", needed)
            .isNotNegative().isLessThan((int)bound);
        // the bound's premise, checked rather than assumed: the load kept the pool above the threshold until then
        assertThat(after.subList(0, reached + 1)).as("utilization above the threshold until the pool was big enough")
            .allMatch(s -> s.decision().utilization() > policy.scaleUpThreshold());
        assertThat(sim.steps()).as("pool within [min, max]")
            .allMatch(s -> s.poolAfter() >= policy.min() && s.poolAfter() <= policy.max());
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void neverPassesItsMaximumAndReachesItWithinTheBound(final long seed)
    {
        final ScalingPolicy policy = policy(2, 12);
        final double flood = 20.0; // 200 busy slots' worth: 63 agents needed, 12 allowed
        final Simulation sim = simulation(policy, seed).run(300, t -> flood);
        final long bound = policy.evaluationsToGrow(2, needed(policy, flood), sim.interval());
        assertThat(bound).as("ceil((12 - 2) / 2) x 3").isEqualTo(15);
        assertThat(indexOfFirst(sim.steps(), s -> s.poolAfter() == policy.max())).isNotNegative().isLessThan((int)bound);
        assertThat(sim.steps()).as("never above the maximum")
            .allMatch(s -> s.poolAfter() <= policy.max() && s.decision().poolSizeAfter() <= policy.max());
        assertThat(sim.steps().get(sim.evaluations() - 1).decision().reason()).contains("at its maximum of 12");
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void shrinksToItsMinimumWithinTheStatedBoundOnceTheLoadFallsAndLosesNothing(final long seed)
    {
        final ScalingPolicy policy = policy(2, 20);
        final int busyEvaluations = 60;
        final Simulation sim = simulation(policy, seed)
            .run(busyEvaluations + 200, t -> t < busyEvaluations * TICKS_PER_EVALUATION ? 3.0 : 0.0);
        final List<Simulation.Step> steps = sim.steps();
        final int peak = steps.stream().mapToInt(Simulation.Step::poolAfter).max().orElseThrow();
        assertThat(peak).as("the load grew the pool first").isGreaterThanOrEqualTo(10);

        // the bound counts from the first evaluation of the idle run that lasts to the end
        int start = steps.size();
        while (start > 0 && steps.get(start - 1).decision().utilization() == 0.0)
        {
            start--;
        }
        assertThat(start).as("the backlog drained after the load stopped").isGreaterThanOrEqualTo(busyEvaluations);
        final int poolAtStart = steps.get(start).decision().poolSize();
        final long bound = policy.evaluationsToShrink(poolAtStart, policy.min(), sim.interval());
        final int reached = indexOfFirst(steps.subList(start, steps.size()), s -> s.poolAfter() == policy.min());
        assertThat(reached).as("evaluations from %d agents to the minimum, bound %d", poolAtStart, bound)
            .isNotNegative().isLessThan((int)bound);
        assertThat(steps.subList(start + reached + 1, steps.size()))
            .as("idle at the minimum from then on").noneMatch(s -> s.changed() || s.poolAfter() != policy.min());

        final SimFleet fleet = sim.fleet();
        assertThat(fleet.departed()).as("only the agents it added left, each once after draining")
            .allMatch(id -> id.startsWith("auto-")).doesNotHaveDuplicates().hasSize(peak - policy.min());
        assertThat(fleet.arrived()).as("every task that arrived completed").isEqualTo(fleet.completed())
            .isPositive();
        assertThat(fleet.queue() + fleet.busy()).isZero();
    }

    /**
     * Steady loads that sit near a threshold for some pool size: 6 busy slots' worth is 0.75 of the two starting
     * agents (just under the scale-up threshold), 9 is 0.28 to 0.375 of six to eight agents (around the scale-down
     * one), 16 and 24 are 0.8 and 0.75 of five and eight agents. Instantaneous samples of such loads cross the
     * thresholds all the time; the naive rule (react at once, no cooldown) under the same trace shows how often.
     */
    @ParameterizedTest(name = "{0} arrivals per tick, seed {1}")
    @CsvSource({
        "0.6, 1", "0.6, 2", "0.6, 3", "0.6, 4",
        "0.9, 1", "0.9, 2", "0.9, 3", "0.9, 4",
        "1.6, 1", "1.6, 2", "1.6, 3", "1.6, 4",
        "2.4, 1", "2.4, 2", "2.4, 3", "2.4, 4",
    })
    void doesNotOscillateUnderASteadyLoadNearAThreshold(final double rate, final long seed)
    {
        final ScalingPolicy policy = policy(2, 20);
        final int evaluations = 1_000;
        final List<Simulation.Step> steps = simulation(policy, seed).run(evaluations, t -> rate).steps();

        final long window = Math.max(policy.scaleUpCooldownNanos(), policy.scaleDownCooldownNanos());
        long lastAdd = Long.MIN_VALUE;
        for (final Simulation.Step step : steps)
        {
            if (step.decision().action() == Decision.Action.ADD)
            {
                lastAdd = step.nanos();
            }
            else if (step.decision().action() == Decision.Action.REMOVE && lastAdd != Long.MIN_VALUE)
            {
                assertThat(step.nanos() - lastAdd).as("time from an addition to the removal at evaluation %d",
                    step.index()).isGreaterThanOrEqualTo(window);
            }
        }
        // growing from 2 to one agent past the size the load needs takes ceil((needed + 1 - 2) / 2) steps of 2;
        // beyond that, noise alone may move the pool, but at most once per 200 evaluations (20 scale-down cooldowns)
        final long changes = steps.stream().filter(Simulation.Step::changed).count();
        final int growth = (int)Math.ceil((needed(policy, rate) + 1 - 2) / 2.0);
        assertThat(changes).as("changes in %d evaluations", evaluations)
            .isLessThanOrEqualTo(growth + evaluations / 200L);

        final ScalingPolicy naive = ScalingPolicy.builder().min(2).max(20).scaleUpThreshold(0.8).scaleDownThreshold(0.3)
            .consecutiveEvaluations(1).scaleUpCooldown(Duration.ZERO).scaleDownCooldown(Duration.ZERO).step(2).build();
        final long naiveChanges = simulation(naive, seed).run(evaluations, t -> rate).steps().stream()
            .filter(Simulation.Step::changed).count();
        assertThat(naiveChanges).as("the naive rule flaps on the same trace").isGreaterThan(3 * changes);
    }

    private static int indexOfFirst(final List<Simulation.Step> steps, final java.util.function.Predicate<Simulation.Step> p)
    {
        for (int i = 0; i < steps.size(); i++)
        {
            if (p.test(steps.get(i)))
            {
                return i;
            }
        }
        return -1;
    }
}
