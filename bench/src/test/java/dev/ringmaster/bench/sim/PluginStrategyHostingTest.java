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

    @Test
    void aStrategyThatKeepsFailingIsQuarantinedAsTheDispatcherWouldAndProbedAgainAfterTenSeconds()
    {
        // a user's trial: the simulator asked a failing strategy every time, where the dispatcher sets it aside after
        // 16 faults in a row for 10 s and routes with the fallback meanwhile
        final AlwaysThrows plugin = new AlwaysThrows();
        final SimRun run = run(plugin);

        assertThat(run.completed()).isEqualTo(TASKS);
        assertThat(run.errors()).as("every decision the fallback's").isEqualTo(run.decisions());
        final double simulatedSeconds = WORKLOAD.arrival(TASKS - 1) / 1e9;
        assertThat(plugin.asked).as("16 per quarantine of 10 s, over %.0f s simulated", simulatedSeconds)
            .isBetween(16L, 16L * (long)(simulatedSeconds / 10 + 2));
        assertThat(plugin.asked).as("of %d decisions", run.decisions()).isLessThan(run.decisions() / 4);
        assertThat(run.firstError()).contains("threw");
    }

    /** A version 2 plugin whose route() always throws; counts how often it was asked. */
    private static final class AlwaysThrows implements IndexedRoutingStrategy
    {
        long asked;

        @Override
        public String name()
        {
            return "always-throws";
        }

        @Override
        public int select(final TaskView task, final Candidates candidates, final RoutingDecision decision)
        {
            throw new UnsupportedOperationException("route() decides");
        }

        @Override
        public int route(final TaskView task, final AgentPool pool, final RoutingDecision decision)
        {
            asked++;
            throw new IllegalStateException("broken index");
        }
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
     * Fewest tasks in flight by counts only its callbacks keep, through route() or select(); its {@code onAssigned}
     * throws once, at the given assignment (-1: never), after counting it.
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
            // the same rule over a candidate list: pre-routing's wrapper, a version 1 strategy, asks select
            int best = 0;
            for (int i = 1; i < candidates.size(); i++)
            {
                if (counts[candidates.poolPosition(i)] < counts[candidates.poolPosition(best)])
                {
                    best = i;
                }
            }
            return best;
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
