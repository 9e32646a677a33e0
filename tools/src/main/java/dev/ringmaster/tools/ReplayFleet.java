package dev.ringmaster.tools;

import dev.ringmaster.bench.sim.SimFleet;
import dev.ringmaster.journal.JournalInfo;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Skills;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The agents a what-if replay simulates, per agent type: the demo's fleet when the demo wrote the journal (its
 * capacities, speeds and proficiencies are known exactly), otherwise what the journal shows (capacity = most tasks an
 * agent ran at once, speed relative to its type's slowest agent from its mean duration, the skills of the tasks it
 * finished at proficiency 1). Immutable; safe to share between threads.
 */
final class ReplayFleet
{
    /** One simulated agent. */
    record Agent(String id, String type, int capacity, double speed, Map<String, Double> skills)
    {
        /** @return the simulator's spec: its one pool type, with this agent's capacity, speed (also as weight) and skills. */
        AgentSpec simSpec()
        {
            final AgentSpec.Builder b = AgentSpec.builder(id, SimFleet.TYPE).capacity(capacity)
                .weight((int)Math.max(1, Math.round(speed))).speed(speed);
            skills.forEach(b::skill);
            return b.build();
        }

        /** @return the lowest proficiency over the required skills, 1 for none: the simulator's fit. */
        double fit(final long requiredSkills)
        {
            double min = 1.0;
            for (final String s : Skills.names(requiredSkills))
            {
                min = Math.min(min, skills.getOrDefault(s, 0.0));
            }
            return min;
        }
    }

    private final Map<String, List<Agent>> byType;
    private final String origin;

    private ReplayFleet(final Map<String, List<Agent>> byType, final String origin)
    {
        this.byType = byType;
        this.origin = origin;
    }

    /** @return the fleet that ran the journal's tasks, as well as it can be known. */
    static ReplayFleet of(final Path directory, final JournalArrivals journal)
    {
        final Fleet demo = Fleet.standard();
        boolean demoFleet = WorkCodec.NAME.equals(JournalInfo.payloadCodec(directory));
        for (final String id : journal.agents().keySet())
        {
            demoFleet &= demo.profile(id) != null;
        }
        return demoFleet ? fromDemo(demo, journal) : inferred(journal);
    }

    private static ReplayFleet fromDemo(final Fleet demo, final JournalArrivals journal)
    {
        final Map<String, List<Agent>> byType = new LinkedHashMap<>();
        for (final Fleet.Profile p : demo.profiles())
        {
            byType.computeIfAbsent(p.type(), t -> new ArrayList<>())
                .add(new Agent(p.id(), p.type(), p.capacity(), p.speed(), p.skills()));
        }
        return new ReplayFleet(byType, "the demo's fleet (the journal's payload codec is " + WorkCodec.NAME + ")");
    }

    private static ReplayFleet inferred(final JournalArrivals journal)
    {
        final Map<String, double[]> durations = new HashMap<>();
        for (final JournalArrivals.Arrival a : journal.arrivals())
        {
            final double[] sumCount = durations.computeIfAbsent(a.executedBy(), k -> new double[2]);
            sumCount[0] += a.durationNanos();
            sumCount[1]++;
        }
        final Map<String, Double> slowest = new HashMap<>();
        for (final JournalArrivals.AgentSeen seen : journal.agents().values())
        {
            final double[] d = durations.get(seen.id());
            if (d != null && d[1] > 0)
            {
                slowest.merge(seen.type(), d[0] / d[1], Math::max);
            }
        }
        final Map<String, List<Agent>> byType = new LinkedHashMap<>();
        for (final JournalArrivals.AgentSeen seen : journal.agents().values())
        {
            final double[] d = durations.get(seen.id());
            final double speed = d == null || d[1] == 0 ? 1.0 : slowest.get(seen.type()) / (d[0] / d[1]);
            final Map<String, Double> skills = new LinkedHashMap<>();
            for (final String s : Skills.names(seen.skillMask()))
            {
                skills.put(s, 1.0);
            }
            byType.computeIfAbsent(seen.type(), t -> new ArrayList<>())
                .add(new Agent(seen.id(), seen.type(), Math.max(1, seen.maxRunning()), speed, skills));
        }
        return new ReplayFleet(byType, "inferred from the journal (capacity: most tasks running at once; speed: " +
            "mean duration against the type's slowest agent; skills: those of the tasks each agent finished)");
    }

    /** @return the agents of one type in pool order, or an empty list. */
    List<Agent> agents(final String type)
    {
        return byType.getOrDefault(type, List.of());
    }

    /** @return every agent type. */
    List<String> types()
    {
        return List.copyOf(byType.keySet());
    }

    /** @return every agent as "id capacity x speed", type by type, for the report. */
    String describe()
    {
        final StringBuilder sb = new StringBuilder();
        for (final List<Agent> agents : byType.values())
        {
            for (final Agent a : agents)
            {
                sb.append(sb.length() == 0 ? "" : ", ").append(a.id()).append(' ').append(a.capacity()).append(" x ")
                    .append(String.format(java.util.Locale.ROOT, "%.2f", a.speed()));
            }
        }
        return sb.toString();
    }

    /** @return where the fleet's description came from, for the report. */
    String origin()
    {
        return origin;
    }
}
