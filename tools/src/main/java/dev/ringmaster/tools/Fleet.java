package dev.ringmaster.tools;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.AgentFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The simulated fleet of the demo: heterogeneous agents of three types with speeds 1:2:4:8, different capacities
 * and skills, a couple of them flaky; immutable and thread-safe once built.
 *
 * <p>Shaped after the seeds' agent fleets: slow agents with many slots (a cheap model behind a wide rate limit),
 * fast ones with few (an expensive model), and specialist skills held by only some agents, so that skill-typed tasks
 * have fewer candidates and the strategies' choices matter.
 */
public final class Fleet
{
    /**
     * One agent's simulated characteristics; immutable and thread-safe.
     *
     * @param speed       relative speed, a task's work is divided by it.
     * @param failureRate probability that an attempt fails for reasons of the agent's.
     * @param skills      skill name to proficiency in [0, 1], in declaration order.
     */
    public record Profile(String id, String type, int speed, int capacity, double failureRate, Map<String, Double> skills)
    {
        /** @return the agent spec, declaring the speed, and with it as weight for strategies that weigh agents. */
        public AgentSpec spec()
        {
            final AgentSpec.Builder b = AgentSpec.builder(id, type).capacity(capacity).weight(speed).speed(speed);
            skills.forEach(b::skill);
            return b.build();
        }
    }

    private final List<Profile> profiles;

    private Fleet(final List<Profile> profiles)
    {
        this.profiles = List.copyOf(profiles);
    }

    /** @return the demo's 15-agent fleet: 7 coders, 4 reviewers, 4 researchers. */
    public static Fleet standard()
    {
        final List<Profile> p = new ArrayList<>();
        p.add(profile("coder-1", "coder", 1, 6, 0.01, "java", 0.9, "python", 0.7));
        p.add(profile("coder-2", "coder", 1, 6, 0.01, "python", 0.9, "sql", 0.6));
        p.add(profile("coder-3", "coder", 2, 4, 0.01, "java", 0.8, "rust", 0.7));
        p.add(profile("coder-4", "coder", 2, 4, 0.01, "python", 0.8, "sql", 0.8));
        p.add(profile("coder-5", "coder", 4, 3, 0.01, "java", 0.95, "python", 0.9));
        p.add(profile("coder-6", "coder", 4, 2, 0.06, "rust", 0.9, "java", 0.6)); // flaky
        p.add(profile("coder-7", "coder", 8, 2, 0.01, "java", 1.0, "python", 1.0, "sql", 0.9));
        p.add(profile("reviewer-1", "reviewer", 1, 4, 0.01, "style", 0.8));
        p.add(profile("reviewer-2", "reviewer", 2, 4, 0.01, "style", 0.9, "security", 0.7));
        p.add(profile("reviewer-3", "reviewer", 4, 2, 0.01, "style", 0.7));
        p.add(profile("reviewer-4", "reviewer", 8, 1, 0.01, "security", 0.95, "style", 0.9));
        p.add(profile("researcher-1", "researcher", 1, 6, 0.01, "web", 0.8));
        p.add(profile("researcher-2", "researcher", 2, 4, 0.01, "web", 0.9, "papers", 0.7));
        p.add(profile("researcher-3", "researcher", 4, 2, 0.01, "papers", 0.9, "math", 0.8));
        p.add(profile("researcher-4", "researcher", 8, 1, 0.05, "web", 0.95, "papers", 0.9, "math", 0.9)); // flaky
        return new Fleet(p);
    }

    private static Profile profile(final String id, final String type, final int speed, final int capacity,
                                   final double failureRate, final Object... skillsAndProficiency)
    {
        final Map<String, Double> skills = new LinkedHashMap<>();
        for (int i = 0; i < skillsAndProficiency.length; i += 2)
        {
            skills.put((String)skillsAndProficiency[i], (Double)skillsAndProficiency[i + 1]);
        }
        return new Profile(id, type, speed, capacity, failureRate, Collections.unmodifiableMap(skills));
    }

    /** @return the profiles in registration order. */
    public List<Profile> profiles()
    {
        return profiles;
    }

    /** @return the sum of the agents' capacities: the most attempts that can run at once. */
    public int totalCapacity()
    {
        int sum = 0;
        for (final Profile p : profiles)
        {
            sum += p.capacity();
        }
        return sum;
    }

    /** @return agent count per type, in registration order. */
    public Map<String, Integer> countByType()
    {
        final Map<String, Integer> counts = new LinkedHashMap<>();
        for (final Profile p : profiles)
        {
            counts.merge(p.type(), 1, Integer::sum);
        }
        return counts;
    }

    /**
     * Registers one {@link SimulatedAgent} per profile with the builder. Call once, from the building thread.
     *
     * @return the builder.
     */
    public Dispatcher.Builder register(final Dispatcher.Builder builder, final long seed, final SimulationClock clock)
    {
        register(builder, seed, clock, 0);
        return builder;
    }

    /**
     * As {@link #register(Dispatcher.Builder, long, SimulationClock)}, each agent paying {@code contextLoadNanos} for a
     * task whose affinity key it does not hold warm ({@link SimulatedAgent#contextLoad}).
     *
     * @return the agents, in profile order.
     */
    List<SimulatedAgent> register(final Dispatcher.Builder builder, final long seed, final SimulationClock clock,
                                  final long contextLoadNanos)
    {
        final List<SimulatedAgent> agents = new java.util.ArrayList<>(profiles.size());
        for (int i = 0; i < profiles.size(); i++)
        {
            final Profile p = profiles.get(i);
            final SimulatedAgent agent = new SimulatedAgent(p.spec(), i, p.speed(), p.failureRate(), seed, clock)
                .contextLoad(contextLoadNanos);
            builder.agent(agent.spec(), agent);
            agents.add(agent);
        }
        return agents;
    }

    /**
     * Registers one agent factory per type with the builder, so that an operator can scale a type: each makes
     * simulated agents like the type's first agent of speed 2 (the middle of the fleet), with fresh ids and seeds.
     *
     * @param nextIndex the next agent's index in the fleet, shared with the agents added one by one.
     * @return the builder.
     */
    public Dispatcher.Builder registerFactories(final Dispatcher.Builder builder, final long seed,
                                                final SimulationClock clock, final AtomicInteger nextIndex)
    {
        for (final String type : countByType().keySet())
        {
            final Profile model = profiles.stream().filter(p -> p.type().equals(type) && p.speed() == 2).findFirst()
                .orElseGet(() -> profiles.stream().filter(p -> p.type().equals(type)).findFirst().orElseThrow());
            builder.agentFactory(new AgentFactory()
            {
                @Override
                public String type()
                {
                    return type;
                }

                @Override
                public AgentSpec spec(final String id)
                {
                    return new Profile(id, type, model.speed(), model.capacity(), model.failureRate(), model.skills()).spec();
                }

                @Override
                public AgentAdapter create(final AgentSpec spec)
                {
                    return new SimulatedAgent(spec, nextIndex.getAndIncrement(), model.speed(), model.failureRate(),
                        seed, clock);
                }
            });
        }
        return builder;
    }

    /** @return the profile of an agent id (ignoring an agent host's {@code @host} suffix), or null. */
    public Profile profile(final String id)
    {
        final int at = id.indexOf('@');
        final String base = at < 0 ? id : id.substring(0, at);
        for (final Profile p : profiles)
        {
            if (p.id().equals(base))
            {
                return p;
            }
        }
        return null;
    }
}
