package dev.ringmaster.tools;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.spi.AgentAdapter;

import java.util.List;
import java.util.Map;

/** The demo's simulated fleet on an agent host; stateless, called once per host from its starting thread. */
final class DemoHost
{
    private DemoHost()
    {
    }

    /**
     * Adds the demo's 15 simulated agents, ids suffixed with {@code @hostId}, each with its demo profile.
     *
     * @return the simulation clock that completes their attempts; close it when the host stops.
     */
    static SimulationClock addDemoFleet(final List<Map.Entry<AgentSpec, AgentAdapter>> hosted, final String hostId,
                                        final long seed)
    {
        final Fleet fleet = Fleet.standard();
        final SimulationClock clock = new SimulationClock(fleet.totalCapacity() * 2);
        for (int i = 0; i < fleet.profiles().size(); i++)
        {
            final Fleet.Profile p = fleet.profiles().get(i);
            final AgentSpec.Builder b = AgentSpec.builder(p.id() + "@" + hostId, p.type()).capacity(p.capacity())
                .weight(p.speed()).speed(p.speed());
            p.skills().forEach(b::skill);
            final AgentSpec spec = b.build();
            hosted.add(Map.entry(spec, new SimulatedAgent(spec, i, p.speed(), p.failureRate(), seed, clock)));
        }
        return clock;
    }
}
