package dev.ringmaster.plugins.routing;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.Bidder;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.RoutingStrategy;
import dev.ringmaster.spi.TaskView;
import dev.ringmaster.testing.FakePool;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The Contract Net auction awards the task to the lowest bid; NO_BID abstains. */
class AuctionStrategyTest
{
    static final TaskView TASK = FakePool.view(Task.builder("worker").build());

    static FakePool withBids(final List<Double> bids)
    {
        final FakePool pool = new FakePool(bids.size());
        for (int i = 0; i < bids.size(); i++)
        {
            final double bid = bids.get(i);
            pool.bidders[i] = (task, agent) -> bid;
        }
        return pool;
    }

    @Provide
    Arbitrary<Double> bid()
    {
        // few distinct values, so ties are common; NO_BID and NaN both mean no bid
        return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(6, Arbitraries.integers().between(0, 20).map(i -> i * 0.5)),
            net.jqwik.api.Tuple.of(2, Arbitraries.just(Bidder.NO_BID)),
            net.jqwik.api.Tuple.of(1, Arbitraries.just(Double.NaN)));
    }

    @Property(tries = 1_000)
    void theLowestBidWinsAndTheDecisionRecordsTheTwoBest(@ForAll @Size(min = 1, max = 10) final List<@From("bid") Double> bids)
    {
        final FakePool pool = withBids(bids);
        final RoutingDecision decision = new RoutingDecision();
        final int pick = pool.pick(new AuctionStrategy(), TASK, decision);
        final double[] valid = bids.stream().mapToDouble(Double::doubleValue).filter(b -> b < Bidder.NO_BID).sorted().toArray();
        if (valid.length == 0)
        {
            assertThat(pick).as("nobody bid: the task stays queued").isEqualTo(RoutingStrategy.DECLINE);
            return;
        }
        assertThat(bids.get(pick)).isEqualTo(valid[0]);
        assertThat(decision.score()).isEqualTo(valid[0]);
        if (valid.length > 1)
        {
            assertThat(decision.runnerUp()).isEqualTo(valid[1]);
        }
        else
        {
            assertThat(decision.runnerUp()).isNaN();
        }
    }

    @Test
    void equalBidsTakeTurns()
    {
        final FakePool pool = withBids(List.of(2.0, 1.0, 1.0, 1.0, Bidder.NO_BID));
        final RoutingStrategy auction = new AuctionStrategy();
        final int[] wins = new int[5];
        for (int i = 0; i < 30; i++)
        {
            wins[pool.pick(auction)]++;
        }
        assertThat(wins).containsExactly(0, 10, 10, 10, 0);
    }

    @Test
    void agentsWithoutABidderBidTheirEstimatedCompletionTime()
    {
        final FakePool pool = new FakePool(
            AgentSpec.builder("slow-idle", "worker").capacity(1).build(),
            AgentSpec.builder("fast-busy", "worker").capacity(2).build(),
            AgentSpec.builder("new", "worker").capacity(1).build());
        pool.ewmaLatencyNanos[0] = 10_000_000; // (0 + 1) / 1 x 10 ms = 10 ms
        pool.ewmaLatencyNanos[1] = 2_000_000;
        pool.inFlight[1] = 3; // (3 + 1) / 2 x 2 ms = 4 ms
        pool.full[2] = true;
        final RoutingDecision decision = new RoutingDecision();
        assertThat(pool.pick(new AuctionStrategy(), TASK, decision)).isEqualTo(1);
        assertThat(decision.score()).isEqualTo(4_000_000.0);
        assertThat(decision.runnerUp()).isEqualTo(10_000_000.0);
        pool.full[2] = false; // no latency yet: it bids low so it gets tried
        assertThat(pool.pick(new AuctionStrategy())).isEqualTo(2);
        pool.bidders[2] = (task, agent) -> Bidder.NO_BID; // its own bidder declines
        assertThat(pool.pick(new AuctionStrategy())).isEqualTo(1);
    }

    @Test
    void aBidderSeesTheTaskAndItsOwnAgent()
    {
        final FakePool pool = new FakePool(2);
        pool.bidders[0] = (task, agent) -> task.task().costTokens() * (agent.index() + 1.0);
        pool.bidders[1] = (task, agent) -> 1_500;
        assertThat(pool.pick(new AuctionStrategy(), FakePool.view(Task.builder("worker").costTokens(1_000).build()),
            new RoutingDecision())).isEqualTo(0);
        assertThat(pool.pick(new AuctionStrategy(), FakePool.view(Task.builder("worker").costTokens(2_000).build()),
            new RoutingDecision())).isEqualTo(1);
    }

    @Test
    void inTheDispatcherATaskGoesToTheOnlyBidderEvenWhenTheSampledAgentsAllDecline()
    {
        // 64 agents, one of which bids: the 8 sampled bidders usually miss it, and the candidate list's scan
        // (select) finds it; route used to decline, so the task waited for the next routing pass
        final FakePool fake = new FakePool(64);
        for (int i = 0; i < 64; i++)
        {
            final double bid = i == 37 ? 5.0 : Bidder.NO_BID;
            fake.bidders[i] = (task, agent) -> bid;
        }
        final FakeAgentPool pool = new FakeAgentPool(fake, 0).routing(TASK);
        final AuctionStrategy auction = new AuctionStrategy();
        auction.onPoolChanged(pool);
        for (int i = 0; i < 50; i++)
        {
            final RoutingDecision decision = new RoutingDecision();
            assertThat(auction.route(TASK, pool, decision)).as("decision %d", i).isEqualTo(37);
            assertThat(decision.score()).isEqualTo(5.0);
        }
        fake.bidders[37] = (task, agent) -> Bidder.NO_BID;
        assertThat(auction.route(TASK, pool, new RoutingDecision())).as("nobody bids: the task stays queued")
            .isEqualTo(RoutingStrategy.DECLINE);
    }
}
