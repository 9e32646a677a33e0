package dev.ringmaster.bench.sim;

import java.util.Arrays;

/**
 * The agents of a fleet grouped by what decides a task's execution time on them (speed, capacity, skills and
 * proficiencies), so that per-task work over a fleet of a thousand identical agents is done once per profile and not
 * once per agent; immutable after construction, single-threaded use.
 */
final class AgentProfiles
{
    /** For each profile, the lowest pool position of its agents. */
    final int[] representative;
    /** For each agent in pool order, its profile. */
    final int[] profileOf;

    AgentProfiles(final SimFleet fleet)
    {
        final int n = fleet.size();
        profileOf = new int[n];
        int[] reps = new int[4];
        int count = 0;
        for (int i = 0; i < n; i++)
        {
            int p = 0;
            while (p < count && !sameProfile(fleet, reps[p], i))
            {
                p++;
            }
            if (p == count)
            {
                if (count == reps.length)
                {
                    reps = Arrays.copyOf(reps, count * 2);
                }
                reps[count++] = i;
            }
            profileOf[i] = p;
        }
        representative = Arrays.copyOf(reps, count);
    }

    int size()
    {
        return representative.length;
    }

    private static boolean sameProfile(final SimFleet fleet, final int a, final int b)
    {
        return fleet.speed(a) == fleet.speed(b) && fleet.spec(a).capacity() == fleet.spec(b).capacity() &&
            fleet.spec(a).skillMask() == fleet.spec(b).skillMask() &&
            fleet.spec(a).proficiency().equals(fleet.spec(b).proficiency());
    }
}
