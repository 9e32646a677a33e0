package dev.ringmaster.bench.sim;

import dev.ringmaster.spi.AgentPool;
import dev.ringmaster.spi.AgentView;

import java.util.HashMap;
import java.util.Map;

/**
 * The simulated fleet as the dispatcher's {@link AgentPool}: positions are the fleet's, fixed for the run, and an agent
 * is eligible while it is a candidate of the decision being made; single-threaded, like the simulator that owns it.
 */
final class SimPool implements AgentPool
{
    private final SimAgent[] agents;
    private final SimCandidates candidates;
    private final Map<String, Integer> positions = new HashMap<>();

    SimPool(final SimAgent[] agents, final SimCandidates candidates)
    {
        this.agents = agents;
        this.candidates = candidates;
        for (int p = 0; p < agents.length; p++)
        {
            positions.put(agents[p].id(), p);
        }
    }

    @Override
    public int id()
    {
        return 0; // one pool per simulation
    }

    @Override
    public String type()
    {
        return agents.length == 0 ? "" : agents[0].spec().type();
    }

    @Override
    public int size()
    {
        return agents.length;
    }

    @Override
    public AgentView agent(final int position)
    {
        return agents[position];
    }

    @Override
    public int positionOf(final String agentId)
    {
        return positions.getOrDefault(agentId, -1);
    }

    @Override
    public boolean hasRoom(final int position)
    {
        return agents[position].hasRoom();
    }

    @Override
    public boolean isEligible(final int position)
    {
        return position >= 0 && position < agents.length && candidates.candidateIndexOf(position) >= 0;
    }

    @Override
    public int nextEligible(final int from)
    {
        for (int p = Math.max(0, from); p < agents.length; p++)
        {
            if (candidates.candidateIndexOf(p) >= 0)
            {
                return p;
            }
        }
        return -1;
    }
}
