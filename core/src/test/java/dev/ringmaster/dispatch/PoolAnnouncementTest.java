package dev.ringmaster.dispatch;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.AgentPool;
import dev.ringmaster.spi.Candidates;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.RoutingStrategy;
import dev.ringmaster.spi.TaskView;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A version 1 strategy (candidate lists) that listens for pool changes is told of each pool before it decides for it,
 * as {@link RoutingStrategy#onPoolChanged} promises, also after an agent joined: a strategy that sizes per-position
 * arrays there must never see a pool larger than it was told of. Live and shadow alike.
 */
class PoolAnnouncementTest
{
    /** Keeps a per-position array sized in onPoolChanged, as AgentPool advises, and checks it on every decision. */
    static final class PerPosition implements RoutingStrategy
    {
        volatile int announcedSize = -1;
        volatile int decisions;
        volatile String problem;
        private long[] picks = new long[0];

        @Override
        public String name()
        {
            return "per-position";
        }

        @Override
        public void onPoolChanged(final AgentPool pool)
        {
            announcedSize = pool.size();
            picks = new long[pool.size()];
        }

        @Override
        public int select(final TaskView task, final Candidates candidates, final RoutingDecision decision)
        {
            decisions++;
            if (candidates.poolSize() != announcedSize && problem == null)
            {
                problem = "decision " + decisions + " saw a pool of " + candidates.poolSize() + " agents, but the last " +
                    "announced pool had " + announcedSize;
            }
            int best = 0;
            for (int i = 1; i < candidates.size(); i++)
            {
                if (candidates.get(i).inFlight() < candidates.get(best).inFlight())
                {
                    best = i;
                }
            }
            picks[candidates.poolPosition(best)]++; // throws if the pool outgrew the array
            return best;
        }
    }

    @Test
    void aVersionOneStrategyHearsOfThePoolBeforeEachDecisionAfterAnAgentJoined() throws Exception
    {
        final PerPosition live = new PerPosition();
        final PerPosition shadow = new PerPosition();
        final Dispatcher d = Dispatcher.builder().strategy(live).shadow(shadow).seed(7)
            .agent(AgentSpec.builder("a0", "coder").build(), AgentAdapter.sync(t -> "ok"))
            .agent(AgentSpec.builder("a1", "coder").build(), AgentAdapter.sync(t -> "ok"))
            .build().start();
        try
        {
            assertThat(d.submitAsync(Task.builder("coder").build()).get(10, TimeUnit.SECONDS).completed()).isTrue();
            d.addAgent(AgentSpec.builder("a2", "coder").build(), AgentAdapter.sync(t -> "ok")).get(10, TimeUnit.SECONDS);
            assertThat(d.submitAsync(Task.builder("coder").targetAgent("a2").build()).get(10, TimeUnit.SECONDS)
                .completed()).isTrue();
            assertThat(d.drain(Duration.ofSeconds(10))).isTrue();

            assertThat(live.problem).as("live strategy").isNull();
            assertThat(shadow.problem).as("shadow strategy").isNull();
            assertThat(live.decisions).isEqualTo(2);
            assertThat(d.metrics().strategyFaults()).as("no decision fell back").isZero();
            assertThat(d.metrics().shadow().faults()).as("no shadow decision failed").isZero();
        }
        finally
        {
            d.shutdownNow();
        }
    }

    /** Counts each agent's tasks from the callbacks alone, as an index would, and checks the count against the pool's. */
    static final class Counting implements RoutingStrategy
    {
        volatile String problem;
        volatile int releases;
        private int[] inFlight = new int[0];

        @Override
        public String name()
        {
            return "counting";
        }

        @Override
        public void onPoolChanged(final AgentPool pool)
        {
            inFlight = new int[pool.size()];
            for (int p = 0; p < pool.size(); p++)
            {
                inFlight[p] = pool.inFlight(p);
            }
        }

        @Override
        public void onAssigned(final AgentPool pool, final int position, final TaskView task)
        {
            check(pool, position, ++inFlight[position], "onAssigned");
        }

        @Override
        public void onReleased(final AgentPool pool, final int position, final TaskView task)
        {
            releases++;
            check(pool, position, --inFlight[position], "onReleased");
        }

        private void check(final AgentPool pool, final int position, final int counted, final String callback)
        {
            if (counted != pool.inFlight(position) && problem == null)
            {
                problem = callback + " of " + pool.agent(position).id() + ": counted " + counted + " from the callbacks, " +
                    "the pool says " + pool.inFlight(position);
            }
        }

        @Override
        public int select(final TaskView task, final Candidates candidates, final RoutingDecision decision)
        {
            return 0;
        }
    }

    @Test
    void aPoolChangeIsAnnouncedBeforeTheReleaseThatFollowsItNotWithTheReleaseCountedIn() throws Exception
    {
        // a user's trial: an agent joined while another's two tasks ran; the next release announced the new pool with
        // that release already counted, then reported it again, and a counting index went to -1
        final Counting live = new Counting();
        final Counting shadow = new Counting();
        final java.util.Queue<dev.ringmaster.spi.Completion> held = new java.util.concurrent.ConcurrentLinkedQueue<>();
        final Dispatcher d = Dispatcher.builder().strategy(live).shadow(shadow).prefetch(0)
            .agent(AgentSpec.builder("w-0", "coder").capacity(2).build(), (task, completion, telemetry) -> held.add(completion))
            .build().start();
        try
        {
            final var first = d.submitAsync(Task.builder("coder").build());
            final var second = d.submitAsync(Task.builder("coder").build());
            dev.ringmaster.testing.Await.until("both tasks running on w-0", () -> held.size() == 2);
            d.addAgent(AgentSpec.builder("w-1", "coder").build(), AgentAdapter.sync(t -> "ok")).get(10, TimeUnit.SECONDS);
            held.forEach(c -> c.succeed("ok"));
            assertThat(first.get(10, TimeUnit.SECONDS).completed()).isTrue();
            assertThat(second.get(10, TimeUnit.SECONDS).completed()).isTrue();
            assertThat(d.drain(Duration.ofSeconds(10))).isTrue();

            assertThat(live.releases).isEqualTo(2);
            assertThat(live.problem).as("live strategy").isNull();
            assertThat(shadow.problem).as("shadow strategy").isNull();
        }
        finally
        {
            d.shutdownNow();
        }
    }
}
