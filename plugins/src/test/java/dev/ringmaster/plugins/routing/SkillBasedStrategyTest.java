package dev.ringmaster.plugins.routing;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.TaskView;
import dev.ringmaster.testing.FakePool;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Skill-based routing: never an unskilled agent, always the best score. */
class SkillBasedStrategyTest
{
    static final String[] SKILLS = {"java", "python", "rust", "sql"};

    /** One generated agent: proficiency per skill (negative: lacks it), load and context use. */
    record Agent(double[] proficiency, int capacity, int inFlight, double context)
    {
    }

    @Provide
    Arbitrary<Agent> agent()
    {
        final Arbitrary<Double> proficiency = Arbitraries.oneOf(Arbitraries.just(-1.0),
            Arbitraries.doubles().between(0, 1).ofScale(2));
        return Combinators.combine(proficiency.array(double[].class).ofSize(SKILLS.length),
                Arbitraries.integers().between(1, 8), Arbitraries.integers().between(0, 8),
                Arbitraries.doubles().between(0, 1).ofScale(2))
            .as((p, capacity, inFlight, context) -> new Agent(p, capacity, Math.min(inFlight, capacity), context));
    }

    static FakePool pool(final List<Agent> agents)
    {
        final AgentSpec[] specs = new AgentSpec[agents.size()];
        for (int i = 0; i < specs.length; i++)
        {
            final AgentSpec.Builder b = AgentSpec.builder("s-" + i, "worker").capacity(agents.get(i).capacity());
            for (int s = 0; s < SKILLS.length; s++)
            {
                if (agents.get(i).proficiency()[s] >= 0)
                {
                    b.skill(SKILLS[s], agents.get(i).proficiency()[s]);
                }
            }
            specs[i] = b.build();
        }
        final FakePool pool = new FakePool(specs);
        for (int i = 0; i < specs.length; i++)
        {
            pool.inFlight[i] = agents.get(i).inFlight();
            pool.contextUtilization[i] = agents.get(i).context();
        }
        return pool;
    }

    @Property(tries = 500)
    void thePickHasEveryRequiredSkillAndTheHighestScore(
        @ForAll @Size(min = 1, max = 8) final List<@net.jqwik.api.From("agent") Agent> agents,
        @ForAll @Size(max = 3) final List<@net.jqwik.api.constraints.IntRange(min = 0, max = 3) Integer> required)
    {
        final List<String> names = new ArrayList<>();
        for (final int s : required)
        {
            names.add(SKILLS[s]);
        }
        final FakePool pool = pool(agents);
        final TaskView task = FakePool.view(Task.builder("worker").requiredSkills(names).build());
        final long mask = task.task().requiredSkills();
        boolean anySkilled = false;
        for (final AgentSpec spec : pool.specs)
        {
            anySkilled |= (mask & ~spec.skillMask()) == 0;
        }
        Assume.that(anySkilled); // with no skilled agent the router never asks the strategy

        final SkillBasedStrategy strategy = new SkillBasedStrategy();
        final RoutingDecision decision = new RoutingDecision();
        final int pick = pool.pick(strategy, task, decision);

        assertThat(mask & ~pool.specs[pick].skillMask()).as("required skills the pick lacks").isZero();
        final double best = strategy.score(pool.agent(pick), mask);
        double runnerUp = Double.NaN;
        for (int i = 0; i < pool.specs.length; i++)
        {
            if ((mask & ~pool.specs[i].skillMask()) == 0)
            {
                final double score = strategy.score(pool.agent(i), mask);
                assertThat(score).isLessThanOrEqualTo(best);
                if (i != pick && !(score <= runnerUp))
                {
                    runnerUp = score;
                }
            }
        }
        assertThat(decision.score()).isEqualTo(best);
        if (Double.isNaN(runnerUp))
        {
            assertThat(decision.runnerUp()).isNaN();
        }
        else
        {
            assertThat(decision.runnerUp()).isEqualTo(runnerUp);
        }
    }

    @Test
    void theScoreIsTheSeedsFormula()
    {
        final FakePool pool = new FakePool(
            AgentSpec.builder("expert", "worker").capacity(4).skill("java", 0.9).skill("sql", 0.7).build(),
            AgentSpec.builder("novice", "worker").capacity(4).skill("java", 0.3).skill("sql", 0.3).build());
        pool.inFlight[0] = 2;
        pool.contextUtilization[0] = 0.5;
        final SkillBasedStrategy strategy = new SkillBasedStrategy();
        final long mask = Task.builder("worker").requiredSkills("java", "sql").build().requiredSkills();
        // 0.5 x mean(0.9, 0.7) - 0.3 x 2/4 - 0.2 x 0.5
        assertThat(strategy.score(pool.agent(0), mask)).isCloseTo(0.5 * 0.8 - 0.3 * 0.5 - 0.2 * 0.5, within(1e-12));
        assertThat(strategy.score(pool.agent(1), mask)).isCloseTo(0.5 * 0.3, within(1e-12));
        assertThat(SkillBasedStrategy.skill(pool.agent(1), 0)).as("a task that needs no skill").isEqualTo(1.0);
    }

    @Test
    void weightsAreConfigurable()
    {
        final FakePool pool = new FakePool(
            AgentSpec.builder("expert", "worker").capacity(4).skill("rust", 1.0).build(),
            AgentSpec.builder("idle", "worker").capacity(4).skill("rust", 0.2).build());
        pool.inFlight[0] = 3;
        final TaskView task = FakePool.view(Task.builder("worker").requiredSkills("rust").build());
        assertThat(pool.pick(new SkillBasedStrategy(), task, new RoutingDecision())).isEqualTo(0);
        assertThat(pool.pick(new SkillBasedStrategy(0.1, 0.9, 0), task, new RoutingDecision()))
            .as("load outweighs skill").isEqualTo(1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SkillBasedStrategy(-1, 0, 0))
            .hasMessageContaining("skill weight");
    }

    @Test
    void aFullContextCountsAgainstAnOtherwiseEqualAgent()
    {
        final FakePool pool = new FakePool(
            AgentSpec.builder("cluttered", "worker").skill("python", 0.8).build(),
            AgentSpec.builder("fresh", "worker").skill("python", 0.8).build());
        pool.contextUtilization[0] = 0.9;
        final TaskView task = FakePool.view(Task.builder("worker").requiredSkills("python").build());
        final SkillBasedStrategy strategy = new SkillBasedStrategy();
        for (int i = 0; i < 4; i++)
        {
            assertThat(pool.pick(strategy, task, new RoutingDecision())).isEqualTo(1);
        }
        final AgentView fresh = pool.agent(1);
        assertThat(strategy.score(fresh, task.task().requiredSkills())).isCloseTo(0.4, within(1e-12));
    }
}
