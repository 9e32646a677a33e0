package dev.ringmaster.predict;

import dev.ringmaster.spi.AgentView;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Pre-positioning: gives each predicted (type, key) a home agent, among the agents of the type most proficient in the
 * key's skills, at most {@code warmSlots} keys per agent (the proficient agents' slots together can then hold every
 * predicted key of their skills; reserving one slot for keys nobody predicted left keys without a home and was slower
 * in the periodic simulation at every load), the predicted arrivals spread evenly (ties to the less busy agent, which can warm sooner); a key keeps its home from tick to tick while it stays predicted and its agent stays
 * eligible, so contexts are not reshuffled. Owned by the pre-routing thread; the plan is published through
 * {@link HotKeys}.
 */
final class HomePlan
{
    private final int maxHomes;
    private final Map<String, Map<String, Integer>> previous = new HashMap<>();
    private final Map<String, Map<String, Integer>> next = new HashMap<>();
    private int[] homes = new int[16];
    private double[] planned = new double[16];

    HomePlan(final int warmSlots)
    {
        this.maxHomes = warmSlots;
    }

    /**
     * @param p      the predictions of this tick.
     * @param agents the live agents.
     * @return the home agent's {@code index()} of every prediction at or above the threshold with a key, else -1.
     */
    int[] plan(final Predictions p, final double threshold, final List<? extends AgentView> agents)
    {
        final int maxIndex = agents.stream().mapToInt(AgentView::index).max().orElse(-1) + 1;
        if (homes.length < maxIndex)
        {
            homes = new int[maxIndex * 2];
            planned = new double[maxIndex * 2];
        }
        Arrays.fill(homes, 0);
        Arrays.fill(planned, 0);
        final int[] home = new int[p.size()];
        Arrays.fill(home, -1);
        final List<Integer> order = new ArrayList<>();
        for (int i = 0; i < p.size(); i++)
        {
            if (p.key(i) != null && p.confidence(i) >= threshold)
            {
                order.add(i);
            }
        }
        // the busiest keys first, so they are spread before the light ones fill the agents
        order.sort((a, b) -> Double.compare(p.expected(b), p.expected(a)));
        next.clear();
        // first keep the homes that are still good, then place the others
        for (final boolean keeping : new boolean[] {true, false})
        {
            for (final int i : order)
            {
                if (home[i] < 0)
                {
                    home[i] = place(p, i, agents, keeping);
                }
            }
        }
        previous.clear();
        next.forEach((type, byKey) -> previous.put(type, new HashMap<>(byKey)));
        return home;
    }

    private int place(final Predictions p, final int i, final List<? extends AgentView> agents, final boolean keeping)
    {
        final String type = p.type(i);
        final long required = p.requiredSkills(i);
        double bestFit = -1;
        for (final AgentView a : agents)
        {
            if (a.spec().type().equals(type) && (required & ~a.spec().skillMask()) == 0)
            {
                bestFit = Math.max(bestFit, PreRouting.fit(a, required));
            }
        }
        final Integer before = previous.getOrDefault(type, Map.of()).get(p.key(i));
        AgentView chosen = null;
        for (final AgentView a : agents)
        {
            final int index = a.index();
            if (!a.spec().type().equals(type) || (required & ~a.spec().skillMask()) != 0 ||
                PreRouting.fit(a, required) < bestFit || homes[index] >= maxHomes)
            {
                continue;
            }
            if (keeping)
            {
                if (before != null && before == index)
                {
                    chosen = a;
                    break;
                }
            }
            else if (chosen == null || planned[index] < planned[chosen.index()] ||
                (planned[index] == planned[chosen.index()] && a.inFlight() < chosen.inFlight()))
            {
                chosen = a;
            }
        }
        if (chosen == null)
        {
            return -1;
        }
        homes[chosen.index()]++;
        planned[chosen.index()] += p.expected(i);
        next.computeIfAbsent(type, t -> new HashMap<>()).put(p.key(i), chosen.index());
        return chosen.index();
    }
}
