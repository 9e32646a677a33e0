package dev.ringmaster.bench.sim;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Skills;
import dev.ringmaster.routing.RoutingStrategies;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Over random small fleets and workloads (simultaneous arrivals, unequal speeds, capacities and prefetch, skills, the
 * context model on or off), under every strategy and the clairvoyant baseline: every task finishes, none starts before
 * it arrives or finishes faster than its work on the fastest agent, and the makespan is never below its lower bound.
 */
class MakespanBoundPropertiesTest
{
    private static final ClassLoader LOADER = MakespanBoundPropertiesTest.class.getClassLoader();
    private static final List<String> STRATEGIES = RoutingStrategies.names(LOADER);
    private static final String[] SKILLS = {"prop-a", "prop-b", "prop-c"};

    @Property(tries = 150)
    void makespanIsNeverBelowItsLowerBound(@ForAll final long seed,
                                           @ForAll @IntRange(min = 1, max = 120) final int tasks,
                                           @ForAll @IntRange(min = 1, max = 6) final int agents)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final boolean withSkills = random.nextBoolean();
        final SimFleet fleet = fleet(random, agents, withSkills);
        final SimWorkload workload = workload(random, tasks, withSkills);
        final double bound = workload.makespanLowerBound(fleet);

        final List<SimRun> runs = new ArrayList<>();
        for (final String name : STRATEGIES)
        {
            runs.add(new Simulator(fleet, workload, RoutingStrategies.create(name, LOADER), false).run());
        }
        runs.add(ClairvoyantBaseline.run(fleet, workload));
        for (final SimRun run : runs)
        {
            assertThat(run.completed()).as("%s finished every task", run.strategy()).isEqualTo(tasks);
            assertThat((double)run.makespanNanos()).as("%s: makespan against the bound", run.strategy())
                .isGreaterThanOrEqualTo(bound * (1 - 1e-12));
            for (int i = 0; i < tasks; i++)
            {
                assertThat(run.start(i)).isGreaterThanOrEqualTo(workload.arrival(i));
                assertThat((double)(run.finish(i) - run.start(i))).isGreaterThanOrEqualTo(workload.work(i) / fleet.maxSpeed());
            }
        }
    }

    private static SimFleet fleet(final SplittableRandom random, final int n, final boolean withSkills)
    {
        final AgentSpec[] specs = new AgentSpec[n];
        final double[] speeds = new double[n];
        for (int i = 0; i < n; i++)
        {
            final AgentSpec.Builder b = AgentSpec.builder(SimFleet.agentId(i), SimFleet.TYPE).capacity(1 + random.nextInt(3));
            if (withSkills)
            {
                for (int s = 0; s < SKILLS.length; s++)
                {
                    // agent 0 has every skill, so that every task has somewhere to go
                    if (i == 0 || random.nextBoolean())
                    {
                        b.skill(SKILLS[s], 0.25 + 0.75 * random.nextDouble());
                    }
                }
            }
            specs[i] = b.build();
            speeds[i] = 0.25 + 8 * random.nextDouble();
        }
        final long context = random.nextBoolean() ? random.nextLong(1, SimWorkload.MEAN_WORK) : 0;
        return new SimFleet(specs, speeds, random.nextInt(3), 1 + random.nextInt(4), context);
    }

    private static SimWorkload workload(final SplittableRandom random, final int n, final boolean withSkills)
    {
        final long[] arrivals = new long[n];
        final long[] work = new long[n];
        final long[] skills = new long[n];
        final int[] domains = new int[n];
        long t = 0;
        for (int i = 0; i < n; i++)
        {
            // a third of the tasks arrive together with the previous one
            t += random.nextInt(3) == 0 ? 0 : random.nextLong(1, 2 * SimWorkload.MEAN_WORK);
            arrivals[i] = t;
            work[i] = random.nextInt(10) == 0 ? random.nextLong(1, 20 * SimWorkload.MEAN_WORK) :
                random.nextLong(1, 2 * SimWorkload.MEAN_WORK);
            skills[i] = withSkills && random.nextBoolean() ? 1L << Skills.id(SKILLS[random.nextInt(SKILLS.length)]) : 0;
            domains[i] = random.nextInt(5) - 1;
        }
        return new SimWorkload(arrivals, work, skills, domains, SimWorkload.costTokens(random, work));
    }
}
