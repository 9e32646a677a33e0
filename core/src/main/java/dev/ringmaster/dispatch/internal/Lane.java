package dev.ringmaster.dispatch.internal;

import dev.ringmaster.model.Priority;
import dev.ringmaster.model.Task;
import org.jctools.queues.SpscArrayQueue;

import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The central queues of one agent type (late binding: tasks wait here, not in agent inboxes), the admission counters
 * producers bump lock-free, and the aging and room state. The queues, one bounded queue per priority, are written
 * and read only by the routing role's holder: single producer and consumer, so no CAS per offer.
 *
 * <p>One lane per type keeps a saturated type from blocking another type's tasks (no head-of-line blocking across
 * types). Admission counts every accepted, not yet terminal task of the lane at its original priority, so a queue
 * can never hold more than {@code capacity} records and the router's offers never fail.
 */
final class Lane
{
    final String type;
    /** Position in the router's lane array, stable for the dispatcher's life: the pool id version 2 strategies see. */
    int id;
    final int capacity;
    /** Early binding: a task goes to its agent's own FIFO ({@link AgentState#bound}) as soon as it is routed. */
    final boolean early;
    /** Early binding with stealing: an agent with room and nothing bound takes from the longest bound queue. */
    final boolean stealsBound;
    /** Whether idle workers steal from busy agents' inboxes: not under early binding without stealing. */
    final boolean workersSteal;
    /** Tasks bound to agents of this lane and not yet in their inboxes (early binding); router-owned. */
    int boundTotal;
    /** Early binding with stealing: agents with room and nothing bound, to take a task that must wait elsewhere. */
    final java.util.ArrayDeque<AgentState> hungry = new java.util.ArrayDeque<>();
    final SpscArrayQueue<TaskRecord>[] queues;
    /**
     * Accepted, not yet terminal tasks per level, each counter 128 bytes from the next and from the array's header.
     * Why: producers compare-and-set these on every submit, and as separate small objects they could land on a line
     * beside router-owned state (a collection copies objects next to those that reference them).
     */
    private final AtomicIntegerArray outstanding = new AtomicIntegerArray((Priority.COUNT + 1) * PAD);
    private static final int PAD = 32;
    /** Admissions of terminal tasks not yet given back ({@link #releaseLater}); role-owned. */
    private final int[] releasesDue = new int[Priority.COUNT];
    private boolean releaseDue;
    volatile AgentState[] agents;
    /** Router writes (pause/resume), anyone reads: a paused lane keeps its queue but places nothing. */
    volatile boolean paused;
    /** Union of the agents' skill masks: a fast first test of whether any agent could take a task. */
    volatile long skillUnion;

    /**
     * Most tasks per level set aside because only busy agents have their skills. Beyond it the level waits for
     * those agents (head-of-line blocking, bounded): a scan of the set-aside tasks costs one routing pass each.
     */
    static final int DEFER_LIMIT = 16;

    // router-owned
    /** The type's rate limit, or null. */
    TokenBucket bucket;
    /** Per level, tasks set aside in arrival order; tried before the queue, since they are older. */
    final TaskRecord[][] deferred = new TaskRecord[Priority.COUNT][DEFER_LIMIT];
    final int[] deferredCount = new int[Priority.COUNT];
    /**
     * Per level, the tasks of tenants over their rate limit, one FIFO per tenant, so a throttled tenant waits
     * without blocking the others (unbounded here, bounded by admission like the queues).
     */
    final TenantBacklog[][] backlogs = new TenantBacklog[Priority.COUNT][0];
    final int[] backlogged = new int[Priority.COUNT];
    /** Who in the pool could take a task now; routing role only, rebuilt when the pool changes. */
    final PoolIndex index = new PoolIndex();
    /** Null until the router sets it: its quantum comes from the dispatcher's configuration. */
    Aging aging;
    /** Whether a level has tasks waiting, as the aging policy asks it; one instance, so asking allocates nothing. */
    final java.util.function.IntPredicate waiting = this::hasWaiting;
    final long[] earliestDeadline = new long[Priority.COUNT];
    /** Sum over agents of the tasks each may still be given; 0 means nothing in the lane can be placed. */
    int room;
    /**
     * Router only: every agent of the lane left (removed or crashed) and none was added since. Its room stays 0, yet
     * placement still runs it, to end what can never run there ({@link Fleet#orphaned}): a task addressed to the
     * agent that left waited for ever when it was its type's only one, and kept every drain from finishing.
     */
    boolean deserted;

    /** @return true if placement should run the lane: it has room, binds early, or lost its last agent. */
    boolean placeable()
    {
        return room > 0 || early || deserted;
    }

    @SuppressWarnings("unchecked")
    Lane(final String type, final int capacity, final AgentState[] agents, final dev.ringmaster.dispatch.Binding binding)
    {
        this.type = type;
        this.capacity = capacity;
        this.early = binding != dev.ringmaster.dispatch.Binding.LATE;
        this.stealsBound = binding == dev.ringmaster.dispatch.Binding.EARLY_STEALING;
        this.workersSteal = binding != dev.ringmaster.dispatch.Binding.EARLY;
        index.early = early;
        this.queues = new SpscArrayQueue[Priority.COUNT];
        for (int i = 0; i < Priority.COUNT; i++)
        {
            queues[i] = new SpscArrayQueue<>(capacity);
            earliestDeadline[i] = Long.MAX_VALUE;
        }
        this.agents = agents;
        long union = 0;
        for (final AgentState a : agents)
        {
            union |= a.skillMask;
            room += a.limit;
        }
        this.skillUnion = union;
        index.rebuild(agents);
    }

    /** Router only: recomputes the skill union after the pool changed. */
    void refreshSkills()
    {
        long union = 0;
        for (final AgentState a : agents)
        {
            if (!a.retiring)
            {
                union |= a.skillMask;
            }
        }
        skillUnion = union;
    }

    /**
     * Any thread: @return true if an agent not leaving could ever take the task as it stands: one with every skill it
     * requires, the one it is addressed to if any, and not the one it avoids. O(agents) for a task with any of those;
     * the caller asks only then.
     */
    boolean canServe(final Task task)
    {
        final long required = task.requiredSkills();
        if ((required & ~skillUnion) != 0 || task.requiresUnknownSkill())
        {
            return false;
        }
        final String target = task.targetAgent();
        final String avoid = task.avoidAgent();
        for (final AgentState a : agents)
        {
            if (!a.retiring && a.hasSkills(required) && (target == null || a.spec.id().equals(target)) &&
                (avoid == null || !a.spec.id().equals(avoid)))
            {
                return true;
            }
        }
        return false;
    }

    /** Any thread: @return the agent with this id in the lane and not leaving, or null. */
    AgentState agent(final String agentId)
    {
        for (final AgentState a : agents)
        {
            if (!a.retiring && a.spec.id().equals(agentId))
            {
                return a;
            }
        }
        return null;
    }

    /** Any thread: reserves room for one more accepted task at a level. @return false if the level is full. */
    boolean admit(final int level)
    {
        // check, then CAS: an increment undone on failure would let a producer that finds the level full push the
        // count past the capacity for a moment, and a third producer would be refused although a release had made
        // room (LaneAdmissionLincheckTest found that interleaving)
        final int cell = (level + 1) * PAD;
        int n;
        do
        {
            n = outstanding.get(cell);
            if (n >= capacity)
            {
                return false;
            }
        }
        while (!outstanding.compareAndSet(cell, n, n + 1));
        return true;
    }

    /** Any thread: gives back an admission (a rejected submission, or a terminal task). */
    void release(final int level)
    {
        outstanding.decrementAndGet((level + 1) * PAD);
    }

    /**
     * Role holder: gives back a terminal task's admission at the end of the duty cycle ({@link #flushReleases}).
     * Why: the producers' compare-and-set on the same counter made it a line moving between cores twice per task;
     * one subtraction per cycle moves it once per batch. Released after the cycle's callbacks, as drain requires.
     */
    void releaseLater(final int level)
    {
        releasesDue[level]++;
        releaseDue = true;
    }

    /** Role holder, at the end of each duty cycle. */
    void flushReleases()
    {
        if (releaseDue)
        {
            releaseDue = false;
            for (int level = 0; level < Priority.COUNT; level++)
            {
                final int n = releasesDue[level];
                if (n != 0)
                {
                    releasesDue[level] = 0;
                    outstanding.addAndGet((level + 1) * PAD, -n);
                }
            }
        }
    }

    int outstanding()
    {
        int sum = 0;
        for (int level = 0; level < Priority.COUNT; level++)
        {
            sum += outstanding.get((level + 1) * PAD);
        }
        return sum;
    }

    /** Approximate from other threads (the deferred count is router-owned), exact on the router. */
    int depth(final int level)
    {
        return queues[level].size() + deferredCount[level] + backlogged[level];
    }

    /** Router only. */
    boolean hasWaiting(final int level)
    {
        return deferredCount[level] > 0 || backlogged[level] > 0 || !queues[level].isEmpty();
    }

    /** Router only: @return the backlog of a tenant at a level, created on first use (rare, so it may allocate). */
    TenantBacklog backlog(final int level, final String tenant)
    {
        final TenantBacklog existing = findBacklog(level, tenant);
        if (existing != null)
        {
            return existing;
        }
        final TenantBacklog[] grown = java.util.Arrays.copyOf(backlogs[level], backlogs[level].length + 1);
        final TenantBacklog created = new TenantBacklog(tenant);
        grown[grown.length - 1] = created;
        backlogs[level] = grown;
        return created;
    }

    /** Router only: @return true if the tenant has throttled tasks waiting at this level. */
    boolean hasBacklog(final int level, final String tenant)
    {
        if (backlogged[level] == 0)
        {
            return false;
        }
        final TenantBacklog backlog = findBacklog(level, tenant);
        return backlog != null && !backlog.tasks.isEmpty();
    }

    /** Router only: @return the tenant's backlog at a level, or null. */
    TenantBacklog findBacklog(final int level, final String tenant)
    {
        for (final TenantBacklog b : backlogs[level])
        {
            if (b.tenant.equals(tenant))
            {
                return b;
            }
        }
        return null;
    }

    /** One tenant's throttled tasks at one level, oldest first; router thread only. */
    static final class TenantBacklog
    {
        final String tenant;
        final java.util.ArrayDeque<TaskRecord> tasks = new java.util.ArrayDeque<>();

        TenantBacklog(final String tenant)
        {
            this.tenant = tenant;
        }
    }

    /** Router only: sets aside a task that only busy agents can take. @return false if the level's set is full. */
    boolean defer(final TaskRecord record)
    {
        final int level = record.level;
        if (deferredCount[level] == DEFER_LIMIT)
        {
            return false;
        }
        deferred[level][deferredCount[level]++] = record;
        return true;
    }

    /** Router only: takes the i-th set-aside task of a level out, keeping the others in order. */
    TaskRecord removeDeferred(final int level, final int i)
    {
        final TaskRecord[] set = deferred[level];
        final TaskRecord r = set[i];
        final int last = --deferredCount[level];
        System.arraycopy(set, i + 1, set, i, last - i);
        set[last] = null;
        return r;
    }

    /** Router only. */
    void enqueue(final TaskRecord record, final long nowNanos)
    {
        final int level = record.level;
        record.enqueuedNanos = nowNanos;
        if (record.deadlineNanos < earliestDeadline[level])
        {
            earliestDeadline[level] = record.deadlineNanos;
        }
        if (!queues[level].offer(record))
        {
            throw new IllegalStateException("lane '" + type + "' queue " + Priority.ofOrdinal(level) +
                " overflow: admission control should have prevented it");
        }
    }
}
