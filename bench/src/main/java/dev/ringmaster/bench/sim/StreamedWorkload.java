package dev.ringmaster.bench.sim;

import dev.ringmaster.model.Priority;
import dev.ringmaster.model.Task;

import java.util.SplittableRandom;

/**
 * A workload generated task by task as a run asks for it, keeping only the tasks from the oldest not
 * {@link #retireBelow retired} on ({@link TaskWindow}), so that a run of 10^8 tasks needs the memory of the tasks in
 * the system and not of the run. It serves one run (or one reference), on one thread, in task order; a new one with
 * the same arguments gives the same tasks. Every task is MEDIUM priority.
 *
 * <p>Draws: arrivals come from the same {@link ArrivalProcess} as the in-memory workload of the same seed (so the
 * arrival times are identical), but each task's work, domain, skill and cost estimate are drawn together, task by
 * task, where the in-memory workload draws every cost estimate after every work: the tasks differ from those of
 * {@link Scenario#workload} beyond the arrival times, equally distributed.
 */
public final class StreamedWorkload implements TaskSource
{
    private static final int ARRIVAL = 0;
    private static final int WORK = 1;
    private static final int SKILLS = 2;
    private static final int COST = 3;
    private static final int DOMAIN = 4;

    private final ArrivalProcess arrivals;
    private final SplittableRandom taskDraws;
    private final SplittableRandom initialDraws;
    private final SimSettings.Work shape;
    private final long[] skillChoices;
    private final int domains;
    private final int[] initialAgents;
    private final int size;
    private final TaskWindow window;
    private final String[] keys;

    private final double capacitySpeed;
    private final double maxSpeed;
    private double workBefore;
    /** Max over k of a_k - W(&lt; k) / C, for the forward form of the fluid bound. */
    private double fluid = Double.NEGATIVE_INFINITY;
    private double longest = 0;
    private long firstArrival;

    /**
     * @param fleet         the fleet the tasks are for (the makespan bound is computed for it as tasks are drawn).
     * @param arrivals      the arrival process.
     * @param taskDraws     draws of each task's work, domain, skill and cost, in that order.
     * @param shape         the work distribution.
     * @param skillChoices  skill masks a task needs one of, uniformly; empty for tasks without skills.
     * @param domains       domains (affinity keys), uniformly.
     * @param tasks         arrivals.
     * @param initialAgents the agent of each task queued at time 0 ({@link TaskSource}), whose work and cost are
     *                      drawn from {@code initialDraws}; empty for an empty start.
     */
    StreamedWorkload(final SimFleet fleet, final ArrivalProcess arrivals, final SplittableRandom taskDraws,
                     final SimSettings.Work shape, final long[] skillChoices, final int domains, final int tasks,
                     final int[] initialAgents, final SplittableRandom initialDraws)
    {
        this.arrivals = arrivals;
        this.taskDraws = taskDraws;
        this.initialDraws = initialDraws;
        this.shape = shape;
        this.skillChoices = skillChoices.clone();
        this.domains = domains;
        this.initialAgents = initialAgents.clone();
        this.size = Math.addExact(tasks, initialAgents.length);
        this.window = new TaskWindow(0, false, 5);
        this.keys = new String[domains];
        for (int d = 0; d < domains; d++)
        {
            keys[d] = SimWorkload.key(d);
        }
        this.capacitySpeed = fleet.capacitySpeed();
        this.maxSpeed = fleet.maxSpeed();
    }

    @Override
    public int size()
    {
        return size;
    }

    @Override
    public int initialTasks()
    {
        return initialAgents.length;
    }

    @Override
    public int initialAgent(final int i)
    {
        return initialAgents[i];
    }

    @Override
    public boolean streamed()
    {
        return true;
    }

    @Override
    public void retireBelow(final int i)
    {
        window.retireBelow(i);
    }

    /** @return slots the window holds now: it follows the tasks in the system, not the run's length. */
    int windowCapacity()
    {
        return window.capacity();
    }

    /** @return field {@code column} of task i, drawing it first if needed. */
    private long column(final int i, final int column)
    {
        final int at = base(i); // first: drawing may grow the window, so its array is read after
        return window.data()[at + column];
    }

    /** @return where task i's fields start in the window, drawing it (and those before it) if not drawn yet. */
    private int base(final int i)
    {
        while (window.opened() <= i)
        {
            draw(window.opened());
        }
        if (i < window.oldest())
        {
            throw new IllegalStateException("task " + i + " was retired (the oldest kept is " + window.oldest() +
                "): a streamed workload is read in order, by one run");
        }
        return window.base(i);
    }

    private void draw(final int i)
    {
        window.open(i);
        final long arrival;
        final long work;
        long skills = 0;
        int domain = -1;
        final long cost;
        if (i < initialAgents.length)
        {
            arrival = 0;
            work = SimWorkload.exponentialWork(initialDraws, SimWorkload.MEAN_WORK);
            cost = SimWorkload.costTokens(initialDraws, work);
        }
        else
        {
            arrival = arrivals.next();
            work = shape.exponential() ? SimWorkload.exponentialWork(taskDraws, SimWorkload.MEAN_WORK) :
                SimWorkload.paretoWork(taskDraws, SimWorkload.MEAN_WORK, shape.paretoAlpha());
            domain = taskDraws.nextInt(domains);
            if (skillChoices.length > 0)
            {
                skills = skillChoices[taskDraws.nextInt(skillChoices.length)];
            }
            cost = SimWorkload.costTokens(taskDraws, work);
        }
        if (i == 0)
        {
            firstArrival = arrival;
        }
        final long[] data = window.data();
        final int at = window.base(i);
        data[at + ARRIVAL] = arrival;
        data[at + WORK] = work;
        data[at + SKILLS] = skills;
        data[at + COST] = cost;
        data[at + DOMAIN] = domain;
        fluid = Math.max(fluid, arrival - workBefore / capacitySpeed);
        workBefore += work;
        longest = Math.max(longest, arrival + work / maxSpeed);
    }

    @Override
    public long arrival(final int i)
    {
        return column(i, ARRIVAL);
    }

    @Override
    public long work(final int i)
    {
        return column(i, WORK);
    }

    @Override
    public long skills(final int i)
    {
        return column(i, SKILLS);
    }

    @Override
    public int domain(final int i)
    {
        return (int)column(i, DOMAIN);
    }

    @Override
    public Priority priority(final int i)
    {
        return Priority.MEDIUM;
    }

    @Override
    public long costTokens(final int i)
    {
        return column(i, COST);
    }

    /** @return a new {@link Task} for task i each time (a run asks once per routing decision). */
    @Override
    public Task task(final int i)
    {
        final int at = base(i);
        final long[] data = window.data();
        final int domain = (int)data[at + DOMAIN];
        return Task.builder(SimFleet.TYPE)
            .id(i + 1L)
            .priority(Priority.MEDIUM)
            .affinityKey(domain >= 0 ? keys[domain] : null)
            .requiredSkillMask(data[at + SKILLS])
            .costTokens(data[at + COST])
            .maxRetries(0)
            .build();
    }

    /**
     * The fluid and longest-task bound of {@link SimWorkload#makespanLowerBound}, in its forward form
     * (max over k of a_k - W(&lt; k) / C, plus W / C), folded as tasks are drawn; it draws the tasks not drawn yet.
     *
     * @throws IllegalArgumentException for a fleet other than the one this workload was made for.
     */
    @Override
    public double makespanLowerBound(final SimFleet fleet)
    {
        if (fleet.capacitySpeed() != capacitySpeed || fleet.maxSpeed() != maxSpeed)
        {
            throw new IllegalArgumentException("a streamed workload folds the makespan bound of the fleet it was made " +
                "for; make one for this fleet");
        }
        while (window.opened() < size)
        {
            window.retireBelow(window.opened());
            draw(window.opened());
        }
        if (size == 0)
        {
            return 0;
        }
        return Math.max(fluid + workBefore / capacitySpeed, longest) - firstArrival();
    }

    @Override
    public long firstArrival()
    {
        if (window.opened() == 0 && size > 0)
        {
            draw(0);
        }
        return firstArrival;
    }
}
