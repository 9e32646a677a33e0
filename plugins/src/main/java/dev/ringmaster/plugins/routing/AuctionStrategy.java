package dev.ringmaster.plugins.routing;

import dev.ringmaster.plugins.routing.index.Pools;
import dev.ringmaster.spi.AgentPool;
import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.Bidder;
import dev.ringmaster.spi.Candidates;
import dev.ringmaster.spi.IndexedRoutingStrategy;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.RoutingStrategy;
import dev.ringmaster.spi.RoutingStrategyProvider;
import dev.ringmaster.spi.TaskView;

import dev.ringmaster.plugins.routing.index.SeededRandom;

/**
 * Market-based routing, a Contract Net auction: every eligible agent bids for the task and the lowest bid wins;
 * O(n) bids per decision. Router thread only, and so are the bidders it calls.
 *
 * <p>An agent whose adapter is a {@link Bidder} bids for itself (estimated completion time, money, tokens: its own
 * private knowledge); any other agent bids its estimated completion time,
 * {@code (inFlight + 1) / capacity x ewmaLatency}. Before an agent's first result its latency is unknown and it bids
 * {@code (inFlight + 1) / capacity} nanoseconds, below any measured agent, so a new agent is tried before the known
 * ones. {@link Bidder#NO_BID} (and NaN) means the agent declines; if every agent declines the task stays queued
 * ({@link RoutingStrategy#DECLINE}). Equal bids take turns: each scan starts just after the last winner. The
 * decision records the best and second-best bid.
 */
public final class AuctionStrategy implements IndexedRoutingStrategy
{
    public static final String NAME = "auction";

    /** Where the next scan starts: just after the last winner, so equal agents take turns. */
    private int cursor;
    /** The best two bids of the decision in progress. */
    private double bestBid;
    private double secondBid;

    @Override
    public String name()
    {
        return NAME;
    }

    /** @return the bid of an agent without a bidder of its own: its estimated completion time in nanoseconds. */
    public static double defaultBid(final AgentView a)
    {
        final double queue = (double)(a.inFlight() + 1) / a.capacity();
        final double latency = a.ewmaLatencyNanos();
        return latency > 0 ? queue * latency : queue;
    }

    @Override
    public int select(final TaskView task, final Candidates candidates, final RoutingDecision decision)
    {
        final int n = candidates.size();
        final int start = cursor < n ? cursor : 0;
        int best = DECLINE;
        bestBid = Bidder.NO_BID;
        secondBid = Bidder.NO_BID;
        for (int k = 0; k < n; k++)
        {
            final int i = k + start < n ? k + start : k + start - n;
            if (bidBeats(task, candidates.get(i)))
            {
                best = i;
            }
        }
        if (best != DECLINE)
        {
            cursor = best + 1;
            decision.explain(bestBid, secondBid == Bidder.NO_BID ? Double.NaN : secondBid);
        }
        return best;
    }

    /** Asks the agent for its bid and keeps the best two. @return true if it is the best so far. */
    private boolean bidBeats(final TaskView task, final AgentView a)
    {
        final Bidder bidder = a.bidder();
        final double bid = bidder != null ? bidder.bid(task, a) : defaultBid(a);
        if (!(bid < Bidder.NO_BID))
        {
            return false; // NO_BID or NaN: the agent declines
        }
        if (bid < bestBid)
        {
            secondBid = bestBid;
            bestBid = bid;
            return true;
        }
        if (bid < secondBid)
        {
            secondBid = bid;
        }
        return false;
    }

    /** Bidders asked per decision in the dispatcher: bids are arbitrary code, so they cannot be indexed. */
    public static final int SAMPLED_BIDDERS = 8;
    private final SeededRandom random = new SeededRandom(0xB1D);

    @Override
    public boolean restoreRandomState(final long state)
    {
        random.restore(state);
        return true;
    }

    /**
     * In the dispatcher: asks {@value #SAMPLED_BIDDERS} eligible agents drawn at random (Mitzenmacher's d choices with
     * d = 8, duplicates possible) instead of every one, so a decision is O(d) whatever the pool; the lowest bid wins.
     * If all of them decline, every eligible agent is asked, so a task is declined only when nobody bids.
     */
    @Override
    public int route(final TaskView task, final AgentPool pool, final RoutingDecision decision)
    {
        final int target = Pools.target(task, pool);
        if (target != Pools.NOT_TARGETED)
        {
            return target;
        }
        int best = DECLINE;
        bestBid = Bidder.NO_BID;
        secondBid = Bidder.NO_BID;
        decision.randomState(random.state());
        for (int k = 0; k < SAMPLED_BIDDERS; k++)
        {
            final int p = Pools.sample(random, pool);
            if (p < 0)
            {
                return DECLINE;
            }
            if (p != best && bidBeats(task, pool.agent(p)))
            {
                best = p;
            }
        }
        if (best == DECLINE)
        {
            best = everyBidder(task, pool);
        }
        if (best != DECLINE)
        {
            decision.explain(bestBid, secondBid == Bidder.NO_BID ? Double.NaN : secondBid);
        }
        return best;
    }

    /**
     * Asks every eligible agent once the sampled ones all declined: a fleet where few agents bid for a kind of task
     * (a budget, a licence) would otherwise see that task declined though a bidder exists, and wait for the next
     * routing pass, where the candidate list's auction ({@link #select}) awards it at once. O(n), only on this path.
     *
     * @return the lowest bidder's position, or {@link #DECLINE} if nobody bids.
     */
    private int everyBidder(final TaskView task, final AgentPool pool)
    {
        final int n = pool.size();
        final int start = random.nextInt(n);
        int best = DECLINE;
        for (int p = pool.nextEligible(start); p >= 0; p = pool.nextEligible(p + 1))
        {
            if (bidBeats(task, pool.agent(p)))
            {
                best = p;
            }
        }
        for (int p = pool.nextEligible(0); p >= 0 && p < start; p = pool.nextEligible(p + 1))
        {
            if (bidBeats(task, pool.agent(p)))
            {
                best = p;
            }
        }
        return best;
    }

    /** Registers {@link AuctionStrategy} with the ServiceLoader; stateless. */
    public static final class Provider implements RoutingStrategyProvider
    {
        @Override
        public String name()
        {
            return NAME;
        }

        @Override
        public String description()
        {
            return "Contract Net auction: each agent bids (its own Bidder, else estimated completion time), the " +
                "lowest bid wins; O(n) over a candidate list, 8 sampled bidders in the dispatcher (all, if those " +
                "decline)";
        }

        @Override
        public RoutingStrategy create()
        {
            return new AuctionStrategy();
        }
    }
}
