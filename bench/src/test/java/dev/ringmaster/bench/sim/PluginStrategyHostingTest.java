package dev.ringmaster.bench.sim;

import dev.ringmaster.routing.RoutingStrategies;
import dev.ringmaster.spi.AgentPool;
import dev.ringmaster.spi.Candidates;
import dev.ringmaster.spi.IndexedRoutingStrategy;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.TaskView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A plugin's strategy is simulated as the dispatcher runs it: a version 2 strategy through {@code route} over the pool,
 * with the pool announced and every assignment, release and result told. Before, the simulator called {@code select}
 * alone and no callback, so a plugin whose index lives in its callbacks (and whose {@code select} is a stub) read as
 * the fallback rule, with every decision counted as failed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PluginStrategyHostingTest
{
    private static final int TASKS = 20_000;

    @Test
    void aVersionTwoPluginRoutesOverThePoolAndKeepsItsIndexByTheCallbacks()
    {
        final OwnCounts plugin = new OwnCounts(-1);
        final SimRun run = run(plugin);

        assertThat(run.errors()).as("first error: %s", run.firstError()).isZero();
        assertThat(run.completed()).isEqualTo(TASKS);
        assertThat(plugin.routed).isEqualTo(run.decisions());
        assertThat(plugin.announced).as("the pool is announced once, before the first decision").isEqualTo(1);
        assertThat(plugin.telemetry).as("a latency sample per finished task").isEqualTo(TASKS);
        assertThat(plugin.counts).as("every assignment was released again").containsOnly(0);

        // fewest in flight by its own counts is least-connections' rule: the same queueing, within the tie rule's noise
        final SimRun lc = run(RoutingStrategies.create("least-connections", getClass().getClassLoader()));
        assertThat(mean(run)).isCloseTo(mean(lc), within(0.05 * mean(lc)));
    }

    @Test
    void underPreRoutingAPluginStillHearsEveryAssignmentAndRelease()
    {
        // the dispatcher runs pre-routing's wrapper as a version 1 strategy whose callbacks reach the plugin: here too
        final OwnCounts plugin = new OwnCounts(-1);
        final SimPreRouting pre = new SimPreRouting(Scenario.HOMOGENEOUS.fleet(SETTINGS), 0.7);
        final SimRun run = new Simulator(Scenario.HOMOGENEOUS.fleet(SETTINGS), WORKLOAD, pre.wrap(plugin), false)
            .preRouting(pre).run();

        assertThat(run.completed()).isEqualTo(TASKS);
        assertThat(plugin.announced).isEqualTo(1);
        assertThat(plugin.telemetry).isEqualTo(TASKS);
        assertThat(plugin.counts).as("every assignment was released again").containsOnly(0);
    }

    @Test
    void aCallbackThatThrowsIsContainedAndThePoolAnnouncedAgain()
    {
        final OwnCounts plugin = new OwnCounts(100);
        final SimRun run = run(plugin);

        assertThat(run.completed()).isEqualTo(TASKS);
        assertThat(run.errors()).as("a callback's fault is not a failed decision").isZero();
        assertThat(plugin.announced).as("told the whole pool again after its onAssigned threw").isEqualTo(2);
    }

    private static final SimSettings SETTINGS = new SimSettings(0, 0, -1, true, SimFleet.Binding.LATE, Double.NaN,
        Double.NaN, null);
    private static final SimWorkload WORKLOAD = Scenario.HOMOGENEOUS.workload(5, 0.8, TASKS, SETTINGS);

    private static SimRun run(final dev.ringmaster.spi.RoutingStrategy strategy)
    {
        return new Simulator(Scenario.HOMOGENEOUS.fleet(SETTINGS), WORKLOAD, strategy, false).run();
    }

    private static double mean(final SimRun run)
    {
        double sum = 0;
        for (int i = 0; i < TASKS; i++)
        {
            sum += run.finish(i) - WORKLOAD.arrival(i);
        }
        return sum / TASKS;
    }

    /**
     * Fewest tasks in flight by counts only its callbacks keep; {@code select} is a stub, as a version 2 plugin may
     * have it; its {@code onAssigned} throws once, at the given assignment (-1: never), after counting it.
     */
    private static final class OwnCounts implements IndexedRoutingStrategy
    {
        private final int throwAt;
        int[] counts = new int[0];
        int announced;
        long routed;
        long telemetry;
        private long assignments;

        OwnCounts(final int throwAt)
        {
            this.throwAt = throwAt;
        }

        @Override
        public String name()
        {
            return "own-counts";
        }

        @Override
        public int select(final TaskView task, final Candidates candidates, final RoutingDecision decision)
        {
            throw new UnsupportedOperationException("a version 2 strategy: route() decides");
        }

        @Override
        public int route(final TaskView task, final AgentPool pool, final RoutingDecision decision)
        {
            routed++;
            int best = -1;
            for (int p = pool.nextEligible(0); p >= 0; p = p + 1 < pool.size() ? pool.nextEligible(p + 1) : -1)
            {
                if (best < 0 || counts[p] < counts[best])
                {
                    best = p;
                }
            }
            return best < 0 ? DECLINE : best;
        }

        @Override
        public void onPoolChanged(final AgentPool pool)
        {
            announced++;
            if (counts.length != pool.size())
            {
                counts = new int[pool.size()];
            }
            // rebuilt from the pool, as an index that may have missed an event must be
            for (int p = 0; p < pool.size(); p++)
            {
                counts[p] = pool.inFlight(p);
            }
        }

        @Override
        public void onAssigned(final AgentPool pool, final int position, final TaskView task)
        {
            counts[position]++;
            if (++assignments == throwAt)
            {
                throw new IllegalStateException("index corrupted (test)");
            }
        }

        @Override
        public void onReleased(final AgentPool pool, final int position, final TaskView task)
        {
            counts[position]--;
        }

        @Override
        public void onTelemetry(final AgentPool pool, final int position)
        {
            telemetry++;
        }

        @Override
        public String toString()
        {
            return Arrays.toString(counts);
        }
    }
}
